"""The trusted process bounds itself whatever the student's objects and replies do.

Per test: a wall-clock budget (test code interrupted between requests, requests cut at the
deadline), a cap on requests and on bytes. Per run: a deadline after which tests are not
run, and a watchdog that writes the results if the run is stuck anyway. Decoding is bounded
in nodes, depth and bytes, and a frame may be named once. Each case runs against a real
student process with a small synthetic assignment.
"""

import json
import os
import struct
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from autograder.pipeline.execute import start_student
from autograder.pipeline.homeworks import helpers_dir
from autograder.pipeline.run_tests import TestRunner
from autograder.pipeline.source import AnswerCell, Assignment, TestCell
from autograder.sandbox import wire
from autograder.sandbox.launch import leftovers
from autograder.sandbox.limits import Limits
from tests.conftest import ROOT

STUDENT = '''
import time
import numpy as np

class Box:
    def __init__(self):
        self.value = 1.0

def make_box():
    return Box()

def double(x):
    return 2 * x

def slow(seconds):
    time.sleep(seconds)
    return 0.0

def zero_in_place(x):
    x[...] = 0
    return x.copy()

def apply(f, x):
    return f(x) + f(x)
'''
NAMES = ("Box", "make_box", "double", "slow", "zero_in_place", "apply")


#: A loose ceiling on a whole synthetic run (sandbox start included): a bound that fails only
#: if the budgets did not hold, never because a shared CI machine is slow.
SLACK = 45


def run_tests(sources, **limits):
    """Grade ``sources`` (test code) against STUDENT; return the TestResults and seconds."""
    limits = Limits(**{"cell_seconds": 5, "test_seconds": 1.5, "total_seconds": 60, **limits})
    tests = tuple(TestCell(f"test_{i}", 1.0, textwrap.dedent(src), False, f"test {i}")
                  for i, src in enumerate(sources))
    assignment = Assignment("hwx", (), (AnswerCell("answer_all", STUDENT, NAMES),), tests)
    program = [("answer_all", STUDENT)]

    def start():
        return start_student(program, limits, helpers_dir(), log=lambda *a: None)[0]

    t0 = time.monotonic()
    runner = TestRunner(assignment, start, t0 + limits.total_seconds, limits, log=lambda *a: None)
    try:
        results = runner.run_all()
    finally:
        runner.close()
    assert not leftovers()
    return results, time.monotonic() - t0


def test_a_test_looping_in_its_own_code_is_stopped_and_the_next_one_runs():
    results, seconds = run_tests([
        "while True:\n    pass",
        "while True:\n    try:\n        double(1.0)\n    except Exception:\n        pass",
        "assert double(2.0) == 4.0",
    ])
    assert [r.score for r in results] == [0, 0, 1]
    assert "stopped after 1.5 s" in results[0].message
    assert "stopped after" in results[1].message  # time or the request cap, whichever first
    assert seconds < 3 * 1.5 + SLACK


def test_a_call_running_past_the_test_budget_is_cut_at_the_budget():
    results, seconds = run_tests(["slow(120.0)", "assert double(1) == 2"], cell_seconds=200)
    assert "stopped after 1.5 s" in results[0].message and results[1].score == 1
    assert seconds < SLACK  # not the 120 s the call wanted


def test_requests_and_bytes_are_capped_per_test():
    results, _ = run_tests([
        "box = make_box()\nfor _ in range(10**6):\n    box.value",
        "import numpy as np\nx = np.zeros(2**17)\nfor _ in range(100):\n    double(x)",
        "assert double(3) == 6",
    ], test_requests=200, test_bytes=8 * 2**20, test_seconds=20)
    assert "200 requests" in results[0].message
    assert "8 MiB" in results[1].message
    assert results[2].score == 1


def test_past_the_run_deadline_remaining_tests_score_zero_with_the_reason():
    results, seconds = run_tests(["while True: pass"] * 3 + ["assert double(1) == 2"] * 3,
                                 total_seconds=3.5)
    assert seconds < 3.5 + SLACK
    assert all(r.score == 0 for r in results)
    assert any("grading time limit (3.5 s)" in r.message for r in results)


def test_a_callback_may_call_student_code_again():
    """The test's function, called back by student code, calls a student function (nested)."""
    results, _ = run_tests(["assert apply(lambda v: double(v) + 1, 3.0) == 14.0",
                            "assert apply(lambda v: apply(double, v), 1.0) == 8.0"])
    assert [r.score for r in results] == [1, 1], [r.message for r in results]


def test_a_handle_is_not_an_array():
    results, _ = run_tests([
        "from helpers.testing import as_array\nas_array(make_box())",
    ])
    assert "expected an array, got <student Box object>" in results[0].message


def test_in_place_changes_fail_the_call_and_never_reach_the_test():
    results, _ = run_tests([
        "import numpy as np\nx = np.ones(3)\nzero_in_place(x)",
        "import numpy as np\nx = np.ones(3)\ntry:\n    zero_in_place(x)\nexcept AssertionError:\n"
        "    pass\nassert (x == 1).all()",
    ])
    assert "modified its input in place (argument 1)" in results[0].message
    assert results[1].score == 1


# ------------------------------------------------------------------------------- decoding
def test_a_frame_can_be_named_once():
    node = [{"$": "nd", "dtype": "<f8", "shape": [2], "f": 0}] * 2
    with pytest.raises(wire.ProtocolError, match="named twice"):
        wire.decode(node, [b"\0" * 16], lambda i, t: None)


def test_json_nested_past_the_recursion_limit_is_a_protocol_error():
    r, w = os.pipe()
    body = b"[" * 200000 + b"]" * 200000
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os.write(w, struct.pack(">Q", len(body)) + body)
        os._exit(0)
    os.close(w)
    try:
        with pytest.raises(wire.ProtocolError):
            wire.read_message(r)
    finally:
        os.close(r)
        os.waitpid(pid, 0)


def test_a_message_over_the_callers_byte_limit_is_refused_before_its_frames_are_read():
    r, w = os.pipe()
    wire.write_message(w, {"v": 1}, [b"\0" * 4096])
    os.close(w)
    with pytest.raises(wire.ProtocolError, match="too large"):
        wire.read_message(r, max_bytes=1000)
    os.close(r)


def test_claimed_shapes_must_match_their_frame():
    for shape in ([10**6, 10**6], [2**40], [3] * 40):
        with pytest.raises(wire.ProtocolError):
            wire.decode({"$": "nd", "dtype": "<f8", "shape": shape, "f": 0}, [b"\0" * 8],
                        lambda i, t: None)


def test_tensors_cross_as_fresh_plain_tensors():
    torch = pytest.importorskip("torch")

    class Liar(torch.Tensor):
        def __eq__(self, other):
            return True

    for value in (torch.arange(6.0).reshape(2, 3), torch.zeros(3, dtype=torch.int64),
                  torch.ones(2, requires_grad=True), torch.arange(4.0).as_subclass(Liar)):
        frames = []
        node = wire.encode(value, frames, None)
        out = wire.decode(node, frames, lambda i, t: None)
        assert type(out) is torch.Tensor and out.dtype == value.dtype
        assert torch.equal(out.detach(), value.detach().as_subclass(torch.Tensor))
        assert out.device.type == "cpu"


# ------------------------------------------------------------------------------- process
def test_the_watchdog_writes_results_and_ends_a_stuck_run(tmp_path):
    """A run stuck where no signal reaches it still ends with results, soon after its limit."""
    out = tmp_path / "results.json"
    script = f"""
import sys, time, threading
sys.path.insert(0, {ROOT!r})
from autograder.pipeline import grade, homeworks
from autograder.pipeline.source import load_assignment
from autograder.sandbox.limits import Limits
grade.WATCHDOG_GRACE = 0.5
hw = homeworks.Homework("hw0", homeworks.source_path("hw0"), Limits(total_seconds=1.0))
assignment = load_assignment(hw.source_path, "hw0")
grade._start_watchdog(hw, assignment, [], {str(out)!r}, time.monotonic(), print)
threading.Event().wait(300)  # stuck: no signal, no request, nothing
print("not reached")
"""
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert time.monotonic() - t0 < 90  # the script would wait 300 s without it
    assert proc.returncode == 0 and "not reached" not in proc.stdout
    results = json.loads(out.read_text())
    assert results["score"] == 0 and results["tests"]
    assert all("time limit" in t["output"] for t in results["tests"])


def test_the_grader_has_a_memory_ceiling():
    script = f"""
import sys
sys.path.insert(0, {ROOT!r})
from autograder.sandbox.limits import cap_grader_memory
if cap_grader_memory(2**30) is None:
    print("skipped"); sys.exit(0)
import numpy as np
try:
    np.ones(2**28)
except MemoryError:
    print("MemoryError")
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert proc.stdout.strip() in ("MemoryError", "skipped"), proc.stderr
    if not os.path.exists("/dev/nvidia0"):
        assert proc.stdout.strip() == "MemoryError"
    assert np.ones(2**20).sum() == 2**20  # this process is untouched


# ------------------------------------------------------------------------------- PyTorch
TORCH_STUDENT = '''
import torch

def saliency(model, image, label):
    x = image.clone().requires_grad_(True)
    model(x)[0, label].backward()
    return x.grad.abs().amax(dim=1)

def build():
    return torch.nn.Linear(3, 2)

def scale_in_place(x):
    x.mul_(2)
    return x.clone()
'''


def test_pytorch_fixtures_are_built_in_the_student_process_and_tensors_come_back_plain(
        monkeypatch):
    """A fixture model built by helper code where autograd runs; the expected value from the
    test's own copy; handles for modules; in-place changes to a tensor fail the call."""
    pytest.importorskip("torch")
    monkeypatch.setattr(sys.modules[__name__], "STUDENT", TORCH_STUDENT)
    monkeypatch.setattr(sys.modules[__name__], "NAMES", ("saliency", "build", "scale_in_place"))
    results, _ = run_tests(['''
import torch
from helpers.testing import build_in_student
import helpers.cnn as cnn
net = build_in_student("helpers.cnn:fixture_cnn", seed=0)
ref = cnn.fixture_cnn(seed=0)
x = torch.rand(1, 1, 16, 16, generator=torch.Generator().manual_seed(0))
out = saliency(net, x, 3)
xr = x.clone().requires_grad_(True)
ref(xr)[0, 3].backward()
assert type(out) is torch.Tensor and torch.allclose(out, xr.grad.abs().amax(dim=1))
assert net(x).shape == (1, 10)
m = build()
assert m.training is True and "student Linear" in repr(m)
assert [tuple(p.shape) for p in m.parameters()] == [(2, 3), (2,)]
''', '''
import torch
x = torch.ones(3)
scale_in_place(x)
''', '''
from helpers.testing import build_in_student
build_in_student("autograder.pipeline.grade:grade", "hw0", "/")
'''], test_seconds=30, cell_seconds=30)
    assert results[0].score == 1, results[0].message
    assert "modified its input in place" in results[1].message
    assert results[2].score == 0 and "helpers" in results[2].message
