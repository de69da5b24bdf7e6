"""What a batch leaves in ``--out``: per-student results, the gradebook CSV, nbgrader's db.

- ``results/<key>/results.json``: the Gradescope-format results of that submission
  (for a submission whose grader crashed, score-0 results that give the reason), and
  ``results/<key>/grader.log``: the grader's output, for instructors only.
- ``gradebook.csv``: one row per student: ``student, name, submission, score,
  max_score, status, seconds, message`` and one column per test (its ``grade_id``).
- nbgrader's gradebook (a SQLAlchemy URL; SQLite in ``OUT/gradebook.db`` by default):
  the assignment's cells from the trusted source (as ``generate_assignment`` records
  them) and each student's score per test cell, so formgrader shows them.

Every file is written atomically (a temporary file in the same folder, ``fsync``,
``rename``): a reader, or a batch stopped by a full disk, never sees half a file.
"""

import csv
import errno
import io
import json
import os
import sys
import warnings

from ..pipeline.report import failure_results, validate_results

DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


class DiskFull(Exception):
    """``--out`` has no space left; the message says what to do."""


def atomic_write(path, data):
    """Write ``data`` (bytes) to ``path`` atomically; :class:`DiskFull` when out of space."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    tmp = os.path.join(directory, f".{os.path.basename(path)}.tmp-{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(data)
            written = 0
            while written < len(data):
                written += os.write(fd, view[written:])
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as err:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if err.errno in DISK_FULL:
            raise DiskFull(f"no space left to write {path}") from err
        raise
    try:
        dfd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def test_id(entry):
    """The ``grade_id`` of a results test entry (its name ends with ``[grade_id]``)."""
    name = entry.get("name", "")
    if name.endswith("]") and "[" in name:
        return name[name.rindex("[") + 1:-1]
    return name


def results_for(record, homework, tests):
    """The Gradescope results of a job record; score-0 results with the reason if none."""
    if record.get("results") is not None:
        return record["results"]
    results = failure_results(homework, f"grading failed: {record.get('reason')}. Your "
                              "instructors have the details.", tests, record.get("seconds", 0))
    results["extra_data"] = {"status": "failed", "reason": record.get("reason")}
    validate_results(results)
    return results


def summary(key, record, results):
    """The journal's ``done`` record: everything the CSV and the gradebook need."""
    tests = {test_id(t): t.get("score", 0.0) for t in results.get("tests", [])}
    max_score = round(sum(t.get("max_score", 0.0) for t in results.get("tests", [])), 4)
    message = results.get("output", "")
    lines = [ln.lstrip("- ").strip() for ln in message.splitlines()[1:]
             if ln.strip() and not ln.startswith("Hidden tests")]
    if record.get("status") == "failed":
        lines = [record.get("reason") or "failed"]
    elif message and not lines and ". " in message.splitlines()[0]:  # "HW0: 0 points. why"
        lines = [message.splitlines()[0].split(". ", 1)[1]]
    return {"event": "done", "key": key, "status": record.get("status", "graded"),
            "score": results.get("score", 0.0), "max_score": max_score, "tests": tests,
            "seconds": round(record.get("seconds", 0.0), 2), "message": " | ".join(lines)[:500],
            "isolated": (results.get("extra_data") or {}).get("isolated"),
            "worker": record.get("worker")}


def write_submission(out, key, results, log_text):
    """``results/<key>/results.json`` and ``grader.log``, atomically."""
    folder = os.path.join(out, "results", key)
    atomic_write(os.path.join(folder, "grader.log"), (log_text or "").encode("utf-8", "replace"))
    atomic_write(os.path.join(folder, "results.json"),
                 json.dumps(results, indent=2, allow_nan=False).encode())


CSV_COLUMNS = ("student", "name", "submission", "score", "max_score", "status", "seconds",
               "isolated", "message")


def gradebook_rows(submissions, done):
    """One row per student of every submission with a done record, in key order."""
    rows = []
    for sub in sorted(submissions, key=lambda s: s.key):
        rec = done.get(sub.key)
        if rec is None:
            continue
        for student in sub.students:
            rows.append({"student": student, "name": sub.names.get(student, student),
                         "submission": sub.key, "timestamp": sub.timestamp, **rec})
    return rows


def write_csv(path, rows, test_ids):
    """The gradebook CSV, atomically (a full disk leaves the previous one whole)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(list(CSV_COLUMNS) + list(test_ids))
    for row in rows:
        isolated = row.get("isolated")
        writer.writerow(
            [row["student"], row["name"], row["submission"], f"{row['score']:g}",
             f"{row['max_score']:g}", row["status"], f"{row['seconds']:.1f}",
             "" if isolated is None else ("yes" if isolated else "no"), row.get("message", "")]
            + [f"{row['tests'].get(t, 0.0):g}" for t in test_ids])
    atomic_write(path, buf.getvalue().encode("utf-8"))


def write_nbgrader(url, homework, source_path, rows):
    """Record the scores in nbgrader's gradebook at ``url`` (formgrader shows them).

    The assignment and its notebook's cells come from the trusted source notebook
    (nbgrader's own ``SaveCells``) unless the gradebook has them already (a course that
    ran ``generate_assignment``). Each student's grade per test cell becomes its
    ``auto_score``; a manual score a TA gave is kept.
    """
    import nbformat
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.preprocessors import SaveCells

    bin_dir = os.path.dirname(sys.executable)  # nbgrader runs alembic from the environment
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    if url.startswith("sqlite:///"):
        os.makedirs(os.path.dirname(os.path.abspath(url[len("sqlite:///"):])), exist_ok=True)
    with warnings.catch_warnings(), Gradebook(url) as gb:
        # nbgrader's own add_submission trips SQLAlchemy 2's autoflush warnings: noise
        warnings.simplefilter("ignore", category=getattr(
            __import__("sqlalchemy.exc").exc, "SAWarning", Warning))
        gb.update_or_create_assignment(homework)
        try:
            gb.find_notebook(homework, homework)
        except MissingEntry:
            nb = nbformat.read(source_path, as_version=4)
            SaveCells().preprocess(nb, {"nbgrader": {"notebook": homework,
                                                     "assignment": homework, "db_url": url}})
        cells = {c.name for c in gb.find_notebook(homework, homework).grade_cells}
        for row in rows:
            student = row["student"]
            first, _, last = row.get("name", "").partition(" ")
            gb.update_or_create_student(student, first_name=first or None,
                                        last_name=last or None)
            kwargs = {"timestamp": row["timestamp"]} if row.get("timestamp") else {}
            try:
                gb.update_or_create_submission(homework, student, **kwargs)
            except Exception:  # an unparsable timestamp: the submission without it
                gb.db.rollback()
                gb.update_or_create_submission(homework, student)
            for cell in cells:
                grade = gb.find_grade(cell, homework, homework, student)
                grade.auto_score = float(row["tests"].get(cell, 0.0))
                grade.needs_manual_grade = grade.manual_score is not None
            gb.db.commit()
