"""Shared fixtures: the homeworks, their zips, and grading helpers."""

import json
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from autograder.pipeline import homeworks  # noqa: E402
from autograder.pipeline.grade import grade  # noqa: E402
from autograder.submissions import write_notebook  # noqa: E402

HOMEWORKS = homeworks.available()


def quiet(*args, **kwargs):
    pass


def grade_notebook(tmp_path, name, nb, filename=None, **kwargs):
    """Grade a notebook dict (or raw bytes) in-process; return the results dict."""
    path = tmp_path / (filename or f"{name}.ipynb")
    if isinstance(nb, (bytes, str)):
        path.write_bytes(nb if isinstance(nb, bytes) else nb.encode())
    else:
        write_notebook(nb, str(path))
    results_path = tmp_path / "results.json"
    results = grade(name, str(path), str(results_path), log=kwargs.pop("log", quiet), **kwargs)
    assert json.loads(results_path.read_text()) == results
    return results


def max_score(results):
    return sum(t["max_score"] for t in results["tests"])


@pytest.fixture(scope="session")
def zips(tmp_path_factory):
    """The Gradescope zip of every homework, built once."""
    from autograder.gradescope.build import build_zip

    out = tmp_path_factory.mktemp("zips")
    return {name: build_zip(name, str(out / f"{name}.zip")) for name in HOMEWORKS}
