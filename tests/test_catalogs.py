"""Every plausible wrong answer loses points; every correct answer in another style keeps them.

The catalogs live in ``tests/catalog/hwN.py``. Each variant replaces one answer
cell of the reference answers and is graded through the real grader.
"""

import importlib

import pytest

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


@pytest.mark.parametrize("name,variant", list(_cases("WRONG")))
def test_wrong_answer_loses_points(tmp_path, name, variant):
    results = grade_notebook(tmp_path, name, _submission(name, variant))
    assert results["score"] < max_score(results), f"{variant.id} ({variant.why}) kept full marks"


@pytest.mark.parametrize("name,variant", list(_cases("ALTERNATIVE")))
def test_alternative_answer_keeps_full_marks(tmp_path, name, variant):
    results = grade_notebook(tmp_path, name, _submission(name, variant))
    lost = [(t["name"], t["output"]) for t in results["tests"] if t["status"] != "passed"]
    assert not lost, f"{variant.id} ({variant.why}) lost points: {lost}"
