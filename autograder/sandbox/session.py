"""The supervisor's end of the student process: start it, run cells, call graded names.

Only plain data crosses (see ``wire``). Every read has a deadline; a student
process that stops answering, floods, dies or breaks the protocol is killed and
reported, never waited on forever.
"""

import builtins
import os
import select
import threading
import time


from . import wire
from .launch import Sandbox


class StudentError(Exception):
    """Student code raised an exception that is not a built-in one."""


class WorkerGone(Exception):
    """The student process died, stopped answering or broke the protocol."""


class CallTimeout(WorkerGone):
    """A cell or call ran past its time limit; the student process was killed."""


class ProtocolViolation(WorkerGone):
    """The student process sent what no honest worker sends: its code was tampered with.

    The grader does not try to tell which cell did it: the run's score is 0.
    """


class BudgetExceeded(BaseException):
    """A test used up its time, request or byte budget (see :meth:`StudentSession.begin_test`).

    A ``BaseException``, like ``KeyboardInterrupt``: the ``except Exception`` of a
    test (``assert_raises``) must not swallow it and carry on.
    """


class InputModified(AssertionError):
    """The student's function changed an argument in place: the call fails.

    Only the student process can see its own memory, so its report can lower a
    score but never feeds a value back into the test (a forged "unchanged" cannot be
    disproved; the points resting on it are small).
    """


class TestBudget:
    """What one test may still spend talking to the student process."""

    __test__ = False  # not a pytest test class

    def __init__(self, seconds, requests, nbytes):
        self.seconds, self.requests, self.nbytes = seconds, requests, nbytes
        self.deadline = time.monotonic() + seconds
        self.used_requests = self.used_bytes = 0

    def stopped(self):
        return f"stopped after {self.seconds:g} s: the test ran out of time"

    def spend(self, requests=0, nbytes=0):
        self.used_requests += requests
        self.used_bytes += nbytes
        if self.used_requests > self.requests:
            raise BudgetExceeded(
                f"stopped after {self.requests} requests to your code in one test: does a "
                "function return something other than an array or a number?")
        if self.used_bytes > self.nbytes:
            raise BudgetExceeded(
                f"stopped after {self.nbytes >> 20} MiB exchanged with your code in one test: "
                "are the returned arrays far larger than documented?")


def student_exception(err):
    """The exception to raise in the trusted process for a student's ``err`` dict.

    Built-in exception types come back as themselves (so ``assert_raises(ValueError, ...)``
    works); anything else becomes :class:`StudentError`. The message is plain text.
    """
    name, message = str(err.get("type", "Exception")), str(err.get("message", ""))
    cls = getattr(builtins, name, None) if err.get("builtin") else None
    if isinstance(cls, type) and issubclass(cls, Exception) and cls.__module__ == "builtins":
        try:
            return cls(message)
        except Exception:
            pass
    return StudentError(f"{name}: {message}" if message else name)


class OutputDrain(threading.Thread):
    """Reads the student's stdout/stderr, keeping the first ``limit`` bytes."""

    def __init__(self, fd, limit):
        super().__init__(daemon=True)
        self.fd, self.limit = fd, limit
        self.kept, self.dropped = bytearray(), 0

    def run(self):
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            room = self.limit - len(self.kept)
            self.kept += chunk[:max(room, 0)]
            self.dropped += max(len(chunk) - max(room, 0), 0)
        os.close(self.fd)

    def text(self):
        text = self.kept.decode("utf-8", "replace")
        if self.dropped:
            text += f"\n[... {self.dropped} more bytes of output discarded]"
        return text


class StudentSession:
    """A running student process.

    Parameters
    ----------
    limits : autograder.sandbox.limits.Limits
    helpers_dir : str
    isolate : bool, optional
        See :class:`autograder.sandbox.launch.Sandbox`.
    """

    def __init__(self, limits, helpers_dir, isolate=None):
        self.limits = limits
        self.sandbox = Sandbox(limits, helpers_dir, isolate)
        self.alive = False
        self.callbacks = {}
        self.drain = None
        self.death = None
        self.budget = None      # the current test's TestBudget, if any
        self.in_request = False  # a request is on the wire: an interrupt would desync it
        self.seq = 0

    # ------------------------------------------------------------------ lifecycle
    def start(self):
        req_r, self.req_w = os.pipe()
        self.resp_r, resp_w = os.pipe()
        out_r, out_w = os.pipe()
        try:
            self.sandbox.start(req_r, resp_w, out_w)
        finally:
            for fd in (req_r, resp_w, out_w):
                os.close(fd)
        try:
            os.set_blocking(self.req_w, False)
            self.drain = OutputDrain(out_r, self.limits.output_bytes)
            self.drain.start()
            self.alive = True
            header, _ = self._read(time.monotonic() + self.limits.start_seconds)
            if header.get("ready") is not True:
                self._die("the student process did not start")
        except BaseException:  # noqa: B902  (nothing may outlive a failed start)
            self.stop()
            raise
        return self

    def stop(self):
        """Kill the student process and everything it started."""
        if self.alive:
            try:
                self._write({"op": "stop"}, [], time.monotonic() + 0.5)
            except WorkerGone:
                pass
        self.alive = False
        self.sandbox.stop()
        for fd in ("req_w", "resp_r"):
            if getattr(self, fd, None) is not None:
                try:
                    os.close(getattr(self, fd))
                except OSError:
                    pass
                setattr(self, fd, None)
        if self.drain is not None:
            self.drain.join(timeout=2)

    def output(self):
        """What the student process printed (capped)."""
        return self.drain.text() if self.drain else ""

    @property
    def notes(self):
        return self.sandbox.notes

    # ------------------------------------------------------------------ per-test bounds
    def begin_test(self, budget):
        """Bound what the next test may spend: a :class:`TestBudget` (or ``None``)."""
        self.budget = budget
        self.callbacks = {}

    def end_test(self):
        """Forget the test's callbacks and budget (handles to objects stay valid)."""
        self.budget = None
        self.callbacks = {}

    # ------------------------------------------------------------------ requests
    def run_cell(self, source, timeout=None):
        """Run one cell; return ``None`` or the error dict of the exception it raised."""
        reply, _ = self._request({"op": "run_cell", "source": source}, [], timeout,
                                 errors_allowed=False)
        return None if reply.get("ok") is True else _error_dict(reply.get("cell_error"))

    def call(self, target, args=(), kwargs=None, timeout=None):
        """Call a graded name (``str``) or a remote object (``int`` id) with plain data."""
        frames = []
        header = dict(self._target(target), op="call",
                      args=wire.encode(list(args), frames, self._encode_object),
                      kwargs=wire.encode(dict(kwargs or {}), frames, self._encode_object))
        reply, rframes = self._request(header, frames, timeout)
        value = self._decode(reply.get("value"), rframes)
        self._check_unmodified(reply.get("mutated"), target, args, kwargs or {})
        return value

    def construct(self, target, args=(), kwargs=None, timeout=None):
        """Build a fixture with ``helpers.<module>:<function>`` in the student process.

        Returns plain data or a :class:`~autograder.sandbox.proxy.RemoteObject`.
        """
        module, _, func = str(target).partition(":")
        if not (module == "helpers" or module.startswith("helpers.")) or not func:
            raise ValueError(f"not a helpers function: {target!r}")
        frames = []
        header = {"op": "construct", "module": module, "func": func,
                  "args": wire.encode(list(args), frames, self._encode_object),
                  "kwargs": wire.encode(dict(kwargs or {}), frames, self._encode_object)}
        reply, rframes = self._request(header, frames, timeout)
        return self._decode(reply.get("value"), rframes)

    def getattr(self, target, name):
        reply, frames = self._request(dict(self._target(target), op="getattr", name=name), [])
        return self._decode(reply.get("value"), frames)

    def setattr(self, target, name, value):
        frames = []
        node = wire.encode(value, frames, self._encode_object)
        self._request(dict(self._target(target), op="setattr", name=name, value=node), frames)

    def getitem(self, target, key):
        frames = []
        node = wire.encode(key, frames, self._encode_object)
        reply, rframes = self._request(dict(self._target(target), op="getitem", key=node), frames)
        return self._decode(reply.get("value"), rframes)

    def setitem(self, target, key, value):
        frames = []
        knode = wire.encode(key, frames, self._encode_object)
        vnode = wire.encode(value, frames, self._encode_object)
        self._request(dict(self._target(target), op="setitem", key=knode, value=vnode), frames)

    def items(self, target, kind="iter"):
        reply, frames = self._request(dict(self._target(target), op="items", kind=kind), [])
        value = self._decode(reply.get("value"), frames)
        if not isinstance(value, list):
            self._die("the student process sent a malformed reply", ProtocolViolation)
        return value

    def length(self, target):
        reply, _ = self._request(dict(self._target(target), op="len"), [])
        value = reply.get("value")
        if type(value) is not int or value < 0:
            self._die("the student process sent a malformed reply", ProtocolViolation)
        return value

    def exec_test(self, source, timeout=None):
        """Run test code inside the student process (benchmark baseline only)."""
        self._request({"op": "exec_test", "source": source}, [], timeout)

    # ------------------------------------------------------------------ plumbing
    @staticmethod
    def _target(target):
        return {"ref": target} if isinstance(target, int) else {"name": str(target)}

    def _encode_object(self, value):
        from .proxy import RemoteObject

        if isinstance(value, RemoteObject):
            if value._session is not self:
                raise TypeError("this object belongs to an earlier student process")
            return {"$": "ref", "id": value._id}
        if callable(value):
            cid = len(self.callbacks) + 1
            self.callbacks[cid] = value
            return {"$": "callback", "id": cid}
        raise TypeError(f"cannot send a {type(value).__name__} to student code")

    def _decode(self, node, frames):
        from .proxy import RemoteObject

        try:
            return wire.decode(node, frames, lambda i, t: RemoteObject(self, i, t))
        except wire.ProtocolError as err:
            self._die(f"the student process sent invalid data ({err})", ProtocolViolation)
        except (RecursionError, OverflowError, ValueError, TypeError, MemoryError) as err:
            self._die(f"the student process sent invalid data ({type(err).__name__})",
                      ProtocolViolation)

    def _check_unmodified(self, mutated, target, args, kwargs):
        """Fail the call when the student process says it changed an argument in place."""
        if mutated in (None, []):
            return
        if type(mutated) is not list or len(mutated) > len(args) + len(kwargs):
            self._die("the student process sent a malformed reply", ProtocolViolation)
        names = []
        for key in mutated:
            if type(key) is not str or not key[:1] in ("a", "k"):
                self._die("the student process sent a malformed reply", ProtocolViolation)
            if key[0] == "a" and key[1:].isdigit() and int(key[1:]) < len(args):
                names.append(f"argument {int(key[1:]) + 1}")
            elif key[0] == "k" and key[1:] in kwargs:
                names.append(f"argument {key[1:]!r}")
        if names:
            what = target if isinstance(target, str) else "the method"
            raise InputModified(f"{what} modified its input in place ({', '.join(names)}); "
                                "graded functions must work on a copy")

    def _request(self, header, frames, timeout=None, errors_allowed=True):
        if not self.alive:
            raise WorkerGone(self.death or "the student process is not running")
        budget = self.budget
        deadline = time.monotonic() + (timeout or self.limits.cell_seconds)
        if budget is not None:
            if time.monotonic() >= budget.deadline:
                raise BudgetExceeded(budget.stopped())
            budget.spend(requests=1)
            deadline = min(deadline, budget.deadline)
        self.seq += 1
        seq = self.seq  # a callback may make requests of its own (nested, with their own seq)
        header = dict(header, seq=seq)
        self.in_request = True
        try:
            self._write(header, frames, deadline)
            while True:
                reply, rframes = self._read(deadline)
                if reply.get("seq") != seq:
                    self._die("the student process broke the protocol (a reply out of order)",
                              ProtocolViolation)
                if reply.get("op") != "callback":
                    break
                if budget is not None:
                    budget.spend(requests=1)
                self._serve_callback(reply, rframes, deadline, seq)
                self.in_request = True  # a nested request in the callback cleared it
        except BudgetExceeded as err:  # mid-request: the channel is out of step, so end it
            if self.alive:
                self._die(str(err), BudgetExceeded)
            raise
        finally:
            self.in_request = False
        if "error" in reply:
            if not errors_allowed:
                self._die("the student process broke the protocol (an error reply)",
                          ProtocolViolation)
            raise student_exception(_error_dict(reply["error"]))
        return reply, rframes

    def _serve_callback(self, req, frames, deadline, seq):
        out = []
        try:
            cid = req.get("id")
            fn = self.callbacks.get(cid) if type(cid) is int else None
            if fn is None:
                raise RuntimeError("unknown callback")
            args = self._decode(req.get("args"), frames)
            kwargs = self._decode(req.get("kwargs"), frames)
            if not isinstance(args, list) or not isinstance(kwargs, dict):
                raise RuntimeError("malformed callback arguments")
            value = fn(*args, **{str(k): v for k, v in kwargs.items()})
            reply = {"op": "callback_reply", "seq": seq,
                     "value": wire.encode(value, out, self._encode_object)}
        except (WorkerGone, BudgetExceeded):
            raise
        except Exception as err:  # the test's own function failed on the student's input
            out = []
            reply = {"op": "callback_reply", "seq": seq,
                     "error": f"{type(err).__name__}: {err}"[:500]}
        self._write(reply, out, deadline)

    def _write(self, header, frames, deadline):
        data = memoryview(wire.pack_message(header, frames))
        if self.budget is not None:
            self.budget.spend(nbytes=len(data))
        while data:
            left = deadline - time.monotonic()
            if left <= 0:
                self._timeout()
            _, writable, _ = select.select([], [self.req_w], [], left)
            if not writable:
                continue
            try:
                n = os.write(self.req_w, data)
            except BlockingIOError:
                continue
            except OSError:
                self._die(self._death_reason())
            data = data[n:]

    def _read(self, deadline):
        def reader(fd, n):
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    self._timeout()
                readable, _, _ = select.select([fd], [], [], min(left, 1.0))
                if readable:
                    return os.read(fd, n)
                if self.sandbox.proc.poll() is not None and not select.select([fd], [], [], 0)[0]:
                    return b""

        budget = self.budget
        left = None if budget is None else max(budget.nbytes - budget.used_bytes, 0)
        try:
            header, frames = wire.read_message(self.resp_r, reader, max_bytes=left)
        except EOFError:
            self._die(self._death_reason())
        except wire.ProtocolError as err:
            if budget is not None and "too large" in str(err):
                self._die(f"stopped: a reply of your code was larger than the "
                          f"{budget.nbytes >> 20} MiB one test may exchange", BudgetExceeded)
            self._die(f"the student process broke the protocol ({err})", ProtocolViolation)
        except (WorkerGone, BudgetExceeded):
            raise
        except Exception as err:  # noqa: B902  (whatever the bytes were, the process is done)
            self._die(f"the student process broke the protocol ({type(err).__name__})", ProtocolViolation)
        if budget is not None:
            budget.spend(nbytes=sum(map(len, frames)))
        return header, frames

    def _death_reason(self):
        time.sleep(0.05)
        if self.sandbox.oom_killed():
            return "the student process ran out of memory and was killed"
        code = self.sandbox.proc.poll()
        if code is None:
            return "the student process closed its channel to the grader"
        if code < 0 or code > 128:
            return f"the student process was killed (signal {abs(code) % 128})"
        return f"the student process exited (status {code})"

    def _timeout(self):
        budget = self.budget
        if budget is not None and time.monotonic() >= budget.deadline:
            self._die(budget.stopped(), BudgetExceeded)
        self._die("time limit exceeded: the student process was stopped", CallTimeout)

    def _die(self, reason, cls=WorkerGone):
        self.death = reason
        self.alive = False
        self.sandbox.stop()
        raise cls(reason)


def _error_dict(err):
    if not isinstance(err, dict):
        return {"type": "Exception", "builtin": False, "message": str(err)[:2000]}
    return {"type": str(err.get("type", "Exception"))[:100], "builtin": err.get("builtin") is True,
            "message": str(err.get("message", ""))[:2000]}
