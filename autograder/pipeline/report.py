"""Gradescope ``results.json``: build it, check it against the format, write it atomically.

Format: https://gradescope-autograders.readthedocs.io/en/latest/specs/ (``tests`` with
``name``, ``score``, ``max_score``, ``output``, ``visibility``, ``status``).
"""

import json
import math
import os
import tempfile

VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}
TOP_KEYS = {"score", "execution_time", "output", "output_format", "test_output_format",
            "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests",
            "leaderboard"}
TEST_KEYS = {"score", "max_score", "status", "name", "name_format", "number", "output",
             "output_format", "tags", "visibility", "extra_data"}


class InvalidResults(ValueError):
    """A results dict that Gradescope would reject."""


def build_results(homework, tests, messages, seconds):
    """The results dict: one entry per trusted test, plus a summary for the student.

    Parameters
    ----------
    homework : str
    tests : list of autograder.pipeline.run_tests.TestResult
    messages : list of str
        What the student should know about the upload (shown on top).
    seconds : float
    """
    score = round(sum(t.score for t in tests), 4)
    max_score = round(sum(t.points for t in tests), 4)
    lines = [f"{homework.upper()}: {score:g} / {max_score:g} points."]
    lines += [f"- {m}" for m in messages]
    if any(t.hidden for t in tests):
        lines.append("Hidden tests show their results once grades are published.")
    entries = []
    for number, t in enumerate(tests, 1):
        entries.append({
            "name": f"{t.title} [{t.grade_id}]",
            "number": str(number),
            "score": round(t.score, 4),
            "max_score": round(t.points, 4),
            "status": "passed" if t.score >= t.points else "failed",
            "output": t.message,
            "visibility": "after_published" if t.hidden else "visible",
            "tags": ["hidden" if t.hidden else "visible"],
        })
    results = {"score": score, "execution_time": round(seconds, 2),
               "output": "\n".join(lines), "visibility": "visible",
               "stdout_visibility": "hidden", "tests": entries}
    validate_results(results)
    return results


def failure_results(homework, message, tests=(), seconds=0.0):
    """Score-0 results for an upload that could not be graded, listing every test at 0."""
    entries = []
    for number, t in enumerate(tests, 1):
        entries.append({"name": f"{t.title} [{t.grade_id}]", "number": str(number), "score": 0.0,
                        "max_score": t.points, "status": "failed", "output": "not run: " + message,
                        "visibility": "after_published" if t.hidden else "visible"})
    results = {"score": 0.0, "execution_time": round(seconds, 2),
               "output": f"{homework.upper()}: 0 points. {message}", "visibility": "visible",
               "stdout_visibility": "hidden", "tests": entries}
    validate_results(results)
    return results


def validate_results(results):
    """Raise :class:`InvalidResults` unless ``results`` follows Gradescope's format."""
    def number(x):
        return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)

    if not isinstance(results, dict) or set(results) - TOP_KEYS:
        raise InvalidResults(f"unknown top-level keys {sorted(set(results) - TOP_KEYS)}")
    if "score" not in results and not results.get("tests"):
        raise InvalidResults("results need a score or tests")
    if "score" in results and not number(results["score"]):
        raise InvalidResults("score must be a finite number")
    for key in ("visibility", "stdout_visibility"):
        if key in results and results[key] not in VISIBILITIES:
            raise InvalidResults(f"{key} must be one of {sorted(VISIBILITIES)}")
    if "output" in results and not isinstance(results["output"], str):
        raise InvalidResults("output must be a string")
    tests = results.get("tests", [])
    if not isinstance(tests, list):
        raise InvalidResults("tests must be a list")
    for t in tests:
        if not isinstance(t, dict) or set(t) - TEST_KEYS:
            raise InvalidResults(f"unknown test keys in {t!r:.200}")
        for key in ("score", "max_score"):
            if key in t and not number(t[key]):
                raise InvalidResults(f"test {key} must be a finite number")
        if "score" in t and "max_score" in t and not 0 <= t["score"] <= t["max_score"]:
            raise InvalidResults("test score must lie in [0, max_score]")
        if t.get("status", "passed") not in ("passed", "failed"):
            raise InvalidResults("status must be passed or failed")
        if t.get("visibility", "visible") not in VISIBILITIES:
            raise InvalidResults("bad test visibility")
        for key in ("name", "output", "number"):
            if key in t and not isinstance(t[key], str):
                raise InvalidResults(f"test {key} must be a string")
    json.dumps(results, allow_nan=False)


def write_results(results, path):
    """Write ``results`` to ``path`` atomically (a reader never sees half a file)."""
    validate_results(results)
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".results-")
    with os.fdopen(fd, "w") as f:
        json.dump(results, f, indent=2, allow_nan=False)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def format_table(results):
    """A plain-text table of the tests, for the terminal and the instructors' log."""
    rows = [("#", "test", "score", "status")]
    for t in results.get("tests", []):
        rows.append((t.get("number", ""), t["name"][:70],
                     f"{t.get('score', 0):g}/{t.get('max_score', 0):g}", t.get("status", "")))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    total = sum(t.get("max_score", 0) for t in results.get("tests", []))
    lines.append(f"total: {results.get('score', 0):g} / {total:g}")
    return "\n".join(lines)
