"""The zip, run the way Gradescope runs it: reference answers full marks, blank release 0."""

import json
import zipfile

import pytest

from autograder.demo import run_zip
from autograder.pipeline.report import validate_results
from autograder.submissions import load_release, reference_submission
from tests.conftest import HOMEWORKS, max_score


@pytest.mark.parametrize("name", HOMEWORKS)
def test_zip_layout(zips, name):
    with zipfile.ZipFile(zips[name]) as zf:
        names = set(zf.namelist())
        assert {"setup.sh", "run_autograder", "requirements.txt", "HOMEWORK"} <= names
        assert f"solutions/{name}/{name}.ipynb" in names
        assert zf.read("HOMEWORK").decode().strip() == name
        assert zf.getinfo("run_autograder").external_attr >> 16 & 0o111
        assert not any("__pycache__" in n or n.startswith("notebooks/") for n in names)


@pytest.mark.parametrize("name", HOMEWORKS)
def test_zip_readme_gives_a_gradescope_timeout_above_the_runs_own_bounds(zips, name):
    from autograder.gradescope.build import STARTUP_SECONDS, gradescope_timeout_minutes
    from autograder.pipeline import homeworks
    from autograder.pipeline.grade import WATCHDOG_GRACE

    limits = homeworks.get(name).limits
    minutes = gradescope_timeout_minutes(limits)
    with zipfile.ZipFile(zips[name]) as zf:
        text = zf.read("README.md").decode()
    assert f"at least\n**{minutes} minutes**" in text or f"**{minutes} minutes**" in text
    assert limits.total_seconds + WATCHDOG_GRACE + STARTUP_SECONDS <= minutes * 60 <= 10 * 60


@pytest.mark.parametrize("name", HOMEWORKS)
def test_zip_is_deterministic(tmp_path, name):
    from autograder.gradescope.build import build_zip

    a = build_zip(name, str(tmp_path / "a.zip"))
    b = build_zip(name, str(tmp_path / "b.zip"))
    assert open(a, "rb").read() == open(b, "rb").read()


@pytest.mark.parametrize("name", HOMEWORKS)
def test_reference_answers_score_full_marks_through_zip(zips, tmp_path, name):
    results, seconds, log = run_zip(zips[name], reference_submission(name), str(tmp_path))
    validate_results(results)
    failed = [(t["name"], t["output"]) for t in results["tests"] if t["status"] != "passed"]
    assert not failed, log
    assert results["score"] == max_score(results) > 0


@pytest.mark.parametrize("name", HOMEWORKS)
def test_blank_release_scores_zero_through_zip(zips, tmp_path, name):
    results, seconds, log = run_zip(zips[name], load_release(name), str(tmp_path))
    validate_results(results)
    assert results["score"] == 0, log
    assert len(results["tests"]) > 0
    assert all(t["status"] == "failed" for t in results["tests"])
    assert any("NotImplementedError" in t["output"] or "not implemented" in t["output"]
               for t in results["tests"])
    json.dumps(results)
