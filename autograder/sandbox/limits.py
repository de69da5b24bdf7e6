"""Resource limits for one grading run (per homework in ``pipeline/homeworks.py``)."""

import os
import resource
from dataclasses import dataclass

#: The trusted grader's own heap, at most (see :func:`cap_grader_memory`).
GRADER_MEMORY_BYTES = 4 * 2**30


@dataclass(frozen=True)
class Limits:
    """What the student process may use.

    Attributes
    ----------
    start_seconds : float
        To start the student process (Python, NumPy, IPython imports).
    cell_seconds : float
        Per answer cell, and per call of a graded function.
    total_seconds : float
        The whole grading run; past it, remaining tests score 0.
    memory_bytes : int
        cgroup memory limit (or address-space rlimit without cgroups).
    nproc : int
        Processes and threads of the sandbox user.
    fsize_bytes : int
        Largest file the student process may write.
    tmpfs_bytes : int
        Size of the student's whole writable filesystem (``/tmp``).
    output_bytes : int
        Student stdout/stderr kept for the instructors' log; the rest is discarded.
    test_seconds : float
        Wall-clock budget of one test cell in the trusted process, whatever it does.
    test_requests : int
        Requests (calls, attribute reads, callbacks) one test may make to the student process.
    test_bytes : int
        Bytes one test may exchange with the student process, both ways.
    """

    start_seconds: float = 60.0
    cell_seconds: float = 20.0
    total_seconds: float = 300.0
    memory_bytes: int = 3 * 2**30
    nproc: int = 256
    fsize_bytes: int = 64 * 2**20
    nofile: int = 1024
    tmpfs_bytes: int = 256 * 2**20
    output_bytes: int = 64 * 2**10
    test_seconds: float = 30.0
    test_requests: int = 5000
    test_bytes: int = 512 * 2**20


def cap_grader_memory(nbytes=None):
    """Give the grader process a memory ceiling (soft ``RLIMIT_DATA``); return it or ``None``.

    A reply that decodes into more than the grader can hold must end as a clean
    ``MemoryError`` (a failed test) rather than an OOM kill that loses every result.
    The wire already bounds each message and each test's bytes; this is the backstop.
    Skipped where NVIDIA devices exist (CUDA maps memory in ways the limit counts).
    """
    if os.path.exists("/dev/nvidia0"):
        return None
    nbytes = int(os.environ.get("CV_GRADER_MEMORY", nbytes or GRADER_MEMORY_BYTES))
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY:
            nbytes = min(nbytes, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (nbytes, hard))
    except (ValueError, OSError):
        return None
    return nbytes
