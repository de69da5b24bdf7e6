"""The student side of grading: runs answer cells and serves calls to graded names.

Runs in its own process, as an unprivileged user where the grader is root, and
is untrusted as soon as the first student cell has run: everything it sends back
is checked by the supervisor, which only ever decodes plain data (``wire``).
It is copied into the sandbox with ``wire.py`` and uses only the standard
library, NumPy and IPython.

Usage: ``python worker.py FD_IN FD_OUT LIMITS_JSON``
"""

import json
import os
import resource
import sys


def apply_limits(limits):
    """Lower this process's resource limits (inherited by everything it starts)."""
    names = {"nproc": resource.RLIMIT_NPROC, "fsize": resource.RLIMIT_FSIZE,
             "nofile": resource.RLIMIT_NOFILE, "as": resource.RLIMIT_AS,
             "cpu": resource.RLIMIT_CPU, "core": resource.RLIMIT_CORE}
    for name, value in limits.items():
        if name in names and value is not None:
            soft, hard = resource.getrlimit(names[name])
            value = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(names[name], (value, value))


class Worker:
    """Request loop: ``run_cell``, ``call``, ``getattr``/``setattr``, items, ``release``."""

    def __init__(self, fd_in, fd_out):
        import numpy as np

        import wire

        self.np, self.wire = np, wire
        self.fd_in, self.fd_out = fd_in, fd_out
        self.objects, self.next_id = {}, 1
        self.seq = None
        from IPython.core.interactiveshell import InteractiveShell

        self.shell = InteractiveShell.instance(colors="nocolor")
        self.ns = self.shell.user_ns

    # -- encoding ----------------------------------------------------------------------
    def _keep(self, value):
        oid = self.next_id
        self.next_id += 1
        self.objects[oid] = value
        return {"$": "ref", "id": oid, "type": type(value).__name__}

    def _encode(self, value, frames):
        return self.wire.encode(value, frames, self._keep)

    def _resolve(self, oid, type_name):
        if oid not in self.objects:
            raise self.wire.ProtocolError("unknown object reference")
        return self.objects[oid]

    def _callback(self, cid):
        def callback(*args, **kwargs):
            frames = []
            self.wire.write_message(self.fd_out, {
                "op": "callback", "id": cid, "seq": self.seq,
                "args": self._encode(list(args), frames),
                "kwargs": self._encode(kwargs, frames)}, frames)
            while True:
                header, rframes = self.wire.read_message(self.fd_in)
                if header.get("op") == "callback_reply":
                    break
                self.reply(header, rframes)  # a nested request (rare): serve it
            if "error" in header:
                raise RuntimeError(f"the test's function failed: {header['error']}")
            return self._decode(header["value"], rframes)
        callback.__name__ = f"test_function_{cid}"
        return callback

    def _decode(self, node, frames):
        return self.wire.decode(node, frames, self._resolve, self._callback)

    # -- operations --------------------------------------------------------------------
    def op_run_cell(self, req, frames):
        result = self.shell.run_cell(req["source"], store_history=False)
        err = result.error_before_exec or result.error_in_exec
        sys.stdout.flush()
        sys.stderr.flush()
        if err is None:
            return {"ok": True}, []
        return {"ok": False, "cell_error": describe(err)}, []

    def op_call(self, req, frames):
        target = self._target(req)
        args = self._decode(req["args"], frames)
        kwargs = self._decode(req["kwargs"], frames)
        before = {k: _snapshot(v) for k, v in _data_args(args, kwargs)}
        value = target(*args, **kwargs)
        out = []
        node = self._encode(value, out)
        # Only the names of arguments changed in place go back: the call then fails.
        changed = [k for k, v in _data_args(args, kwargs) if not _same(v, before[k])]
        return {"value": node, "mutated": changed}, out

    def op_construct(self, req, frames):
        """Build a test fixture with a function of the course helpers (trusted code)."""
        import importlib

        module, func = str(req["module"]), str(req["func"])
        if not (module == "helpers" or module.startswith("helpers.")):
            raise ValueError("only helpers functions build fixtures")
        fn = getattr(importlib.import_module(module), func)
        value = fn(*self._decode(req["args"], frames), **self._decode(req["kwargs"], frames))
        out = []
        return {"value": self._encode(value, out)}, out

    def op_getattr(self, req, frames):
        value = getattr(self._target(req), req["name"])
        out = []
        if type(value) in (dict, list):  # containers stay remote so that item writes land
            return {"value": self._keep(value)}, out
        return {"value": self._encode(value, out)}, out

    def op_setattr(self, req, frames):
        setattr(self._target(req), req["name"], self._decode(req["value"], frames))
        return {"value": None}, []

    def op_getitem(self, req, frames):
        container = self._target(req)
        value = container[self._decode(req["key"], frames)]
        out = []
        if type(value) in (dict, list):
            return {"value": self._keep(value)}, out
        return {"value": self._encode(value, out)}, out

    def op_setitem(self, req, frames):
        container = self._target(req)
        container[self._decode(req["key"], frames)] = self._decode(req["value"], frames)
        return {"value": None}, []

    def op_items(self, req, frames):
        """Plain copies of a container's contents: ``list(obj)`` or ``list(obj.items())``."""
        import itertools

        obj = self._target(req)
        out = []
        source = obj.items() if req.get("kind") == "items" else obj
        cap = self.wire.MAX_NODES // 4  # an endless iterator fails at once, not at the time limit
        items = list(itertools.islice(iter(source), cap + 1))
        if len(items) > cap:
            raise ValueError(f"more than {cap} items: is this an endless iterator?")
        return {"value": self._encode(items, out)}, out

    def op_len(self, req, frames):
        return {"value": int(len(self._target(req)))}, []

    def op_release(self, req, frames):
        for oid in req.get("ids", []):
            self.objects.pop(oid, None)
        return {"value": None}, []

    def op_exec_test(self, req, frames):
        """Run a test inside this process, as nbgrader does (benchmark baseline only)."""
        exec(compile(req["source"], "<test>", "exec"), dict(self.ns))
        return {"value": None}, []

    def _target(self, req):
        if "ref" in req:
            return self._resolve(req["ref"], "")
        name = req["name"]
        if name not in self.ns:
            raise NameError(f"name {name!r} is not defined: did its answer cell run without errors?")
        return self.ns[name]

    # -- loop --------------------------------------------------------------------------
    def reply(self, req, frames):
        handler = getattr(self, "op_" + str(req.get("op")), None)
        outer, self.seq = getattr(self, "seq", None), req.get("seq")
        try:
            if handler is None:
                raise self.wire.ProtocolError("unknown operation")
            header, out = handler(req, frames)
        except BaseException as err:  # noqa: B902  (student code may raise anything)
            header, out = {"error": describe(err)}, []
        sys.stdout.flush()
        sys.stderr.flush()
        header["seq"] = req.get("seq")
        self.wire.write_message(self.fd_out, header, out)
        self.seq = outer

    def serve(self):
        self.wire.write_message(self.fd_out, {"ready": True, "pid": os.getpid()})
        while True:
            try:
                req, frames = self.wire.read_message(self.fd_in)
            except EOFError:
                return
            if req.get("op") == "stop":
                return
            self.reply(req, frames)


def _data_args(args, kwargs):
    """``(key, value)`` of the arguments that are arrays or tensors (``a0``, ``kname``)."""
    import numpy as np

    torch = sys.modules.get("torch")
    kinds = (np.ndarray,) + ((torch.Tensor,) if torch is not None else ())
    for i, a in enumerate(args):
        if isinstance(a, kinds):
            yield f"a{i}", a
    for k, a in kwargs.items():
        if isinstance(a, kinds):
            yield f"k{k}", a


def _snapshot(value):
    import numpy as np

    if isinstance(value, np.ndarray):
        return value.copy()
    return value.detach().clone()


def _same(new, old):
    import numpy as np

    if isinstance(old, np.ndarray):
        return new.shape == old.shape and new.dtype == old.dtype and np.array_equal(
            new, old, equal_nan=new.dtype.kind in "fc")
    import torch

    new = new.detach()
    return (new.shape == old.shape and new.dtype == old.dtype and new.device == old.device
            and bool(torch.equal(torch.nan_to_num(new), torch.nan_to_num(old))))


def describe(err):
    """``{"type", "builtin", "message"}`` of an exception, robust to hostile ``__str__``."""
    cls = type(err)
    try:
        message = str(err)[:2000]
    except BaseException:  # noqa: B902
        message = "(the exception's message could not be printed)"
    return {"type": str(getattr(cls, "__name__", "Exception"))[:100],
            "builtin": getattr(cls, "__module__", "") == "builtins",
            "message": message}


def main():
    fd_in, fd_out = int(sys.argv[1]), int(sys.argv[2])
    apply_limits(json.loads(sys.argv[3]))
    os.set_inheritable(fd_in, False)
    os.set_inheritable(fd_out, False)
    Worker(fd_in, fd_out).serve()
    os._exit(0)


if __name__ == "__main__":
    main()
