"""Every plausible wrong answer loses points; every correct answer in another style keeps them.

The catalogs live in ``tests/catalog/hwN.py``. Each variant replaces one answer
cell of the reference answers and is graded through the real grader, against the
test cells that can see that cell (those that name its functions, or functions
whose reference calls them): the rest run unchanged reference code, and the full
path is proven on the reference and blank submissions elsewhere. This keeps the
suite within its time budget as the homeworks grow.
"""

import importlib

import pytest

from autograder.pipeline import homeworks
from autograder.pipeline.source import load_assignment
from autograder.submissions import reference_answers, reference_submission, with_answers
from tests.conftest import HOMEWORKS, grade_notebook, max_score


def _catalog(name):
    try:
        return importlib.import_module(f"tests.catalog.{name}")
    except ModuleNotFoundError:
        return None


def _cases(kind):
    for name in HOMEWORKS:
        module = _catalog(name)
        for variant in getattr(module, kind, []) if module else []:
            yield pytest.param(name, variant, id=f"{name}-{variant.id}")


def _submission(name, variant):
    reference = reference_answers(name)
    assert variant.grade_id in reference, f"{variant.id}: unknown cell {variant.grade_id}"
    source = variant.apply(reference[variant.grade_id])
    return with_answers(reference_submission(name), {variant.grade_id: source})


@pytest.mark.parametrize("name", HOMEWORKS)
def test_catalog_is_large_enough(name):
    module = _catalog(name)
    assert module is not None, f"tests/catalog/{name}.py is missing"
    assert len(module.WRONG) >= 30 and len(module.ALTERNATIVE) >= 5
    ids = [v.id for v in module.WRONG + module.ALTERNATIVE]
    assert len(ids) == len(set(ids))


def _affected(name, variant):
    tests = load_assignment(homeworks.source_path(name), name).tests_affected_by(variant.grade_id)
    assert tests, f"{variant.id}: no test can see {variant.grade_id}"
    return tests


@pytest.mark.parametrize("name,variant", list(_cases("WRONG")))
def test_wrong_answer_loses_points(tmp_path, name, variant):
    results = grade_notebook(tmp_path, name, _submission(name, variant),
                             only_tests=_affected(name, variant))
    assert results["score"] < max_score(results), f"{variant.id} ({variant.why}) kept full marks"


def test_affected_tests_follow_calls_between_answers():
    """Every test can be reached from some answer cell, and a layer used by a model class
    reaches the model's tests (HW2's TwoLayerNet calls linear_forward)."""
    for name in HOMEWORKS:
        assignment = load_assignment(homeworks.source_path(name), name)
        reached = set().union(*(assignment.tests_affected_by(a.grade_id)
                                for a in assignment.answers))
        assert reached == {t.grade_id for t in assignment.tests}, name
    if "hw2" in HOMEWORKS:
        hw2 = load_assignment(homeworks.source_path("hw2"), "hw2")
        assert "test_two_layer_net_trains" in hw2.tests_affected_by("answer_linear")


@pytest.mark.parametrize("name,variant", list(_cases("ALTERNATIVE")))
def test_alternative_answer_keeps_full_marks(tmp_path, name, variant):
    results = grade_notebook(tmp_path, name, _submission(name, variant),
                             only_tests=_affected(name, variant))
    lost = [(t["name"], t["output"]) for t in results["tests"] if t["status"] != "passed"]
    assert not lost, f"{variant.id} ({variant.why}) lost points: {lost}"
