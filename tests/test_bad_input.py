"""Broken, renamed, oversized or mismatched uploads: always a valid result and a clear message."""

import json
import zipfile

import pytest

from autograder.pipeline.grade import grade
from autograder.pipeline.report import validate_results
from autograder.submissions import load_release, reference_submission, write_notebook
from tests.conftest import HOMEWORKS, grade_notebook, max_score, quiet

HW = HOMEWORKS[0]


def _grade_dir(tmp_path, files):
    sub = tmp_path / "submission"
    sub.mkdir()
    for name, data in files.items():
        path = sub / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
    results = grade(HW, str(sub), str(tmp_path / "results.json"), log=quiet)
    validate_results(json.loads((tmp_path / "results.json").read_text()))
    return results


def _reference_bytes():
    return json.dumps(reference_submission(HW)).encode()


@pytest.mark.parametrize("files,expect", [
    ({}, "no Jupyter notebook"),
    ({"hw.ipynb": b""}, "empty"),
    ({"hw.ipynb": b"{not json"}, "not valid JSON"),
    ({"hw.ipynb": b"[1, 2, 3]"}, "not a Jupyter notebook"),
    ({"hw.ipynb": b'{"a": 1}'}, "not a Jupyter notebook"),
    ({"hw.ipynb": b"\xff\xfe\x00garbage"}, "not a text file"),
    ({"solution.py": b"def rgb_to_gray(x):\n    return x\n"}, ".py file is not a notebook"),
    ({"hw.ipynb": json.dumps({"nbformat": 5, "cells": []}).encode()}, "unsupported notebook format"),
])
def test_malformed_upload_gets_zero_and_a_message(tmp_path, files, expect):
    results = _grade_dir(tmp_path, files)
    assert results["score"] == 0
    assert expect in results["output"], results["output"]
    assert len(results["tests"]) > 0  # every test listed, at 0


def test_oversized_notebook(tmp_path):
    nb = load_release(HW)
    nb["cells"][0]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x" * (60 * 2**20)}]
    nb["cells"][0]["cell_type"] = "code"
    results = _grade_dir(tmp_path, {"hw.ipynb": json.dumps(nb).encode()})
    assert results["score"] == 0 and "MB limit" in results["output"]


@pytest.mark.parametrize("layout", ["odd name.ipynb", "folder/deeper/my work.ipynb"])
def test_valid_notebook_under_odd_name_or_in_folder_is_graded(tmp_path, layout):
    results = _grade_dir(tmp_path, {layout: _reference_bytes()})
    assert results["score"] == max_score(results)


def test_zip_upload_is_graded(tmp_path):
    zpath = tmp_path / "upload.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr(f"my folder/{HW}.ipynb", _reference_bytes())
        zf.writestr("__MACOSX/._hw0.ipynb", b"junk")
    results = _grade_dir(tmp_path, {"upload.zip": zpath.read_bytes()})
    assert results["score"] == max_score(results)


def test_two_notebooks_grade_the_matching_one(tmp_path):
    results = _grade_dir(tmp_path, {"scratch.ipynb": json.dumps(load_release(HW)),
                                    f"{HW}.ipynb": _reference_bytes(),
                                    "notes.ipynb": json.dumps({"nbformat": 4, "nbformat_minor": 5,
                                                               "metadata": {}, "cells": []})})
    assert "notebooks were uploaded" in results["output"]
    # the release and the reference both match every answer cell: the exact name wins
    assert results["score"] == max_score(results)


@pytest.mark.skipif(len(HOMEWORKS) < 2, reason="needs two homeworks")
def test_another_homeworks_notebook(tmp_path):
    other = HOMEWORKS[1]
    results = _grade_dir(tmp_path, {f"{other}.ipynb": json.dumps(reference_submission(other))})
    assert results["score"] == 0 and other.upper() in results["output"]


def test_nbformat3_is_converted_and_graded(tmp_path):
    nb = reference_submission(HW)
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": ""},
          "worksheets": [{"cells": [
              {"cell_type": "code", "language": "python", "input": "".join(c["source"])
               if isinstance(c["source"], list) else c["source"], "outputs": [],
               "metadata": c.get("metadata", {})}
              for c in nb["cells"] if c["cell_type"] == "code"]}]}
    results = _grade_dir(tmp_path, {"old.ipynb": json.dumps(v3)})
    assert results["score"] == max_score(results)


def test_duplicate_grade_ids_grade_the_last(tmp_path):
    nb = reference_submission(HW)
    answers = [c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution")]
    stub = json.loads(json.dumps(answers[0]))
    stub["source"] = "raise RuntimeError('old draft')"
    nb["cells"].insert(0, stub)
    results = grade_notebook(tmp_path, HW, nb)
    assert "share the grade_id" in results["output"]
    assert results["score"] == max_score(results)


def test_stripped_nbgrader_metadata_is_matched_by_content(tmp_path):
    nb = reference_submission(HW)
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("nbgrader", None)
    results = grade_notebook(tmp_path, HW, nb)
    assert results["score"] == max_score(results)
    assert "lost its nbgrader metadata" in results["output"]


def test_edited_and_deleted_test_cells_change_nothing(tmp_path):
    nb = load_release(HW)
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            cell["source"] = "pass"
    nb["cells"] = [c for i, c in enumerate(nb["cells"]) if i % 3 or
                   not c.get("metadata", {}).get("nbgrader", {}).get("grade")]
    results = grade_notebook(tmp_path, HW, nb)
    assert results["score"] == 0 and len(results["tests"]) > 0


def test_results_written_even_when_the_grader_breaks(tmp_path, monkeypatch):
    from autograder.pipeline import grade as grade_module

    def boom(*a, **k):
        raise RuntimeError("simulated grader bug")

    monkeypatch.setattr(grade_module, "extract_answers", boom)
    path = write_notebook(reference_submission(HW), str(tmp_path / "s.ipynb"))
    results = grade(HW, path, str(tmp_path / "r.json"), log=quiet)
    assert results["score"] == 0 and "autograder failed" in results["output"]
    validate_results(json.loads((tmp_path / "r.json").read_text()))
