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

import numpy as np

from . import wire
from .launch import Sandbox


class StudentError(Exception):
    """Student code raised an exception that is not a built-in one."""


class WorkerGone(Exception):
    """The student process died, stopped answering or broke the protocol."""


class CallTimeout(WorkerGone):
    """A cell or call ran past its time limit; the student process was killed."""


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
        os.set_blocking(self.req_w, False)
        self.drain = OutputDrain(out_r, self.limits.output_bytes)
        self.drain.start()
        self.alive = True
        header, _ = self._read(time.monotonic() + self.limits.start_seconds)
        if not header.get("ready"):
            self._die("the student process did not start")
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

    # ------------------------------------------------------------------ requests
    def run_cell(self, source, timeout=None):
        """Run one cell; return ``None`` or the error dict of the exception it raised."""
        reply, _ = self._request({"op": "run_cell", "source": source}, [], timeout)
        return None if reply.get("ok") is True else _error_dict(reply.get("cell_error"))

    def call(self, target, args=(), kwargs=None, timeout=None):
        """Call a graded name (``str``) or a remote object (``int`` id) with plain data."""
        frames = []
        header = dict(self._target(target), op="call",
                      args=wire.encode(list(args), frames, self._encode_object),
                      kwargs=wire.encode(dict(kwargs or {}), frames, self._encode_object))
        reply, rframes = self._request(header, frames, timeout)
        value = self._decode(reply.get("value"), rframes)
        self._mirror(reply.get("mutated"), rframes, args, kwargs or {})
        return value

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
            raise WorkerGone("the student process sent a malformed reply")
        return value

    def length(self, target):
        reply, _ = self._request(dict(self._target(target), op="len"), [])
        value = reply.get("value")
        if type(value) is not int or value < 0:
            raise WorkerGone("the student process sent a malformed reply")
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
            self._die(f"the student process sent invalid data ({err})")

    def _mirror(self, mutated, frames, args, kwargs):
        """Copy arrays the student code changed in place back into the test's arrays."""
        if not isinstance(mutated, list):
            return
        for item in mutated:
            if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
                continue
            key, node = item
            if key[0] == "a" and key[1:].isdigit() and int(key[1:]) < len(args):
                original = args[int(key[1:])]
            elif key[0] == "k" and key[1:] in kwargs:
                original = kwargs[key[1:]]
            else:
                continue
            new = self._decode(node, frames)
            if isinstance(original, np.ndarray) and isinstance(new, np.ndarray):
                if new.shape == original.shape and original.flags.writeable:
                    np.copyto(original, new, casting="unsafe")
            elif isinstance(original, np.random.Generator) and isinstance(new, np.random.Generator):
                if type(new.bit_generator) is type(original.bit_generator):
                    original.bit_generator.state = new.bit_generator.state

    def _request(self, header, frames, timeout=None):
        if not self.alive:
            raise WorkerGone(self.death or "the student process is not running")
        deadline = time.monotonic() + (timeout or self.limits.cell_seconds)
        self._write(header, frames, deadline)
        while True:
            reply, rframes = self._read(deadline)
            if reply.get("op") != "callback":
                break
            self._serve_callback(reply, rframes, deadline)
        if "error" in reply:
            raise student_exception(_error_dict(reply["error"]))
        return reply, rframes

    def _serve_callback(self, req, frames, deadline):
        fn = self.callbacks.get(req.get("id"))
        out = []
        try:
            if fn is None:
                raise RuntimeError("unknown callback")
            args = self._decode(req.get("args"), frames)
            kwargs = self._decode(req.get("kwargs"), frames)
            if not isinstance(args, list) or not isinstance(kwargs, dict):
                raise RuntimeError("malformed callback arguments")
            value = fn(*args, **{str(k): v for k, v in kwargs.items()})
            reply = {"op": "callback_reply",
                     "value": wire.encode(value, out, self._encode_object)}
        except WorkerGone:
            raise
        except Exception as err:  # the test's own function failed on the student's input
            out = []
            reply = {"op": "callback_reply", "error": f"{type(err).__name__}: {err}"[:500]}
        self._write(reply, out, deadline)

    def _write(self, header, frames, deadline):
        data = memoryview(wire.pack_message(header, frames))
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

        try:
            header, frames = wire.read_message(self.resp_r, reader)
        except EOFError:
            self._die(self._death_reason())
        except wire.ProtocolError as err:
            self._die(f"the student process broke the protocol ({err})")
        if not isinstance(header, dict):
            self._die("the student process broke the protocol")
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
