"""``make otter``: HW0 in otter-grader's format, graded by otter's own ``otter run``.

The export's autograder zip (built by ``otter generate``) gives the reference answers full
marks and the blank release zero, locally and without Docker; hidden tests are marked
hidden and left out of the student's folder.
"""

import json
import os
import subprocess
import sys

import pytest

from autograder.otter_export import export
from autograder.pipeline import homeworks
from autograder.pipeline.source import load_assignment
from autograder.submissions import reference_answers, with_answers, write_notebook

NAME = "hw0"
OTTER = os.path.join(os.path.dirname(sys.executable), "otter")

pytestmark = pytest.mark.skipif(not os.path.exists(OTTER), reason="otter-grader not installed")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    return export(NAME, str(tmp_path_factory.mktemp("otter") / NAME))


def test_export_layout_marks_hidden_tests_hidden(exported):
    assignment = load_assignment(homeworks.source_path(NAME), NAME)
    student_tests = set(os.listdir(os.path.join(exported, "student", "tests")))
    for test in assignment.tests:
        text = open(os.path.join(exported, "tests", f"{test.grade_id}.py")).read()
        assert f"hidden={test.hidden!r}" in text and "OK_FORMAT = False" in text
        assert (f"{test.grade_id}.py" in student_tests) == (not test.hidden), test.grade_id
    nb = json.load(open(os.path.join(exported, "student", f"{NAME}.ipynb")))
    sources = ["".join(c["source"]) for c in nb["cells"]]
    assert sum("otter.Notebook" in s for s in sources) == 1
    checks = [s for s in sources if s.startswith("grader.check(")]
    assert len(checks) == sum(not t.hidden for t in assignment.tests)
    assert not any("### BEGIN" in s for s in sources)
    assert os.path.isfile(os.path.join(exported, "autograder", "autograder.zip"))


def otter_run(exported, nb, tmp_path, who):
    sub = write_notebook(nb, str(tmp_path / who / f"{NAME}.ipynb"))
    out = tmp_path / who / "out"
    out.mkdir()
    proc = subprocess.run([OTTER, "run", "-a", os.path.join(exported, "autograder",
                                                            "autograder.zip"),
                           sub, "-o", str(out), "--no-logo"],
                          capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PATH=os.path.dirname(sys.executable)
                                   + os.pathsep + os.environ.get("PATH", "")))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    tests = json.loads((out / "results.json").read_text())["tests"]
    scored = [t for t in tests if t.get("max_score") is not None]
    return sum(t["score"] for t in scored), sum(t["max_score"] for t in scored)


@pytest.mark.slow
def test_otter_run_gives_the_reference_full_marks_and_the_blank_release_zero(exported, tmp_path):
    max_score = load_assignment(homeworks.source_path(NAME), NAME).max_score
    blank = json.load(open(os.path.join(exported, "student", f"{NAME}.ipynb")))
    reference = with_answers(blank, reference_answers(NAME))
    assert otter_run(exported, reference, tmp_path, "reference") == (max_score, max_score)
    assert otter_run(exported, blank, tmp_path, "blank") == (0, max_score)
