"""Gradescope's entry point: grade ``$AUTOGRADER_ROOT/submission`` into ``results/results.json``.

Layout (https://gradescope-autograders.readthedocs.io/en/latest/specs/):
``source/`` holds the zip's contents (its ``HOMEWORK`` file names the homework),
``submission/`` the upload (one notebook under any name, a folder or a zip),
``results/results.json`` the output. Before grading, the grader's files are made
unreadable to anyone but root, as a second wall behind the sandbox's own
filesystem.
"""

import os
import stat

from ..pipeline.grade import grade
from ..sandbox.limits import cap_grader_memory


def lock_down(root):
    """Make ``source``, ``results`` and the metadata readable by root only."""
    if os.geteuid() != 0:
        return
    for name in ("source", "results", "submission_metadata.json"):
        path = os.path.join(root, name)
        if os.path.exists(path):
            mode = os.stat(path).st_mode
            os.chmod(path, (0o700 if stat.S_ISDIR(mode) else 0o600))


def main(root=None):
    root = root or os.environ.get("AUTOGRADER_ROOT", "/autograder")
    source = os.path.join(root, "source")
    results = os.path.join(root, "results", "results.json")
    os.makedirs(os.path.dirname(results), exist_ok=True)
    lock_down(root)
    with open(os.path.join(source, "HOMEWORK")) as f:
        name = f.read().strip()
    cap_grader_memory()
    grade(name, os.path.join(root, "submission"), results, root=source, watchdog=True)
    return 0
