"""nbgrader on JupyterHub, the whole round trip, with nbgrader's own commands.

A course folder (instructor) and a real exchange directory on this machine; two students,
each in a home of their own with their own cache, run nbgrader as a JupyterHub user would:

    instructor  generate_assignment → release_assignment
    students    fetch_assignment → (answer) → submit
    instructor  collect → autograde → generate_feedback → release_feedback
    students    fetch_feedback

(nbgrader 0.9 calls "return feedback" ``release_feedback``/``fetch_feedback``.) Every
command runs as this one unix user; the student is named by ``--student`` (what
``JUPYTERHUB_USER`` gives nbgrader on a hub), and collect's owner check is off for that
reason. alice submits the reference answers, bob the blank notebook. See
``autograder/NBGRADER.md``.
"""

import glob
import json
import os
import shutil
import subprocess
import sys

import pytest

from autograder.pipeline.source import load_assignment
from autograder.submissions import reference_answers, with_answers
from tests.conftest import ROOT

NAME = "hw0"
COURSE_ID = "cv101"
BIN = os.path.dirname(sys.executable)


def nbgrader(cwd, home, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "CV_"))}
    env.update(PATH=BIN + os.pathsep + os.environ.get("PATH", ""), HOME=str(home),
               JUPYTER_DATA_DIR=os.path.join(home, ".local", "share", "jupyter"),
               JUPYTER_CONFIG_DIR=os.path.join(home, ".jupyter"))
    proc = subprocess.run([os.path.join(BIN, "nbgrader"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"nbgrader {' '.join(args)}:\n{proc.stderr[-4000:]}"
    return proc


@pytest.mark.slow
def test_nbgrader_round_trip_through_a_real_exchange(tmp_path):
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    os.chmod(exchange, 0o777)  # as on a hub: everyone may write, nbgrader sets the rest
    common = [f"--Exchange.root={exchange}", f"--CourseDirectory.course_id={COURSE_ID}"]

    # instructor: a course folder with the repository's config and the homework's source
    course = tmp_path / "course"
    shutil.copytree(os.path.join(ROOT, "solutions", NAME), course / "solutions" / NAME)
    shutil.copy(os.path.join(ROOT, "nbgrader_config.py"), course)
    teacher = tmp_path / "home-instructor"
    teacher.mkdir()

    def instructor(*args):
        return nbgrader(course, teacher, *args, *common,
                        f"--CourseDirectory.root={course}")

    instructor("generate_assignment", NAME, "--force")
    instructor("release_assignment", NAME, "--force")
    assert (exchange / COURSE_ID / "outbound" / NAME / f"{NAME}.ipynb").is_file()

    # students: fetch, answer, submit, each in a home of their own and without the config
    answers = {"alice": reference_answers(NAME), "bob": {}}
    homes = {}
    for student, sources in answers.items():
        home = homes[student] = tmp_path / f"home-{student}"
        home.mkdir()
        own = [*common, f"--student={student}",
               f"--Exchange.cache={home / '.local' / 'share' / 'jupyter' / 'nbgrader_cache'}"]
        nbgrader(home, home, "fetch_assignment", NAME, *own)
        path = home / NAME / f"{NAME}.ipynb"
        nb = json.loads(path.read_text())
        assert "### BEGIN SOLUTION" not in path.read_text()
        path.write_text(json.dumps(with_answers(nb, sources), indent=1))
        nbgrader(home, home, "submit", NAME, *own)
        listed = nbgrader(home, home, "list", "--inbound", *own)
        assert student in listed.stdout + listed.stderr

    # instructor: collect, autograde, feedback
    instructor("collect", NAME, "--ExchangeCollect.check_owner=False")
    for student in answers:
        assert (course / "build" / "nbgrader" / "submitted" / student / NAME
                / f"{NAME}.ipynb").is_file()
    instructor("autograde", NAME, "--create", "--force")
    instructor("generate_feedback", NAME, "--force")
    instructor("release_feedback", NAME)

    from nbgrader.api import Gradebook

    max_score = load_assignment(os.path.join(ROOT, "solutions", NAME, f"{NAME}.ipynb"),
                                NAME).max_score
    with Gradebook(f"sqlite:///{course}/build/nbgrader/gradebook.db") as gb:
        alice = gb.find_submission(NAME, "alice")
        bob = gb.find_submission(NAME, "bob")
        assert (alice.score, alice.max_score) == (max_score, max_score)
        assert (bob.score, bob.max_score) == (0, max_score)

    # students: their own feedback comes back to them
    for student in answers:
        home = homes[student]
        nbgrader(home, home, "fetch_feedback", NAME, *common, f"--student={student}",
                 f"--Exchange.cache={home / '.local' / 'share' / 'jupyter' / 'nbgrader_cache'}")
        pages = glob.glob(str(home / NAME / "feedback" / "*" / f"{NAME}.html"))
        assert len(pages) == 1, f"{student}: {pages}"
        html = open(pages[0], encoding="utf-8").read()
        score = max_score if student == "alice" else 0
        assert f"Score: {score:g}" in html or f"{score:g} / {max_score:g}" in html, \
            f"{student}'s feedback does not show {score:g} / {max_score:g}"
