"""Batch grading: layouts, the journal, a class with bad input killed and resumed, a full disk,
a crashing grader, and the same scores with 1 job, 2 jobs and a Dask cluster that loses a worker.

Classes are HW0 (the fastest homework). The Dask test starts a real ``dask scheduler`` and two
``dask worker`` processes on 127.0.0.1 and kills one while it grades.
"""

import csv
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile

import pytest

from autograder.batch import job, outputs
from autograder.batch.discover import discover, safe_key
from autograder.batch.journal import Journal, JournalError
from autograder.batch.run import BatchError, run_batch
from autograder.pipeline import homeworks
from autograder.pipeline.report import validate_results
from autograder.pipeline.source import load_assignment, nbgrader_meta
from autograder.submissions import load_release, reference_submission, write_notebook
from tests.conftest import HOMEWORKS, ROOT, quiet

HW = HOMEWORKS[0]
ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="needs root")
MAX = load_assignment(homeworks.source_path(HW), HW).max_score


def _nb_bytes(nb):
    return json.dumps(nb).encode()


def _partial():
    """The reference answers with the first answer cell left as the release's stub."""
    nb = reference_submission(HW)
    release = load_release(HW)
    first = next(c for c in release["cells"] if nbgrader_meta(c).get("solution"))
    gid = nbgrader_meta(first)["grade_id"]
    for cell in nb["cells"]:
        if nbgrader_meta(cell).get("grade_id") == gid:
            cell["source"] = first["source"]
    return nb


def _write(folder, files):
    for name, data in files.items():
        path = os.path.join(folder, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if data is None:
            os.makedirs(path, exist_ok=True)
            continue
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())


def _read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def _done_records(out):
    recs = []
    with open(os.path.join(out, "journal.jsonl")) as f:
        for line in f:
            rec = json.loads(line)
            if rec.get("event") == "done":
                recs.append(rec)
    return recs


def _scores(out):
    return {r["student"]: (float(r["score"]), r["status"],
                           tuple(float(r[t.grade_id]) for t in
                                 load_assignment(homeworks.source_path(HW), HW).tests))
            for r in _read_csv(os.path.join(out, "gradebook.csv"))}


def _processes(fragment):
    """pids whose command line (NUL-separated) contains ``fragment``."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline") as f:
                if fragment in f.read():
                    found.append(pid)
        except OSError:
            pass
    return found


def _batch_cli(*args, **kwargs):
    return [sys.executable, "-m", "autograder", "batch", HW, *args, "--no-progress"]


# ------------------------------------------------------------------ layouts (no grading)
def test_discover_a_plain_folder(tmp_path):
    _write(tmp_path / "class", {"alice.ipynb": b"{}", "bob/work/hw0.ipynb": b"{}",
                                "carol.zip": b"PK", "notes.txt": b"x", ".hidden.ipynb": b"{}",
                                "dave (late).ipynb": b"{}", "__MACOSX/._x": b""})
    found = discover(str(tmp_path / "class"), HW, str(tmp_path / "out"))
    assert found.layout == "folder"
    assert [(s.key, s.students) for s in found.submissions] == [
        ("alice", ("alice",)), ("bob", ("bob",)), ("carol", ("carol",)),
        ("dave_late", ("dave (late)",))]
    assert found.ignored == ["notes.txt"]


def _gradescope_export(folder):
    meta = """
submission_101:
  :submitters:
  - :name: Ada Lovelace
    :sid: '1'
    :email: ada@example.edu
  :created_at: 2026-01-01 10:00:00.000000000 -08:00
  :score: 0.0
submission_102:
  :submitters:
  - :name: Alan Turing
    :email: alan@example.edu
  - :name: Grace Hopper
    :email: grace@example.edu
  :created_at: 2026-01-02 11:00:00.000000000 -08:00
"""
    _write(folder, {"submission_metadata.yml": meta,
                    "submission_101/hw0.ipynb": b"{}", "submission_102/my.ipynb": b"{}"})


def test_discover_a_gradescope_export_folder_and_zip(tmp_path):
    export = tmp_path / "assignment_1_export"
    _gradescope_export(str(export))
    for path in (str(export), str(tmp_path / "export.zip")):
        if path.endswith(".zip"):
            with zipfile.ZipFile(path, "w") as zf:
                for dirpath, _, files in os.walk(export):
                    for f in files:
                        full = os.path.join(dirpath, f)
                        zf.write(full, os.path.relpath(full, tmp_path))
        found = discover(path, HW, str(tmp_path / "out"))
        assert found.layout == "gradescope"
        subs = {s.key: s for s in found.submissions}
        assert set(subs) == {"submission_101", "submission_102"}
        assert subs["submission_101"].students == ("ada@example.edu",)
        assert subs["submission_101"].names["ada@example.edu"] == "Ada Lovelace"
        assert subs["submission_102"].students == ("alan@example.edu", "grace@example.edu")
        assert subs["submission_101"].timestamp.startswith("2026-01-01")
        assert os.path.isfile(os.path.join(subs["submission_101"].path, "hw0.ipynb"))


def test_discover_nbgraders_submitted_tree(tmp_path):
    course = tmp_path / "course"
    _write(str(course), {f"submitted/alice/{HW}/{HW}.ipynb": b"{}",
                         f"submitted/alice/{HW}/timestamp.txt": "2026-02-03 04:05:06",
                         f"submitted/bob/{HW}/{HW}.ipynb": b"{}",
                         "submitted/carol/hw9/hw9.ipynb": b"{}"})
    for path in (course, course / "submitted"):
        found = discover(str(path), HW, str(tmp_path / "out"))
        assert found.layout == "nbgrader"
        assert [s.key for s in found.submissions] == ["alice", "bob"]  # carol: not this one
        assert found.submissions[0].timestamp == "2026-02-03 04:05:06"


def test_an_unsafe_export_zip_is_refused(tmp_path):
    bad = tmp_path / "evil.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("../escape.ipynb", b"{}")
    with pytest.raises(BatchError, match="unsafe member"):
        run_batch(HW, str(bad), str(tmp_path / "out"), grade=None, progress=False, log=quiet)


# ------------------------------------------------------------------ the journal
def test_journal_is_the_arbiter(tmp_path):
    j = Journal(str(tmp_path), HW)
    with pytest.raises(JournalError, match="another batch"):
        Journal(str(tmp_path), HW)
    j.append({"event": "done", "key": "a", "status": "failed", "reason": "crash"})
    j.append({"event": "done", "key": "a", "status": "graded", "score": 5})
    j.append({"event": "done", "key": "a", "status": "graded", "score": 7})  # a second record
    j.append({"event": "done", "key": "b", "status": "failed", "reason": "crash"})
    j.close()
    with open(tmp_path / "journal.jsonl", "ab") as f:
        f.write(b'{"event": "done", "key": "c", "sta')  # torn by a crash
    j = Journal(str(tmp_path), HW)
    assert not (tmp_path / "journal.jsonl").read_bytes().endswith(b"sta")
    final = j.final()
    assert final["a"]["score"] == 5 and final["b"]["status"] == "failed" and "c" not in final
    assert "b" not in j.final(retry_failed=True)
    j.append({"event": "done", "key": "c", "status": "graded"})
    j.close()
    assert Journal(str(tmp_path), HW).final()["c"]["status"] == "graded"
    with pytest.raises(JournalError, match="holds a batch of"):
        Journal(str(tmp_path), "hw9")


def _fake_grade(homework, path, scores=None):
    """A grading that takes no time: score from the file name, results like the grader's."""
    from autograder.pipeline.report import build_results
    from autograder.pipeline.run_tests import TestResult

    tests = load_assignment(homeworks.source_path(homework), homework).tests
    name = os.path.basename(path)
    got = [TestResult(t.grade_id, t.title, t.points, t.points if "good" in name else 0.0,
                      t.hidden, "", 0.0) for t in tests]
    results = build_results(homework, got, [], 0.01)
    results["extra_data"] = {"status": "graded", "isolated": True}
    return {"status": "graded", "results": results, "reason": None, "seconds": 0.01,
            "log": "x" * 2000}


def test_a_full_disk_stops_the_batch_cleanly(tmp_path, monkeypatch):
    """ENOSPC in the middle of a batch (simulated): a clear error, no half-written file,
    and the batch finishes when run again."""
    _write(str(tmp_path / "class"), {f"s{i:02d}-{'good' if i % 2 else 'bad'}.ipynb": b"{}"
                                     for i in range(12)})
    out = str(tmp_path / "out")
    real_write = os.write
    calls = {"n": 0}

    def filling_write(fd, data):
        path = os.readlink(f"/proc/self/fd/{fd}")
        if path.startswith(out) and "gradebook.db" not in path:
            calls["n"] += 1
            if calls["n"] == 26:  # a short write, then the disk is full
                return real_write(fd, bytes(data)[:7])
            if calls["n"] > 26:
                raise OSError(28, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", filling_write)
    with pytest.raises(BatchError, match="is full") as err:
        run_batch(HW, str(tmp_path / "class"), out, jobs=2, grade=_fake_grade,
                  progress=False, log=quiet, gradebook=None)
    monkeypatch.undo()
    assert "run the same command again" in str(err.value)
    leftovers = [f for _, _, files in os.walk(out) for f in files if ".tmp-" in f]
    assert not leftovers, leftovers
    for rec in _done_records(out):  # every journal line is whole
        assert os.path.isfile(os.path.join(out, "results", rec["key"], "results.json"))
    for dirpath, _, files in os.walk(os.path.join(out, "results")):
        if "results.json" in files:
            validate_results(json.load(open(os.path.join(dirpath, "results.json"))))
    if os.path.exists(os.path.join(out, "gradebook.csv")):
        _read_csv(os.path.join(out, "gradebook.csv"))
    summary = run_batch(HW, str(tmp_path / "class"), out, jobs=2, grade=_fake_grade,
                        progress=False, log=quiet, gradebook=None)
    rows = _read_csv(os.path.join(out, "gradebook.csv"))
    assert len(rows) == 12 == summary["students"]
    assert {r["student"]: float(r["score"]) for r in rows} == {
        f"s{i:02d}-{'good' if i % 2 else 'bad'}": (MAX if i % 2 else 0.0) for i in range(12)}
    keys = [r["key"] for r in _done_records(out)]
    assert sorted(set(keys)) == sorted(keys)  # none recorded twice


@ROOT_ONLY
def test_a_real_full_disk_in_out(tmp_path):
    """The same on a real 96 KiB tmpfs (in a private mount namespace): the batch stops with
    the message; after the space grows, the same command finishes the class."""
    if not shutil.which("unshare"):
        pytest.skip("needs unshare")
    _write(str(tmp_path / "class"), {
        "a-ref.ipynb": _nb_bytes(reference_submission(HW)), "b-blank.ipynb":
        _nb_bytes(load_release(HW)), **{f"c-bad{i}.ipynb": b"{not json" for i in range(6)}})
    out, keep = tmp_path / "out", tmp_path / "kept"
    out.mkdir()
    cmd = " ".join(_batch_cli(str(tmp_path / "class"), "--out", str(out), "--jobs", "2"))
    script = f"""
set -u
mount -t tmpfs -o size=96k tmpfs {out} || exit 99
{cmd} > {tmp_path}/first.log 2>&1; echo $? > {tmp_path}/first.rc
mkdir -p {keep}; cp -a {out}/. {keep}/
mount -o remount,size=16m {out}
{cmd} > {tmp_path}/second.log 2>&1; echo $? > {tmp_path}/second.rc
cp {out}/gradebook.csv {tmp_path}/final.csv
"""
    proc = subprocess.run(["unshare", "--mount", "--propagation", "private", "bash", "-c", script],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    if proc.returncode == 99:
        pytest.skip("cannot mount a tmpfs here")
    first = (tmp_path / "first.log").read_text()
    assert (tmp_path / "first.rc").read_text().strip() == "2", first
    assert "is full" in first and "run the same command again" in first
    for dirpath, _, files in os.walk(keep):
        assert not any(".tmp-" in f for f in files)
    if (keep / "gradebook.csv").exists():
        _read_csv(keep / "gradebook.csv")  # parses: never half a file
    assert (tmp_path / "second.rc").read_text().strip() == "0", (tmp_path / "second.log").read_text()
    rows = {r["student"]: r for r in _read_csv(tmp_path / "final.csv")}
    assert len(rows) == 8
    assert float(rows["a-ref"]["score"]) == MAX and rows["c-bad3"]["status"] == "rejected"


# ------------------------------------------------------------------ a grader that crashes
def test_a_grader_crash_is_recorded_as_failed_and_the_batch_goes_on(tmp_path):
    _write(str(tmp_path / "class"), {"crash.ipynb": _nb_bytes(reference_submission(HW)),
                                     "hang.ipynb": _nb_bytes(reference_submission(HW)),
                                     "fine.ipynb": b"{not json"})

    def command(homework, submission, results_path):
        name = os.path.basename(submission)
        if name == "crash.ipynb":
            return [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"]
        if name == "hang.ipynb":
            return [sys.executable, "-c", "import time; time.sleep(60)"]
        return job.grade_command(homework, submission, results_path)

    grade = functools.partial(job.grade_one, timeout=5, command=command)
    out = str(tmp_path / "out")
    summary = run_batch(HW, str(tmp_path / "class"), out, jobs=2, grade=grade,
                        progress=False, log=quiet, gradebook=None)
    rows = {r["student"]: r for r in _read_csv(os.path.join(out, "gradebook.csv"))}
    assert summary["failures"] == 2
    assert rows["crash"]["status"] == "failed" and "SIGSEGV" in rows["crash"]["message"]
    assert rows["hang"]["status"] == "failed" and "did not finish within 5 s" in rows["hang"]["message"]
    assert rows["fine"]["status"] == "rejected"
    crashed = json.load(open(os.path.join(out, "results", "crash", "results.json")))
    validate_results(crashed)
    assert crashed["score"] == 0 and "SIGSEGV" in crashed["output"]
    # resumed: failed stays failed (no grading); --retry-failed grades them again, for real
    assert run_batch(HW, str(tmp_path / "class"), out, grade=grade, progress=False,
                     log=quiet, gradebook=None)["graded_now"] == 0
    summary = run_batch(HW, str(tmp_path / "class"), out, jobs=2, retry_failed=True,
                        progress=False, log=quiet, gradebook=None)
    rows = {r["student"]: r for r in _read_csv(os.path.join(out, "gradebook.csv"))}
    assert summary["graded_now"] == 2 and summary["failures"] == 0
    assert float(rows["crash"]["score"]) == MAX and rows["crash"]["status"] == "graded"


# ------------------------------------------------------------------ a class: bad input, kill, resume
FAST_ATTACKS = ("patched_numpy_comparisons", "input_transformer_blanks_later_cells", "os_exit",
                "kills_the_parent_and_everything", "forges_results_json_also_from_a_daemon")


def _class(folder):
    """~30 students: references, blanks, partial answers, every malformed upload of the single
    grader, odd layouts, another homework's notebook, and attacks. -> expected checks."""
    from tests.test_attacks import ATTACKS, submission
    from tests.test_bad_input import test_malformed_upload_gets_zero_and_a_message as malformed

    ref, blank = _nb_bytes(reference_submission(HW)), _nb_bytes(load_release(HW))
    files, expect = {}, {}
    for i in range(4):
        files[f"ref{i}.ipynb"] = ref
        expect[f"ref{i}"] = ("graded", MAX)
    for i in range(3):
        files[f"blank{i}.ipynb"] = blank
        expect[f"blank{i}"] = ("graded", 0.0)
    files["partial.ipynb"] = _nb_bytes(_partial())
    expect["partial"] = ("graded", "partial")
    cases = next(m for m in malformed.pytestmark if m.name == "parametrize").args[1]
    for i, (upload, message) in enumerate(cases):
        files[f"malformed{i}/"] = None
        files.update({f"malformed{i}/{name}": data for name, data in upload.items()})
        expect[f"malformed{i}"] = ("rejected", message)
    files["folder/deeper/my work.ipynb"] = ref
    expect["folder"] = ("graded", MAX)
    with zipfile.ZipFile(os.path.join(folder, "zipped.zip"), "w") as zf:
        zf.writestr(f"my folder/{HW}.ipynb", ref)
    expect["zipped"] = ("graded", MAX)
    files["twonbs/scratch.ipynb"], files[f"twonbs/{HW}.ipynb"] = blank, ref
    expect["twonbs"] = ("graded", MAX)
    if len(HOMEWORKS) > 1:
        files["otherhw.ipynb"] = _nb_bytes(reference_submission(HOMEWORKS[1]))
        expect["otherhw"] = ("rejected", HOMEWORKS[1].upper())
    stripped = reference_submission(HW)
    for cell in stripped["cells"]:
        cell.get("metadata", {}).pop("nbgrader", None)
    files["stripped.ipynb"] = _nb_bytes(stripped)
    expect["stripped"] = ("graded", MAX)
    files["late (2).ipynb"] = ref
    expect["late (2)"] = ("graded", MAX)
    files["notazip.zip"] = b"PK\x03\x04 truncated"
    expect["notazip"] = ("rejected", "no Jupyter notebook")
    files["partial2/partial.ipynb"] = _nb_bytes(_partial())
    expect["partial2"] = ("graded", "partial")
    files["zeros.ipynb"] = _nb_bytes(submission(HW))
    expect["zeros"] = ("graded", "honest")
    for name in FAST_ATTACKS:
        files[f"attack_{name}.ipynb"] = _nb_bytes(submission(HW, ATTACKS[name]))
        expect[f"attack_{name}"] = ("graded", "attack")
    _write(folder, files)
    return expect


def test_a_class_with_bad_input_killed_and_resumed(tmp_path):
    folder = str(tmp_path / "class")
    os.makedirs(folder)
    expect = _class(folder)
    assert len(expect) >= 28
    out = str(tmp_path / "out")
    journal = os.path.join(out, "journal.jsonl")
    cmd = _batch_cli(folder, "--out", out, "--jobs", "2")
    first = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True)
    end = time.monotonic() + 300
    while time.monotonic() < end and first.poll() is None:
        if os.path.exists(journal) and len(_done_records(out)) >= 8:
            break
        time.sleep(0.2)
    assert first.poll() is None, first.stdout.read()
    first.kill()  # SIGKILL: no clean-up of any kind
    first.wait()
    done_before = {r["key"] for r in _done_records(out)}
    assert 8 <= len(done_before) < len(expect)
    time.sleep(1)
    assert not _processes(f"autograder.batch.child\0{first.pid}\0"), \
        "grading processes outlived the killed batch"

    second = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stdout + second.stderr
    assert f"{len(done_before)} already graded" in second.stdout
    records = _done_records(out)
    keys = [r["key"] for r in records]
    assert sorted(keys) == sorted(set(keys)) == sorted(safe_key(s) for s in expect)  # once each
    rows = {r["student"]: r for r in _read_csv(os.path.join(out, "gradebook.csv"))}
    assert sorted(rows) == sorted(expect)
    honest = float(rows["zeros"]["score"])
    for student, (status, what) in expect.items():
        row = rows[student]
        assert row["status"] == status, (student, row)
        score = float(row["score"])
        if what == "partial":
            assert 0 < score < MAX
        elif what == "honest":
            assert score < MAX
        elif what == "attack":
            assert score <= honest, (student, row["message"])
        elif isinstance(what, str):
            assert score == 0 and what in row["message"], (student, row["message"])
        else:
            assert score == what, (student, row)
        results = json.load(open(os.path.join(out, "results", safe_key(student),
                                              "results.json")))
        validate_results(results)
        assert results["score"] == score
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{out}/gradebook.db") as gb:
        assert gb.find_submission(HW, "ref0").score == MAX
        assert gb.find_submission(HW, "malformed0").score == 0


# ------------------------------------------------------------------ determinism, Dask
def _small_class(folder):
    _write(folder, {"a-ref.ipynb": _nb_bytes(reference_submission(HW)),
                    "b-blank.ipynb": _nb_bytes(load_release(HW)),
                    "c-partial.ipynb": _nb_bytes(_partial()),
                    f"d-folder/sub/{HW}.ipynb": _nb_bytes(_partial()),
                    "e-bad.ipynb": b"[1, 2, 3]",
                    "f-ref.ipynb": _nb_bytes(reference_submission(HW))})


class DaskCluster:
    """A real scheduler and two workers on 127.0.0.1 (no nanny: a killed worker stays dead)."""

    def __init__(self, tmp):
        self.file = os.path.join(tmp, "scheduler.json")
        bin_dir = os.path.dirname(sys.executable)
        self.env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"],
                        DASK_DISTRIBUTED__WORKER__DAEMON="False")
        self.logs = []
        self.scheduler = self._start([os.path.join(bin_dir, "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                                      "--dashboard-address", "127.0.0.1:0", "--no-show",
                                      "--scheduler-file", self.file], tmp, "scheduler")
        end = time.monotonic() + 60
        while not os.path.exists(self.file) and time.monotonic() < end:
            time.sleep(0.2)
        worker = ["--scheduler-file", self.file, "--host", "127.0.0.1", "--nthreads", "1",
                  "--no-nanny", "--no-dashboard"]
        # w0: a plain `dask worker`; w1: the grading image's entry point (`cv-entrypoint worker`)
        self.workers = [
            self._start([os.path.join(bin_dir, "dask"), "worker", *worker, "--name", "w0"],
                        tmp, "w0"),
            self._start(["bash", os.path.join(ROOT, "docker", "entrypoint.sh"), "worker",
                         *worker, "--name", "w1"], tmp, "w1",
                        env={"CV_PYTHON": sys.executable, "CV_COURSE_ROOT": ROOT})]
        from distributed import Client

        self.client = Client(scheduler_file=self.file, timeout="60s")
        self.client.wait_for_workers(2, timeout=90)
        self.addresses = {info["name"]: addr for addr, info in
                          self.client.scheduler_info()["workers"].items()}

    def _start(self, argv, tmp, name, env=None):
        log = open(os.path.join(tmp, f"{name}.log"), "w")
        self.logs.append(log)
        return subprocess.Popen(argv, cwd=ROOT, env=dict(self.env, **(env or {})), stdout=log,
                                stderr=subprocess.STDOUT)

    def close(self):
        try:
            self.client.close()
        except Exception:
            pass
        for proc in self.workers + [self.scheduler]:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.workers + [self.scheduler]:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        for log in self.logs:
            log.close()


def test_same_scores_with_1_job_2_jobs_and_a_dask_cluster_that_loses_a_worker(tmp_path):
    folder = str(tmp_path / "class")
    _small_class(folder)
    runs = {}
    for jobs in (1, 2):
        out = str(tmp_path / f"out{jobs}")
        run_batch(HW, folder, out, jobs=jobs, progress=False, log=quiet, gradebook=None)
        runs[jobs] = _scores(out)
    assert runs[1] == runs[2]
    assert runs[1]["a-ref"][0] == MAX and runs[1]["b-blank"][0] == 0
    assert 0 < runs[1]["c-partial"][0] < MAX and runs[1]["e-bad"][1] == "rejected"

    cluster = DaskCluster(str(tmp_path))
    try:
        out = str(tmp_path / "dask")
        result = {}
        thread = threading.Thread(target=lambda: result.update(run_batch(
            HW, folder, out, scheduler=cluster.file, progress=False, log=quiet,
            gradebook=None)))
        thread.start()
        victim, victim_keys, end = cluster.workers[0], None, time.monotonic() + 120
        while time.monotonic() < end:  # kill w0 while it is grading, after a first result
            processing = cluster.client.processing().get(cluster.addresses["w0"], [])
            started = os.path.exists(os.path.join(out, "journal.jsonl")) and _done_records(out)
            if processing and started:
                victim_keys = list(processing)
                victim.send_signal(signal.SIGKILL)
                break
            time.sleep(0.05)
        thread.join(timeout=300)
        assert not thread.is_alive()
        assert victim_keys, "worker w0 was never seen grading"
        assert victim.wait(timeout=10) == -signal.SIGKILL
    finally:
        cluster.close()
    assert result["students"] == 6 and result["failures"] == 0
    assert _scores(out) == runs[1]
    records = _done_records(out)
    keys = [r["key"] for r in records]
    assert sorted(keys) == sorted(set(keys)) and len(keys) == 6
    w1 = cluster.addresses["w1"]
    lost = [k.split("-", 1)[1].rsplit("-", 1)[0] for k in victim_keys]
    for rec in records:
        if rec["key"] in lost:  # what w0 was grading when it died was graded again by w1
            assert rec["worker"] == w1, (rec["key"], rec["worker"])
