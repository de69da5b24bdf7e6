"""One submission's grading job: a fresh ``python -m autograder grade`` process.

The same function runs on the local runner's threads and on Dask workers: it
starts the grader as its own process (its own sandbox uid, watchdog on), waits
for it within a wall-clock bound, and returns a plain record. It never raises:
a grader that crashes, hangs past its bound or writes no valid results gives a
record with status ``failed`` and the reason.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from ..pipeline import homeworks
from ..pipeline.grade import WATCHDOG_GRACE
from ..pipeline.report import InvalidResults, validate_results

#: The project root, where ``python -m autograder`` is importable.
PROJECT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
#: Instructors' log kept per submission (the grader's stdout: tracebacks, student output).
LOG_BYTES = 256 * 2**10
#: Seconds past the homework's own watchdog before the job kills a grader that hangs.
KILL_GRACE = 60.0
#: Largest submission folder shipped to a Dask worker (the grader refuses more anyway).
MAX_PAYLOAD_BYTES = 256 * 2**20

TMP_PREFIX = "cvbatch-"

_running = set()
_lock = threading.Lock()


def job_timeout(homework, root=homeworks.ROOT):
    """Wall-clock bound of one grading process for ``homework``."""
    return homeworks.get(homework, root).limits.total_seconds + WATCHDOG_GRACE + KILL_GRACE


def grade_command(homework, submission, results_path):
    """argv of the grading process (see :mod:`autograder.batch.child`)."""
    return [sys.executable, "-m", "autograder.batch.child", str(os.getpid()), "grade",
            homework, submission, "--results", results_path]


def grade_one(homework, submission, timeout=None, command=None):
    """Grade ``submission`` (a file or folder) in its own process; return a record.

    Parameters
    ----------
    command : callable, optional
        ``command(homework, submission, results_path) -> argv``; default
        :func:`grade_command` (tests pass a grader that crashes).

    Returns
    -------
    dict
        ``status`` (``graded``, ``rejected``, ``error``, ``timeout`` from the grader's
        own results; ``failed`` when the process gave none), ``results`` (the
        Gradescope dict or ``None``), ``reason``, ``seconds``, ``log`` (its output's tail).
    """
    timeout = timeout or job_timeout(homework)
    tmp = tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{os.getpid()}-")
    scratch = os.path.join(tmp, "tmp")  # the grader's own temporary folders: removed below,
    os.mkdir(scratch)                   # whatever happened to the grader
    os.chmod(scratch, 0o755)
    results_path = os.path.join(tmp, "results.json")
    log_path = os.path.join(tmp, "grader.log")
    argv = (command or grade_command)(homework, submission, results_path)
    t0 = time.monotonic()
    reason = None
    try:
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(argv, cwd=PROJECT, stdin=subprocess.DEVNULL, stdout=log,
                                    stderr=subprocess.STDOUT, start_new_session=True,
                                    env=dict(os.environ, PYTHONUNBUFFERED="1",
                                             TMPDIR=scratch))
            with _lock:
                _running.add(proc)
            try:
                rc = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                _kill(proc)
                rc = proc.wait()
                reason = f"the grader did not finish within {timeout:g} s and was killed"
            finally:
                with _lock:
                    _running.discard(proc)
                if proc.returncode is None or proc.returncode < 0:
                    sweep_sandboxes(proc.pid)  # killed: its own clean-up never ran
        seconds = time.monotonic() - t0
        results = None
        if reason is None:
            try:
                with open(results_path, encoding="utf-8") as f:
                    results = json.load(f)
                validate_results(results)
            except (OSError, ValueError, InvalidResults) as err:
                results = None
                reason = (f"the grader process exited with {_exit_text(rc)} and wrote no "
                          f"valid results ({type(err).__name__})")
        log_text = _tail(log_path)
    except OSError as err:  # could not even start it
        seconds, results, log_text = time.monotonic() - t0, None, ""
        reason = f"could not start the grader: {err}"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if results is None:
        return failed(reason, seconds, log_text)
    status = (results.get("extra_data") or {}).get("status", "graded")
    return {"status": status, "results": results, "reason": None, "seconds": seconds,
            "log": log_text}


def failed(reason, seconds=0.0, log=""):
    """The record of a submission that got no valid results, with the reason."""
    return {"status": "failed", "results": None, "reason": reason, "seconds": seconds,
            "log": log}


def sweep_sandboxes(grader_pid):
    """Remove what a killed grading process ``grader_pid`` left: its cgroups and the
    processes of its sandbox uid (root only; see :mod:`autograder.sandbox.launch`)."""
    if os.geteuid() != 0:
        return
    from ..sandbox import cgroup, launch

    uid = launch.sandbox_uid(grader_pid)  # that grader process's sandbox user
    launch.kill_leftovers(uid)
    for path in cgroup.Cgroup.leftovers(f"{launch.TMP_PREFIX}{grader_pid}-"):
        cgroup.Cgroup([path], 0).remove()


def sweep_stale():
    """Clean up after batches and gradings that were killed: cgroups of grading processes
    that no longer exist, and this module's temporary folders whose batch is gone."""
    import re

    from ..sandbox import cgroup, launch

    if os.geteuid() == 0:
        pattern = re.compile(rf"^{launch.TMP_PREFIX}(\d+)-\d+$")
        for path in cgroup.Cgroup.leftovers(launch.TMP_PREFIX):
            m = pattern.match(os.path.basename(path))
            if m and not os.path.exists(f"/proc/{m.group(1)}"):
                sweep_sandboxes(int(m.group(1)))
    base = tempfile.gettempdir()
    for name in os.listdir(base):
        m = re.match(rf"^{TMP_PREFIX}(\d+)-", name)
        if m and not os.path.exists(f"/proc/{m.group(1)}"):
            shutil.rmtree(os.path.join(base, name), ignore_errors=True)


def stop_running():
    """Kill every grading process this process started that is still running."""
    with _lock:
        procs = list(_running)
    for proc in procs:
        _kill(proc)


def _kill(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        try:
            proc.kill()
        except OSError:
            pass


def _exit_text(rc):
    if rc is not None and rc < 0:
        try:
            return f"signal {signal.Signals(-rc).name}"
        except ValueError:
            return f"signal {-rc}"
    return f"code {rc}"


def _tail(path):
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            if size > LOG_BYTES:
                f.seek(size - LOG_BYTES)
            data = f.read()
        text = data.decode("utf-8", "replace")
        return ("[...]\n" + text) if size > LOG_BYTES else text
    except OSError:
        return ""


# ---------------------------------------------------------------- for Dask workers
def pack(path):
    """A submission as plain data ``{relative path: bytes}`` to ship to another machine.

    A file keeps its name; a folder its tree (no links, nothing hidden skipped: the
    grader decides what to read). Bounded by :data:`MAX_PAYLOAD_BYTES`.
    """
    files, total = {}, 0
    if os.path.isfile(path):
        items = [(path, os.path.basename(path))]
    elif os.path.isdir(path):
        items = []
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = sorted(d for d in dirnames
                                 if not os.path.islink(os.path.join(dirpath, d)))
            for fname in sorted(filenames):
                full = os.path.join(dirpath, fname)
                if not os.path.islink(full):
                    items.append((full, os.path.relpath(full, path)))
    else:
        items = []
    for full, rel in items:
        size = os.path.getsize(full)
        if total + size > MAX_PAYLOAD_BYTES:
            files[rel] = b""  # the grader then says what it says about an empty file
            continue
        with open(full, "rb") as f:
            files[rel] = f.read()
        total += size
    return {"single": os.path.isfile(path), "files": files}


def grade_payload(homework, payload, timeout=None):
    """Grade a packed submission (see :func:`pack`) here; the record notes the worker."""
    tmp = tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{os.getpid()}-in-")
    try:
        folder = os.path.join(tmp, "submission")
        os.makedirs(folder)
        for rel, data in payload["files"].items():
            parts = rel.replace("\\", "/").split("/")
            if rel.startswith("/") or ".." in parts:
                continue
            full = os.path.join(folder, *parts)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as f:
                f.write(data)
        target = folder
        if payload.get("single") and len(payload["files"]) == 1:
            target = os.path.join(folder, next(iter(payload["files"])))
        record = grade_one(homework, target, timeout)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    try:
        from distributed import get_worker

        record["worker"] = get_worker().address
    except (ImportError, ValueError):
        record["worker"] = None
    record["host"] = os.uname().nodename
    return record
