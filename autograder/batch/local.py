"""Grade on this machine: ``jobs`` grading processes at a time.

Each submission is its own ``python -m autograder grade`` process (see
:mod:`autograder.batch.job`), started from a small thread pool that only waits on
them. Submissions are handed out in order, at most ``jobs`` at once, and their
records come back as they finish.
"""

import concurrent.futures as cf

from . import job


class LocalRunner:
    """Run ``grade(homework, path) -> record`` for each submission, ``jobs`` at a time."""

    def __init__(self, homework, jobs=1, grade=None):
        self.homework = homework
        self.jobs = max(1, int(jobs))
        self.grade = grade or job.grade_one
        self.stopped = False
        self.describe = f"{self.jobs} local job{'s' if self.jobs > 1 else ''}"

    def run(self, submissions, on_start=None):
        """Yield ``(submission, record)`` as gradings finish."""
        todo = iter(submissions)
        with cf.ThreadPoolExecutor(self.jobs, thread_name_prefix="grade") as pool:
            running = {}

            def fill():
                while len(running) < self.jobs and not self.stopped:
                    sub = next(todo, None)
                    if sub is None:
                        return
                    if on_start:
                        on_start(sub)
                    running[pool.submit(self.grade, self.homework, sub.path)] = sub

            try:
                fill()
                while running:
                    finished, _ = cf.wait(running, return_when=cf.FIRST_COMPLETED)
                    for fut in finished:
                        sub = running.pop(fut)
                        try:
                            record = fut.result()
                        except Exception as err:  # noqa: B902  (a job must not end the batch)
                            record = job.failed(
                                f"the grading job raised {type(err).__name__}: {err}")
                        if not self.stopped:
                            yield sub, record
                    fill()
            finally:
                self.stop()

    def stop(self):
        """Hand out nothing more and kill the gradings still running (they are not
        recorded: a resumed batch grades them again)."""
        self.stopped = True
        job.stop_running()
