"""The zip, run the way Gradescope runs it: reference answers full marks, blank release 0."""

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

from autograder.demo import run_zip
from autograder.pipeline.report import validate_results
from autograder.submissions import load_release, reference_submission
from tests.conftest import HOMEWORKS, ROOT, max_score


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


def _fake_python(bin_dir, name, version):
    """A stand-in interpreter that reports ``version`` to setup.sh's check."""
    path = bin_dir / name
    path.write_text("#!/bin/sh\n"
                    f"exec {sys.executable} -c \"import sys; sys.exit({tuple(version)!r} < "
                    "tuple(int(x) for x in sys.argv[1].split('.')))\" "
                    "\"$(printf '%s' \"$2\" | sed -n 's/.*(3, \\([0-9]*\\)).*/3.\\1/p')\"\n")
    path.chmod(0o755)
    return str(path)


@pytest.mark.parametrize("available,chosen", [
    ({"python3.10": (3, 10), "python3": (3, 10)}, "none"),
    ({"python3.10": (3, 10), "python3.12": (3, 12)}, "python3.12"),
    ({"python3.11": (3, 11), "python3.12": (3, 12)}, "python3.11"),
    ({"python3": (3, 13)}, "python3"),
])
def test_setup_picks_the_python_the_pins_require(tmp_path, available, chosen):
    """setup.sh reads the minimum Python from requirements.txt, not a number of its own."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(os.path.join(ROOT, "autograder", "gradescope", "setup.sh"), src / "setup.sh")
    shutil.copy(os.path.join(ROOT, "requirements.txt"), src / "requirements.txt")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, version in available.items():
        _fake_python(bin_dir, name, version)
    for tool in ("sed", "head", "grep", "dirname", "printf"):
        if shutil.which(tool):
            os.symlink(shutil.which(tool), bin_dir / tool)
    proc = subprocess.run(["/bin/bash", str(src / "setup.sh")], capture_output=True, text=True,
                          env={"PATH": str(bin_dir), "CV_SETUP_PICK_ONLY": "1"}, timeout=60)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.strip()
    assert (out.startswith("none") if chosen == "none" else out == str(bin_dir / chosen)), out


def test_the_pins_python_agrees_with_pyproject():
    with open(os.path.join(ROOT, "requirements.txt")) as f:
        marker = re.search(r"^# requires-python >= (3\.\d+)", f.read(), re.M)
    with open(os.path.join(ROOT, "pyproject.toml")) as f:
        project = re.search(r'requires-python = ">=(3\.\d+)"', f.read())
    assert marker and project and marker.group(1) == project.group(1)
