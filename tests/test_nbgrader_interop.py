"""The homeworks are genuine nbgrader material: nbgrader's own autograde grades them.

This also runs every notebook top to bottom in a real Jupyter kernel (nbgrader
executes the whole submitted notebook), with the reference answers in place.
"""

import os
import shutil
import subprocess
import sys
import time

import pytest

from autograder.pipeline.source import load_assignment
from autograder.submissions import load_release, reference_submission, write_notebook
from tests.conftest import HOMEWORKS, ROOT


def nbgrader(course, *args):
    bin_dir = os.path.dirname(sys.executable)
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
    return subprocess.run([os.path.join(bin_dir, "nbgrader"), *args,
                           f"--CourseDirectory.root={course}"],
                          cwd=course, env=env, capture_output=True, text=True, timeout=900)


def autograde(tmp_path, name, notebooks):
    course = tmp_path / "course"
    shutil.copytree(os.path.join(ROOT, "solutions", name), course / "solutions" / name)
    shutil.copy(os.path.join(ROOT, "nbgrader_config.py"), course)
    proc = nbgrader(course, "generate_assignment", name, "--force")
    assert proc.returncode == 0, proc.stderr[-3000:]
    for student, nb in notebooks.items():
        write_notebook(nb, str(course / "build" / "nbgrader" / "submitted" / student / name
                               / f"{name}.ipynb"))
    t0 = time.monotonic()
    proc = nbgrader(course, "autograde", name, "--create", "--force")
    seconds = time.monotonic() - t0
    assert proc.returncode == 0, proc.stderr[-3000:]
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{course}/build/nbgrader/gradebook.db") as gb:
        for student in notebooks:
            sub = gb.find_submission(name, student)
            scores[student] = (sub.score, sub.max_score)
    return scores, seconds, proc.stderr


@pytest.mark.slow
@pytest.mark.parametrize("name", HOMEWORKS)
def test_nbgrader_autograde_gives_full_marks_to_the_reference_and_zero_to_blank(tmp_path, name):
    scores, seconds, log = autograde(tmp_path, name, {"reference": reference_submission(name),
                                                      "blank": load_release(name)})
    max_score = load_assignment(os.path.join(ROOT, "solutions", name, f"{name}.ipynb"),
                                name).max_score
    assert scores["reference"] == (max_score, max_score), log[-3000:]
    assert scores["blank"][0] == 0
    print(f"\n{name}: nbgrader autograde of 2 notebooks took {seconds:.1f} s")
