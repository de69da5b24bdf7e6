"""The committed student release is what nbgrader generates, and it gives nothing away."""

import json
import os
import re
import shutil

import pytest

from autograder.pipeline import homeworks
from autograder.pipeline.source import (BEGIN_HIDDEN, BEGIN_SOLUTION, load_assignment,
                                        nbgrader_meta)
from autograder.release import release
from autograder.submissions import load_release, release_path
from tests.conftest import HOMEWORKS, ROOT


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """A fresh release of every homework, made from a copy of the sources."""
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(os.path.join(ROOT, "solutions"), root / "solutions")
    shutil.copy(os.path.join(ROOT, "nbgrader_config.py"), root)
    release(HOMEWORKS, root=str(root))
    return root


@pytest.mark.parametrize("name", HOMEWORKS)
def test_committed_release_is_current(regenerated, name):
    fresh = (regenerated / "notebooks" / name / f"{name}.ipynb").read_text()
    committed = open(release_path(name), encoding="utf-8").read()
    assert fresh == committed, f"notebooks/{name} is stale: run `make release` and commit"


@pytest.mark.parametrize("name", HOMEWORKS)
def test_release_is_idempotent(regenerated, name):
    path = regenerated / "notebooks" / name / f"{name}.ipynb"
    before = path.read_text()
    release([name], root=str(regenerated))
    assert path.read_text() == before


@pytest.mark.parametrize("name", HOMEWORKS)
def test_release_has_no_solutions_and_no_hidden_tests(name):
    text = open(release_path(name), encoding="utf-8").read()
    assert BEGIN_SOLUTION not in text and BEGIN_HIDDEN not in text
    nb = load_release(name)
    assignment = load_assignment(homeworks.source_path(name), name)
    released = {nbgrader_meta(c).get("grade_id"): "".join(c["source"]) for c in nb["cells"]}
    for ans in assignment.answers:
        stub = released[ans.grade_id]
        assert "raise NotImplementedError()" in stub
        body = [ln.strip() for ln in ans.reference.splitlines()
                if ln.strip() and ln.strip() not in stub and not ln.strip().startswith("#")]
        assert body, f"{ans.grade_id}: the reference answer has no body"
    for test in assignment.tests:
        if test.hidden:
            hidden_lines = [ln for ln in test.source.splitlines()
                            if ln.strip() and not ln.startswith("#") and ln not in released[test.grade_id]]
            assert hidden_lines, f"{test.grade_id} has no hidden code"
            assert not any(ln in released[test.grade_id] for ln in hidden_lines
                           if len(ln.strip()) > 25), f"{test.grade_id} leaks into the release"


@pytest.mark.parametrize("name", HOMEWORKS)
def test_source_follows_the_authoring_conventions(name):
    """Unique grade_ids, points on every test, hidden cells wholly hidden, no outputs."""
    with open(homeworks.source_path(name), encoding="utf-8") as f:
        nb = json.load(f)
    ids = [nbgrader_meta(c)["grade_id"] for c in nb["cells"] if nbgrader_meta(c).get("grade_id")]
    assert len(ids) == len(set(ids))
    assignment = load_assignment(homeworks.source_path(name), name)
    assert assignment.setup, "a setup cell (tagged 'setup') is needed"
    assert abs(assignment.max_score - 100) < 1e-9
    practice = {n for a in assignment.answers if a.grade_id.startswith("practice_") for n in a.names}
    names = set(assignment.graded_names) - practice
    for test in assignment.tests:
        assert test.points > 0 and test.title != test.grade_id
        # practice cells (ungraded answer cells) are checked by a plain code cell, never by a test
        assert not any(n in test.source for n in practice), f"{test.grade_id} tests practice code"
    for cell in nb["cells"]:
        assert not cell.get("outputs"), "source notebooks carry no outputs"
    # the first line of a test cell gives its points, as the metadata does (students see only the line)
    for test in assignment.tests:
        first = test.source.split("\n", 1)[0]
        match = re.match(r"# Test \((\d+(?:\.\d+)?) points?\): \S", first)
        assert match, f"{test.grade_id}: first line {first!r} is not '# Test (N points): ...'"
        assert float(match.group(1)) == test.points, \
            f"{test.grade_id}: the first line says {match.group(1)} points, the metadata {test.points:g}"
    # every graded name has a visible and a hidden test
    for graded in names:
        calls = [t for t in assignment.tests if graded in t.source]
        assert any(not t.hidden for t in calls), f"{graded} has no visible test"
        assert any(t.hidden for t in calls), f"{graded} has no hidden test"
