"""Run the trusted tests in the grader's own process.

Each test cell runs in a fresh namespace whose graded names are proxies for the
student's functions, so assertions, NumPy and the comparison code all live
here, where student code cannot reach them. A student process that dies or
hangs is restarted (a bounded number of times) so later tests still run.

Time is bounded here, in the trusted process, whatever a test does: each test
has a wall-clock budget (``Limits.test_seconds``), a request budget and a byte
budget, enforced on every request to the student process and, between
requests, by a timer signal; the run has its own deadline, after which the
remaining tests score 0 without running.
"""

import builtins
import contextlib
import io
import signal
import threading
import time
from dataclasses import dataclass

from ..sandbox.proxy import RemoteFunction
from ..sandbox.session import (BudgetExceeded, CallTimeout, ProtocolViolation, StudentError,
                               TestBudget, WorkerGone)

VIOLATION = ("your notebook's process broke the grader's protocol ({}): it wrote to the "
             "grader's channel or changed the grader's code, so no test counts")

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
    if isinstance(err, BudgetExceeded):
        return str(err)
    if isinstance(err, ProtocolViolation):
        return VIOLATION.format(err)
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
    limits : autograder.sandbox.limits.Limits
        The per-test budgets (``test_seconds``, ``test_requests``, ``test_bytes``).
    in_kernel : bool
        Run the test code inside the student process instead (nbgrader's way;
        the benchmark baseline, never used for real grades).
    """

    def __init__(self, assignment, start, deadline, limits, in_kernel=False, log=print,
                 progress=None):
        self.assignment, self.start, self.deadline = assignment, start, deadline
        self.assignment_limits, self.total_seconds = limits, limits.total_seconds
        self.in_kernel, self.log = in_kernel, log
        self.session, self.restarts, self.broken = None, 0, None
        self.progress = progress if progress is not None else []  # results so far, in order
        self.violation = None

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
        except ProtocolViolation as err:
            self.violation = str(err)
            raise
        except WorkerGone as err:
            self.broken = f"the notebook process could not be started: {err}"
            raise WorkerGone(self.broken) from None
        return self.session

    def run_one(self, test):
        t0 = time.monotonic()
        if t0 >= self.deadline:
            return self._result(test, False, self._run_over(), t0)
        limits = self.assignment_limits
        try:
            session = self._session()
            seconds = max(min(limits.test_seconds, self.deadline - time.monotonic()), 0.01)
            budget = TestBudget(seconds, limits.test_requests, limits.test_bytes)
            session.begin_test(budget)
            try:
                with _alarm(budget.deadline, session), _student_fixtures(session):
                    self._exec(session, test)
            finally:
                session.end_test()
        except ProtocolViolation as err:
            self.violation = str(err)
            return self._result(test, False, VIOLATION.format(err), t0)
        except BudgetExceeded as err:
            message = str(err)
            if time.monotonic() >= self.deadline - 0.01 and "ran out of time" in message:
                message += "; " + self._run_over()
            return self._result(test, False, message, t0)
        except Exception as err:  # every failure is a result, never a crash of the grader
            return self._result(test, False, describe_failure(err), t0)
        return self._result(test, True, "passed", t0)

    def _exec(self, session, test):
        if self.in_kernel:
            session.exec_test(test.source)
            return
        namespace = {"__builtins__": builtins, "__name__": "__test__"}
        for name in self.assignment.graded_names:
            namespace[name] = RemoteFunction(session, name)
        with contextlib.redirect_stdout(io.StringIO()):  # visible tests print "OK"
            exec(compile(test.source, f"<{test.grade_id}>", "exec"), namespace)

    def _run_over(self):
        return (f"not run: the grading time limit ({self.total_seconds:g} s) was reached "
                "before this test")

    def _result(self, test, passed, message, t0):
        return TestResult(test.grade_id, test.title, test.points, test.points if passed else 0.0,
                          test.hidden, message, time.monotonic() - t0)

    def run_all(self):
        for test in self.assignment.tests:
            if self.violation:
                self.progress.append(self._result(test, False, VIOLATION.format(self.violation),
                                                  time.monotonic()))
            else:
                self.progress.append(self.run_one(test))
        if self.violation:  # earlier passes came from the same tampered process
            return [self._result(t, False, VIOLATION.format(self.violation), time.monotonic())
                    if r.score else r for t, r in zip(self.assignment.tests, self.progress)]
        return list(self.progress)

    def close(self):
        if self.session is not None:
            self.session.stop()


@contextlib.contextmanager
def _alarm(deadline, session):
    """Interrupt the test's own code at ``deadline`` (main thread only).

    The timer raises :class:`BudgetExceeded` in the test, except while a request is on
    the wire: that request has the same deadline and ends itself, so the timer only
    comes back shortly after instead of leaving the channel half read.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def fire(signum, frame):
        if session.in_request:  # the timer repeats every 50 ms until it can raise
            return
        budget = session.budget
        raise BudgetExceeded(budget.stopped() if budget else "stopped: out of time")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, max(deadline - time.monotonic(), 0.001), 0.05)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)


@contextlib.contextmanager
def _student_fixtures(session):
    """Let ``helpers.testing.build_in_student`` build fixtures in the student process."""
    try:
        import helpers.testing as testing
    except ImportError:
        yield
        return
    testing._student_builder = lambda target, args, kwargs: session.construct(target, args, kwargs)
    try:
        yield
    finally:
        testing._student_builder = None
