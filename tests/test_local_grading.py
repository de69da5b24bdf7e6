"""`make grade` for a student without root: same scores, and it says what was skipped."""

import os
import subprocess
import sys

import pytest

from autograder.submissions import load_release, reference_submission, write_notebook
from tests.conftest import HOMEWORKS, ROOT, grade_notebook, max_score


@pytest.mark.parametrize("name", HOMEWORKS)
def test_without_isolation_the_scores_are_the_same(tmp_path, name):
    lines = []
    ref = grade_notebook(tmp_path, name, reference_submission(name), isolate=False,
                         log=lambda *a: lines.append(" ".join(map(str, a))))
    assert ref["score"] == max_score(ref)
    assert any("without root" in line for line in lines)
    blank = grade_notebook(tmp_path, name, load_release(name), isolate=False)
    assert blank["score"] == 0


def test_command_line_prints_a_table_and_writes_results(tmp_path):
    name = HOMEWORKS[0]
    path = write_notebook(reference_submission(name), str(tmp_path / "mine.ipynb"))
    out = tmp_path / "results.json"
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", name, path,
                           "--results", str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "total: 100 / 100" in proc.stdout and out.exists()
    assert "sandbox:" in proc.stdout
    if os.geteuid() == 0:
        assert "namespaces" in proc.stdout
