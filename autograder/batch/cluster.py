"""Grade on a Dask cluster: the same job, run by ``dask.distributed`` workers.

The batch process is the Dask client. It ships each submission as plain bytes
(:func:`autograder.batch.job.pack`), a worker grades it in its own grading process
(:func:`autograder.batch.job.grade_payload`) and returns the record; only the
client writes results and the journal. When a worker dies mid-grading, the
scheduler runs its task again on another worker; the client receives one result
per submission either way, and the journal ignores any second record. A task
that keeps killing workers ends as ``failed`` with Dask's reason.

Workers need the course environment and this repository (the grading image has
both), and root for the sandbox; one grading at a time per worker process
(``--nthreads 1``), since each grading is a process of its own.
"""

import uuid

from . import job

#: Submissions in flight per worker thread (the next one is already on the worker).
WINDOW_PER_THREAD = 2


class DaskRunner:
    """Grade through the scheduler at ``address`` (``tcp://host:8786`` or a scheduler file)."""

    def __init__(self, homework, address, timeout=None):
        from distributed import Client

        self.homework = homework
        self.timeout = timeout or job.job_timeout(homework)
        if address.endswith(".json"):
            self.client = Client(scheduler_file=address, timeout="60s")
        else:
            self.client = Client(address, timeout="60s")
        self.stopped = False
        self.futures = {}
        n = sum(self.client.nthreads().values())
        self.describe = f"Dask cluster at {self.client.scheduler.address} ({n} worker threads)"

    def _window(self):
        return max(2, WINDOW_PER_THREAD * max(1, sum(self.client.nthreads().values())))

    def run(self, submissions, on_start=None):
        """Yield ``(submission, record)`` as the cluster finishes them."""
        from distributed import as_completed

        todo = iter(submissions)
        token = uuid.uuid4().hex[:8]
        pending = as_completed()

        def fill():
            while len(self.futures) < self._window() and not self.stopped:
                sub = next(todo, None)
                if sub is None:
                    return
                if on_start:
                    on_start(sub)
                fut = self.client.submit(job.grade_payload, self.homework, job.pack(sub.path),
                                         self.timeout, key=f"grade-{sub.key}-{token}",
                                         pure=False)
                self.futures[fut] = sub
                pending.add(fut)

        try:
            fill()
            while self.futures:
                fut = next(pending)
                sub = self.futures.pop(fut)
                try:
                    record = fut.result()
                except Exception as err:  # noqa: B902  (KilledWorker, a lost scheduler, ...)
                    record = job.failed(f"the cluster could not grade it: "
                                        f"{type(err).__name__}: {err}"[:500])
                fut.release()
                if not self.stopped:
                    yield sub, record
                fill()
        finally:
            self.stop()

    def stop(self):
        if self.stopped:
            return
        self.stopped = True
        try:
            if self.futures:
                self.client.cancel(list(self.futures))
            self.client.close()
        except Exception:  # noqa: B902  (best effort on the way out)
            pass
