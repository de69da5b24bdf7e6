"""The plain-data wire format and the Gradescope results format, checked in isolation."""

import json
import os
import pickle

import numpy as np
import pytest

from autograder.pipeline.report import InvalidResults, build_results, validate_results
from autograder.pipeline.run_tests import TestResult
from autograder.sandbox import wire


def roundtrip(value):
    frames = []
    node = wire.encode(value, frames, lambda v: (_ for _ in ()).throw(TypeError("no objects")))
    r, w = os.pipe()
    wire.write_message(w, {"v": node}, frames)
    os.close(w)
    header, rframes = wire.read_message(r)
    os.close(r)
    return wire.decode(header["v"], rframes, lambda i, t: ("ref", i))


@pytest.mark.parametrize("value", [
    None, True, 3, -2.5, "text", [1, [2, 3]], (1, (2.0, "a")), {"a": 1, 2: [3]}, 1 + 2j,
    np.arange(12.0).reshape(3, 4), np.zeros((0, 3), np.int16), np.array(True), np.float32(2.5),
    np.int64(7), np.arange(6, dtype=np.complex128), np.ones((2, 3), np.uint8)[:, ::2],
])
def test_plain_values_round_trip(value):
    out = roundtrip(value)
    if isinstance(value, np.ndarray):
        assert type(out) is np.ndarray and out.dtype == value.dtype
        np.testing.assert_array_equal(out, value)
        assert out.flags.writeable
    else:
        assert out == value and type(out) is type(value)


def test_generator_state_round_trips():
    g = np.random.default_rng(3)
    g.random(5)
    h = roundtrip(g)
    assert isinstance(h, np.random.Generator) and h.random() == g.random()


@pytest.mark.parametrize("value", [np.array([object()], dtype=object),
                                   np.zeros(2, dtype=[("a", "f8")]), object()])
def test_objects_are_not_plain_data(value):
    with pytest.raises(TypeError):
        wire.encode(value, [], lambda v: (_ for _ in ()).throw(TypeError("not plain")))


@pytest.mark.parametrize("node,frames", [
    ({"$": "nd", "dtype": "|O", "shape": [1], "f": 0}, [b"x" * 8]),
    ({"$": "nd", "dtype": "<f8", "shape": [3], "f": 0}, [b"x" * 8]),
    ({"$": "nd", "dtype": "<f8", "shape": [-1], "f": 0}, [b""]),
    ({"$": "nd", "dtype": "<f8", "shape": [1], "f": 5}, [b"x" * 8]),
    ({"$": "pickle", "data": "gASV"}, []),
    ({"$": "generator", "bit_generator": "os.system", "state": {}}, []),
    ({"$": "callback", "id": 1}, []),
    ({"no": "tag"}, []),
])
def test_malformed_or_dangerous_nodes_are_refused(node, frames):
    with pytest.raises(wire.ProtocolError):
        wire.decode(node, frames, lambda i, t: None)


def test_pickled_bytes_in_a_frame_are_just_numbers():
    payload = pickle.dumps(os.system)
    payload += b"\0" * (-len(payload) % 8)
    out = wire.decode({"$": "nd", "dtype": "<f8", "shape": [len(payload) // 8], "f": 0},
                      [payload], lambda i, t: None)
    assert out.dtype == np.float64


def test_nesting_and_size_limits():
    deep = []
    for _ in range(wire.MAX_DEPTH + 5):
        deep = [deep]
    with pytest.raises(wire.ProtocolError):
        wire.decode(deep, [], lambda i, t: None)
    r, w = os.pipe()
    os.write(w, (wire.MAX_HEADER + 1).to_bytes(8, "big"))
    os.close(w)
    with pytest.raises(wire.ProtocolError):
        wire.read_message(r)
    os.close(r)


def _results(**overrides):
    tests = [TestResult("test_a", "A works", 3.0, 3.0, False, "passed", 0.1),
             TestResult("test_b", "B edge cases", 2.0, 0.0, True, "wrong shape", 0.1)]
    results = build_results("hw0", tests, ["note"], 1.5)
    results.update(overrides)
    return results


def test_built_results_follow_gradescopes_format():
    results = _results()
    validate_results(results)
    assert results["score"] == 3.0
    assert [t["visibility"] for t in results["tests"]] == ["visible", "after_published"]
    assert {t["status"] for t in results["tests"]} == {"passed", "failed"}
    assert all(set(t) >= {"name", "score", "max_score", "output"} for t in results["tests"])
    json.dumps(results, allow_nan=False)


@pytest.mark.parametrize("bad", [
    {"score": float("nan")}, {"score": "10"}, {"visibility": "public"}, {"unknown_key": 1},
    {"tests": [{"name": "t", "score": 5, "max_score": 1}]},
    {"tests": [{"name": "t", "score": 1, "max_score": 1, "status": "ok"}]},
    {"tests": [{"name": 3, "score": 1, "max_score": 1}]},
    {"tests": "all"},
])
def test_invalid_results_are_refused(bad):
    with pytest.raises(InvalidResults):
        validate_results(_results(**bad))
