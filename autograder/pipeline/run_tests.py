"""Run the trusted tests in the grader's own process.

Each test cell runs in a fresh namespace whose graded names are proxies for the
student's functions, so assertions, NumPy and the comparison code all live
here, where student code cannot reach them. A student process that dies or
hangs is restarted (a bounded number of times) so later tests still run.
"""

import builtins
import contextlib
import io
import time
from dataclasses import dataclass

from ..sandbox.proxy import RemoteFunction
from ..sandbox.session import CallTimeout, StudentError, WorkerGone

MAX_RESTARTS = 2


@dataclass
class TestResult:
    __test__ = False  # not a pytest test class
    grade_id: str
    title: str
    points: float
    score: float
    hidden: bool
    message: str
    seconds: float


def describe_failure(err):
    """A message for the student: what failed, without the test's source or expected values."""
    if isinstance(err, AssertionError):
        text = str(err).strip()
        return text or "a check failed"
    if isinstance(err, CallTimeout):
        return "your code ran past the time limit and was stopped"
    if isinstance(err, WorkerGone):
        return f"your code crashed the notebook process: {err}"
    if isinstance(err, NotImplementedError):
        return "not implemented yet (NotImplementedError)"
    if isinstance(err, StudentError):
        return f"your code raised {err}"
    name = type(err).__name__
    text = str(err).strip()
    return f"{name}: {text}" if text else name


class TestRunner:
    __test__ = False  # not a pytest test class
    """Runs test cells against a student session, restarting it when it dies.

    Parameters
    ----------
    assignment : autograder.pipeline.source.Assignment
    start : callable
        ``start() -> session``: a fresh student process with the program run.
    deadline : float
        ``time.monotonic()`` after which remaining tests are not run.
    in_kernel : bool
        Run the test code inside the student process instead (nbgrader's way;
        the benchmark baseline, never used for real grades).
    """

    def __init__(self, assignment, start, deadline, in_kernel=False, log=print):
        self.assignment, self.start, self.deadline = assignment, start, deadline
        self.in_kernel, self.log = in_kernel, log
        self.session, self.restarts, self.broken = None, 0, None

    def _session(self):
        if self.session is not None and self.session.alive:
            return self.session
        if self.broken:
            raise WorkerGone(self.broken)
        if self.session is not None:
            self.restarts += 1
            if self.restarts > MAX_RESTARTS:
                self.broken = "the notebook process kept crashing; remaining tests were not run"
                raise WorkerGone(self.broken)
            self.log(f"  restarting the student process ({self.restarts}/{MAX_RESTARTS})")
        try:
            self.session = self.start()
        except WorkerGone as err:
            self.broken = f"the notebook process could not be started: {err}"
            raise WorkerGone(self.broken) from None
        return self.session

    def run_one(self, test):
        t0 = time.monotonic()
        if time.monotonic() > self.deadline:
            return self._result(test, False, "not run: the grading time limit was reached", t0)
        try:
            session = self._session()
            if self.in_kernel:
                session.exec_test(test.source)
            else:
                namespace = {"__builtins__": builtins, "__name__": "__test__"}
                for name in self.assignment.graded_names:
                    namespace[name] = RemoteFunction(session, name)
                with contextlib.redirect_stdout(io.StringIO()):  # visible tests print "OK"
                    exec(compile(test.source, f"<{test.grade_id}>", "exec"), namespace)
        except Exception as err:  # every failure is a result, never a crash of the grader
            return self._result(test, False, describe_failure(err), t0)
        return self._result(test, True, "passed", t0)

    def _result(self, test, passed, message, t0):
        return TestResult(test.grade_id, test.title, test.points, test.points if passed else 0.0,
                          test.hidden, message, time.monotonic() - t0)

    def run_all(self):
        return [self.run_one(t) for t in self.assignment.tests]

    def close(self):
        if self.session is not None:
            self.session.stop()
