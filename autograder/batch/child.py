"""``python -m autograder.batch.child PARENT_PID grade HW SUBMISSION --results PATH``.

The per-submission grading process of a batch: exactly ``python -m autograder grade``
(its own process, so its own sandbox uid, the memory cap and the watchdog), except
that it dies with the process that started it. A batch or a Dask worker that is
killed must not leave gradings running whose results nobody will record; the
submission is simply graded again when the batch resumes.
"""

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def main(argv):
    parent = int(argv[0])
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(70)
    from autograder.__main__ import main as cli

    return cli(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
