"""Resource limits for one grading run (per homework in ``pipeline/homeworks.py``)."""

from dataclasses import dataclass


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
