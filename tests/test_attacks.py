"""The public attack catalog: each attack is contained.

Contained means: the grader finishes, ``results.json`` is valid, the score is not
above the same submission's honest score, and nothing the submission started is
still running. Attack code is appended to the last answer cell of a submission
whose graded functions return zeros (so tests reach their comparisons); the
honest score is that of the same submission without the attack.
"""

import json
import os
import socket
import textwrap
import threading
import time

import pytest

from autograder.pipeline import homeworks
from autograder.pipeline.source import load_assignment, nbgrader_meta
from autograder.sandbox.launch import leftovers
from autograder.submissions import load_release
from tests.conftest import HOMEWORKS, grade_notebook

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="isolation needs root")
HW = HOMEWORKS[0]


def zero_answers(name):
    names = load_assignment(homeworks.source_path(name), name).graded_names
    return "\nimport numpy as _np\n" + "\n".join(
        f"def {n}(*a, **k):\n    return _np.zeros((2, 2))" for n in names)


def submission(name, attack="", where="last"):
    """The release with zero answers in its last answer cell and ``attack`` in the
    ``"last"`` one (after them) or the ``"first"`` one (before every other answer)."""
    nb = load_release(name)
    cells = [c for c in nb["cells"] if nbgrader_meta(c).get("solution")]
    for cell, code in ((cells[-1], zero_answers(name)),
                       (cells[0] if where == "first" else cells[-1], textwrap.dedent(attack))):
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        cell["source"] = src + "\n" + code + "\n"
    return nb


def sandbox_processes():
    """Running (not zombie) processes of the uid this grader process gives student code."""
    from autograder.sandbox.launch import _running_pids_of, sandbox_uid

    return _running_pids_of(sandbox_uid())


_honest = {}


def honest_score(tmp_path, name):
    if name not in _honest:
        _honest[name] = grade_notebook(tmp_path, name, submission(name))["score"]
    return _honest[name]


def check_contained(tmp_path, name, attack, where="last", **kwargs):
    (tmp_path / "honest").mkdir()
    baseline = honest_score(tmp_path / "honest", name)
    t0 = time.monotonic()
    results = grade_notebook(tmp_path, name, submission(name, attack, where), **kwargs)
    elapsed = time.monotonic() - t0
    assert results["score"] <= baseline, f"attack raised the score: {results['output']}"
    assert elapsed < homeworks.get(name).limits.total_seconds + 30
    assert not leftovers(), f"the sandbox left {leftovers()} behind"
    assert not sandbox_processes(), "processes of the submission outlived grading"
    return results


ATTACKS = {
    "patched_numpy_comparisons": """
        import numpy as np, numpy.testing
        np.allclose = lambda *a, **k: True
        np.array_equal = lambda *a, **k: True
        np.isclose = lambda *a, **k: np.ones((), bool)
        numpy.testing.assert_allclose = lambda *a, **k: None
        import builtins; builtins.AssertionError = type("Nope", (Exception,), {})
    """,
    "input_transformer_blanks_later_cells": """
        get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])
        get_ipython().input_transformers_cleanup.append(lambda lines: [])
    """,
    "custom_exception_handler_and_silenced_tracebacks": """
        import sys
        get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)
        sys.excepthook = lambda *a: None
        get_ipython().showtraceback = lambda *a, **k: None
    """,
    "objects_that_compare_equal_to_anything": """
        import numpy as np
        class Liar(np.ndarray):
            def __eq__(self, other): return True
            __ne__ = lambda self, other: False
            def __array_ufunc__(self, *a, **k): return True
        class Anything:
            def __eq__(self, other): return True
            def __array__(self, *a, **k): raise TypeError
            def __float__(self): return 0.0
        for _n in list(globals()):
            if callable(globals()[_n]) and not _n.startswith("_") and _n not in ("Liar", "Anything", "np", "get_ipython", "exit", "quit"):
                globals()[_n] = (lambda *a, **k: Anything())
    """,
    "reads_solutions_tests_and_gradebook": """
        import os
        found = []
        for top in ("/", "/autograder", os.path.expanduser("~"), "/tmp", "/work"):
            for d, dirs, files in os.walk(top):
                if d.startswith(("/proc", "/sys", "/usr", "/dev")):
                    dirs[:] = []
                    continue
                for f in files:
                    if f.endswith((".ipynb", ".db", ".json")):
                        try:
                            text = open(os.path.join(d, f), errors="ignore").read()
                        except OSError:
                            continue
                        if "BEGIN SOLUTION" in text or "HIDDEN TESTS" in text or "solution" in text:
                            found.append(os.path.join(d, f))
        if found:
            import json as _j
            nb = _j.load(open(found[0]))
            for c in nb["cells"]:
                src = "".join(c["source"])
                if "BEGIN SOLUTION" in src:
                    exec(src.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""), globals())
    """,
    "forges_results_json_also_from_a_daemon": """
        import os, json, time
        forged = json.dumps({"score": 1000, "tests": []})
        def forge():
            for p in ("/autograder/results/results.json", "results.json", "/tmp/results.json"):
                try:
                    os.makedirs(os.path.dirname(p) or ".", exist_ok=True)
                    open(p, "w").write(forged)
                except OSError:
                    pass
        forge()
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                for _ in range(600):
                    forge(); time.sleep(0.05)
            os._exit(0)
    """,
    "patches_grader_modules": """
        import sys, os
        for m in list(sys.modules):
            if "autograder" in m or "wire" in m or "worker" in m:
                mod = sys.modules[m]
                for attr in dir(mod):
                    if attr.startswith(("grade", "build", "write", "describe", "encode")):
                        try: setattr(mod, attr, lambda *a, **k: {"score": 1000})
                        except Exception: pass
        for p in ("/autograder/source/autograder/pipeline/report.py",):
            try: open(p, "a").write("\\nraise SystemExit")
            except OSError: pass
    """,
    "pickle_payload_in_return_values": """
        import numpy as np, os
        class Evil:
            def __reduce__(self):
                return (os.system, ("touch /tmp/cvgrade-pwned",))
        _keep = globals().get("__name__")
        for _n in [n for n in globals() if not n.startswith("_") and callable(globals()[n]) and n not in ("Evil", "np", "os", "get_ipython", "exit", "quit")]:
            globals()[_n] = lambda *a, **k: np.array([Evil(), Evil()], dtype=object)
    """,
    "os_exit": """
        import os
        os._exit(0)
    """,
    "system_exit": """
        raise SystemExit("bye")
    """,
    "kills_the_parent_and_everything": """
        import os, signal
        for pid in (os.getppid(), 1):
            try: os.kill(pid, signal.SIGKILL)
            except OSError: pass
        try: os.kill(-1, signal.SIGKILL)
        except OSError: pass
    """,
    "fork_bomb": """
        import os
        for _ in range(10000):
            try: os.fork()
            except OSError: break
    """,
    "memory_hog": """
        hog = []
        for _ in range(400):
            hog.append(bytearray(64 * 2**20))
    """,
    "output_flood": """
        import sys
        for _ in range(10**7):
            sys.stdout.write("x" * 10000 + "\\n")
    """,
    "fills_the_disk": """
        import os
        for i in range(10**6):
            try:
                with open(f"/tmp/fill{i}", "wb") as f:
                    f.write(b"0" * 2**20 * 32)
            except OSError:
                break
    """,
    "daemon_outlives_grading": """
        import os, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                import signal
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                signal.signal(signal.SIGHUP, signal.SIG_IGN)
                time.sleep(3600)
            os._exit(0)
    """,
    "ignores_sigterm_and_loops_in_calls": """
        import signal, numpy as np
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for _n in [n for n in globals() if not n.startswith("_") and callable(globals()[n]) and n not in ("signal", "np", "get_ipython", "exit", "quit")]:
            def _spin(*a, **k):
                while True: pass
            globals()[_n] = _spin
    """,
    "reads_environment_and_metadata": """
        import os
        leaked = dict(os.environ)
        for p in ("/autograder/submission_metadata.json", "/proc/1/environ"):
            try: leaked[p] = open(p).read()
            except OSError: pass
        print("LEAK", leaked)
    """,
}


# Attacks that make the trusted process work without end (issue: time bounds) and attacks on
# the protocol itself, from code that owns the whole worker process (it finds the Worker
# object and patches its methods or the wire module).
_WORKER = """
        import gc, os, struct, sys
        _W = next(o for o in gc.get_objects() if type(o).__name__ == "Worker")
        _orig_reply = type(_W).reply
"""
_ALL_GRADED = """
        for _n in [n for n in globals() if not n.startswith("_") and callable(globals()[n])
                   and n not in ("np", "get_ipython", "exit", "quit", "Self", "Tiny", "Slow", "Endless", "time")]:
            globals()[_n] = _answer
"""
ATTACKS.update({
    "self_similar_sequence": """
        class Self:
            def __len__(self): return 2
            def __getitem__(self, i): return self
            def __getattr__(self, name): return self
            def __call__(self, *a, **k): return self
            def __eq__(self, other): return self
            __lt__ = __le__ = __gt__ = __ge__ = __ne__ = __eq__
        def _answer(*a, **k): return Self()
    """ + _ALL_GRADED,
    "a_million_remote_objects": """
        class Tiny: pass
        def _answer(*a, **k): return [[Tiny() for _ in range(1000)] for _ in range(1000)]
    """ + _ALL_GRADED,
    "getitem_sleeps_under_the_call_limit": """
        import time
        class Slow:
            def __len__(self): return 50
            def __getitem__(self, i):
                if i >= 50: raise IndexError
                time.sleep(9.5); return 0.0
        def _answer(*a, **k): return Slow()
    """ + _ALL_GRADED,
    "endless_iterator": """
        class Endless:
            def __iter__(self):
                while True: yield 0.0
            def __len__(self): return 3
            def __getitem__(self, i): return 0.0
        def _answer(*a, **k): return Endless()
    """ + _ALL_GRADED,
    "zeroes_its_inputs_in_place": """
        import numpy as np
        def _answer(*a, **k):
            for x in list(a) + list(k.values()):
                if isinstance(x, np.ndarray) and x.flags.writeable:
                    x[...] = 0
            return np.zeros((2, 2))
    """ + _ALL_GRADED,
    "forges_the_mutated_report": _WORKER + """
        import numpy as np
        _orig_call = type(_W).op_call
        def op_call(self, req, frames):
            header, out = _orig_call(self, req, frames)
            fake = []
            for i in range(6):
                out.append(np.zeros(4).tobytes())
                fake.append([f"a{i}", {"$": "nd", "dtype": "<f8", "shape": [4], "f": len(out) - 1}])
            header["mutated"] = fake
            return header, out
        type(_W).op_call = op_call
    """,
    "reports_nothing_changed_as_a_list_of_lies": _WORKER + """
        _orig_call = type(_W).op_call
        def op_call(self, req, frames):
            header, out = _orig_call(self, req, frames)
            header["mutated"] = [None, {"x": 1}, ["a0"]] * 1000
            return header, out
        type(_W).op_call = op_call
    """,
    "reply_nested_200000_deep": _WORKER + """
        def reply(self, req, frames):
            body = b"[" * 200000 + b"]" * 200000
            os.write(self.fd_out, struct.pack(">Q", len(body)) + body)
        type(_W).reply = reply
    """,
    "one_frame_named_by_every_node": _WORKER + """
        def reply(self, req, frames):
            node = [{"$": "nd", "dtype": "<f8", "shape": [2**19], "f": 0}] * 100000
            self.wire.write_message(self.fd_out, {"value": node, "seq": req.get("seq")},
                                    [b"\0" * 2**22])
        type(_W).reply = reply
    """,
    "claims_a_huge_array": _WORKER + """
        def reply(self, req, frames):
            node = {"$": "nd", "dtype": "<f8", "shape": [10**6, 10**6], "f": 0}
            self.wire.write_message(self.fd_out, {"value": node, "seq": req.get("seq")}, [b"\0" * 8])
        type(_W).reply = reply
    """,
    "unhashable_and_unknown_callback_ids": _WORKER + """
        def reply(self, req, frames):
            for cid in ([1], {"a": 1}, 10**30, "x", 7):
                self.wire.write_message(self.fd_out, {"op": "callback", "id": cid, "seq": req.get("seq"),
                                                      "args": [], "kwargs": {"$": "dict", "v": []}})
                self.wire.read_message(self.fd_in)
            _orig_reply(self, req, frames)
        type(_W).reply = reply
    """,
    "replies_out_of_order": _WORKER + """
        import numpy as np
        def reply(self, req, frames):
            ahead = (req.get("seq") or 0) + 1
            self.wire.write_message(self.fd_out, {"value": 0.0, "seq": ahead})
            _orig_reply(self, req, frames)
        type(_W).reply = reply
    """,
    "patched_wire_sends_garbage": """
        import sys, os
        _wire = sys.modules["wire"]
        def write_message(fd, header, frames=()):
            os.write(fd, b"\xff" * 64)
        _wire.write_message = write_message
    """,
})


# PyTorch homeworks: what a submission can do with tensors and models (HW3 onwards).
_ALL_TORCH = _ALL_GRADED.replace('"time")', '"time", "torch", "nn", "F")')
TORCH_ATTACKS = {
    "tensor_subclass_that_equals_anything": """
        import torch
        class Liar(torch.Tensor):
            def __eq__(self, other): return torch.ones((), dtype=torch.bool)
            def __bool__(self): return True
            @classmethod
            def __torch_function__(cls, func, types, args=(), kwargs=None):
                return torch.ones(())
        def _answer(*a, **k):
            return torch.zeros(1, 10).as_subclass(Liar)
    """ + _ALL_TORCH,
    "object_posing_as_a_tensor": """
        import torch
        class Posing:
            shape = torch.Size([1, 10]); dtype = torch.float32; device = torch.device("cpu")
            def __eq__(self, other): return True
            def __getattr__(self, name): return lambda *a, **k: self
            def __call__(self, *a, **k): return self
            def __float__(self): return 1.0
            def __len__(self): return 1
            def __getitem__(self, i): return self
        def _answer(*a, **k): return Posing()
    """ + _ALL_TORCH,
    "claims_a_tensor_of_tens_of_gigabytes": """
        import torch
        def _answer(*a, **k): return torch.zeros(1).expand(10**10)
    """ + _ALL_TORCH,
    "forged_tensor_shape_on_the_wire": _WORKER + """
        def reply(self, req, frames):
            node = {"$": "tensor", "dtype": "<f4", "shape": [10**5, 10**5], "f": 0,
                    "requires_grad": False, "device": "cuda"}
            self.wire.write_message(self.fd_out, {"value": node, "seq": req.get("seq")}, [b"\0" * 4])
        type(_W).reply = reply
    """,
    "nan_inf_and_wrong_dtypes": """
        import torch
        _kinds = [torch.full((1, 10), float("nan")), torch.full((1, 1, 16, 16), float("inf")),
                  torch.zeros((1, 10), dtype=torch.float16), torch.zeros((1, 10), dtype=torch.int64),
                  torch.zeros((1, 10), dtype=torch.complex64)]
        _calls = [0]
        def _answer(*a, **k):
            _calls[0] += 1
            return _kinds[_calls[0] % len(_kinds)]
    """ + _ALL_TORCH,
    "model_whose_forward_hangs_forks_or_exits": """
        import os, time, torch
        class Evil(torch.nn.Module):
            def __init__(self, *a, **k):
                super().__init__(); self.w = torch.nn.Parameter(torch.zeros(1))
            def forward(self, x):
                mode = int(time.time() * 10) % 3
                if mode == 0:
                    while True: pass
                if mode == 1:
                    for _ in range(200):
                        try: os.fork()
                        except OSError: break
                os._exit(3)
            def parameters(self, *a, **k):
                while True: yield self.w
        def _answer(*a, **k): return Evil()
    """ + _ALL_TORCH,
    "torch_monkeypatched_in_the_student_process": """
        import torch, torch.nn.functional as F
        torch.allclose = lambda *a, **k: True
        torch.equal = lambda *a, **k: True
        torch.testing.assert_close = lambda *a, **k: None
        torch.Tensor.__eq__ = lambda self, other: torch.ones((), dtype=torch.bool)
        torch.Tensor.allclose = lambda *a, **k: True
        F.cross_entropy = lambda *a, **k: torch.zeros(())
        torch.manual_seed = lambda *a, **k: None
    """,
    "memorizes_every_labelled_image_it_sees": """
        import torch
        _memory = {}
        _orig_iter = torch.utils.data.DataLoader.__iter__
        def _spy(self):
            for batch in _orig_iter(self):
                try:
                    xb, yb = batch[0], batch[1]
                    for x, y in zip(xb, yb):
                        _memory[hash(x.detach().cpu().numpy().round(3).tobytes())] = int(y)
                except Exception:
                    pass
                yield batch
        torch.utils.data.DataLoader.__iter__ = _spy
        class Memo(torch.nn.Module):
            def __init__(self, *a, **k):
                super().__init__(); self.w = torch.nn.Parameter(torch.zeros(1))
            def forward(self, x):
                out = torch.zeros(x.shape[0], 10)
                for i, xi in enumerate(x):
                    out[i, _memory.get(hash(xi.detach().cpu().numpy().round(3).tobytes()), 0)] = 10.0
                return out + 0 * self.w
        def _train(model, loader, optimizer, device):
            for _ in loader: pass
            return 0.0
        globals()["build_model"] = lambda *a, **k: Memo()
        globals()["train_epoch"] = _train
    """,
}


@ROOT_ONLY
@pytest.mark.skipif("hw3" not in HOMEWORKS, reason="HW3 is not in this checkout")
@pytest.mark.parametrize("attack", sorted(TORCH_ATTACKS))
def test_pytorch_attack_is_contained(tmp_path, attack):
    results = check_contained(tmp_path, "hw3", TORCH_ATTACKS[attack])
    assert results["tests"]


@ROOT_ONLY
@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_attack_is_contained(tmp_path, attack):
    marker = "/tmp/cvgrade-pwned"
    if os.path.exists(marker):
        os.remove(marker)
    check_contained(tmp_path, HW, ATTACKS[attack])
    assert not os.path.exists(marker), "something unpickled student data"


ERROR_REPLIES = """
        import gc
        _W = next(o for o in gc.get_objects() if type(o).__name__ == "Worker")
        def reply(self, req, frames):
            self.wire.write_message(self.fd_out, {"error": {"type": "ValueError", "builtin": True,
                                                            "message": "no"}, "seq": req.get("seq")})
        type(_W).reply = reply
    """


@ROOT_ONLY
def test_error_reply_while_starting_leaves_nothing_behind(tmp_path):
    """Error replies from the first cell on: run_cell may not answer with an error, so each
    start is a protocol violation; the cell is left out and nothing is left running.
    (From the last cell, error replies to calls are only a function raising ValueError,
    which earns what any function that raises earns.)"""
    results = check_contained(tmp_path, HW, ERROR_REPLIES, where="first")
    assert results["tests"]


@ROOT_ONLY
@pytest.mark.parametrize("name", HOMEWORKS)
@pytest.mark.parametrize("attack", ["patched_numpy_comparisons", "reads_solutions_tests_and_gradebook",
                                    "objects_that_compare_equal_to_anything"])
def test_core_attacks_contained_in_every_homework(tmp_path, name, attack):
    check_contained(tmp_path, name, ATTACKS[attack])


@ROOT_ONLY
def test_no_secrets_in_the_student_process(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CV_GRADER_SECRET", "s3cr3t-token")
    lines = []
    results = grade_notebook(tmp_path, HW, submission(HW, ATTACKS["reads_environment_and_metadata"]),
                             log=lambda *a: lines.append(" ".join(map(str, a))))
    log = "\n".join(lines)
    assert "LEAK" in log  # the student's print reached the instructors' log
    assert "s3cr3t-token" not in log
    assert "submission_metadata" not in log.split("LEAK", 1)[1].split("}", 1)[0] or "users" not in log
    (tmp_path / "honest").mkdir()
    assert results["score"] <= honest_score(tmp_path / "honest", HW)


@ROOT_ONLY
def test_no_network(tmp_path):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.5)
    port = server.getsockname()[1]
    accepted = []

    def accept():
        end = time.monotonic() + 20
        while time.monotonic() < end:
            try:
                conn, _ = server.accept()
                accepted.append(conn)
            except socket.timeout:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    attack = f"""
        import socket, urllib.request
        for target in [("127.0.0.1", {port}), ("8.8.8.8", 53)]:
            try: socket.create_connection(target, timeout=2).send(b"hello")
            except OSError as e: print("blocked", e)
    """
    check_contained(tmp_path, HW, attack)
    server.close()
    thread.join(timeout=2)
    assert not accepted, "the student process reached the network"


@ROOT_ONLY
def test_forged_results_do_not_survive_through_the_zip(zips, tmp_path):
    from autograder.demo import run_zip

    results, seconds, log = run_zip(zips[HW], submission(HW, ATTACKS["forges_results_json_also_from_a_daemon"]),
                                    str(tmp_path))
    time.sleep(1.0)
    on_disk = json.loads((tmp_path / "autograder" / "results" / "results.json").read_text())
    assert on_disk == results and results["score"] < 1000 and results["tests"]


@ROOT_ONLY
def test_student_cannot_read_the_source_through_the_zip(zips, tmp_path):
    from autograder.demo import run_zip

    attack = """
        import os
        for p in ("/autograder/source", "/autograder/results", "/autograder/submission_metadata.json"):
            print("EXISTS" if os.path.exists(p) else "ABSENT", p)
    """
    results, seconds, log = run_zip(zips[HW], submission(HW, attack), str(tmp_path))
    assert "ABSENT /autograder/source" in log and "EXISTS" not in log
