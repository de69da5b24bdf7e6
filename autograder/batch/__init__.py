"""Batch grading: a whole class, on this machine or a Dask cluster, resumable.

``discover`` (find the submissions) → ``journal`` (what is done, append-only) →
``local`` / ``cluster`` (run :mod:`~autograder.batch.job` per submission, each its own
grading process) → ``outputs`` (per-student ``results.json``, gradebook CSV,
nbgrader's gradebook). ``run`` chains them.
"""

from .run import BatchError, run_batch  # noqa: F401
