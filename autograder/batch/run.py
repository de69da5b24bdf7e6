"""``python -m autograder batch HW SUBMISSIONS --out DIR``: grade a whole class.

The batch process owns every output. For each finished submission, in this order:
its ``results.json`` (atomic), then its journal line (fsync). The gradebook CSV is
rewritten (atomically) every few seconds and at the end, and nbgrader's gradebook
at the end. So a batch killed at any moment resumes from the journal: what has a
journal line has its results; what has none is graded again; nothing twice.
"""

import os
import signal
import sys
import time

from ..pipeline import homeworks
from ..pipeline.source import load_assignment
from . import job, outputs
from .discover import BadInput, discover
from .journal import Journal, JournalError
from .outputs import DiskFull

#: Seconds between rewrites of the CSV while the batch runs.
CSV_EVERY = 10.0


class BatchError(Exception):
    """The batch cannot go on; the message says why and what to do."""


def run_batch(homework, submissions, out, jobs=1, scheduler=None, gradebook="default",
              retry_failed=False, progress=True, grade=None, log=print):
    """Grade every submission under ``submissions`` into ``out``; return a summary dict.

    Parameters
    ----------
    homework : str
    submissions : str
        A folder or zip (see :mod:`autograder.batch.discover`).
    out : str
        Output folder; a batch already there is resumed.
    jobs : int
        Local grading processes at a time (without ``scheduler``).
    scheduler : str, optional
        A Dask scheduler address (or scheduler file): grade on that cluster.
    gradebook : str or None
        nbgrader gradebook SQLAlchemy URL; ``"default"``: ``sqlite:///OUT/gradebook.db``;
        ``None``: do not write one.
    retry_failed : bool
        Grade again the submissions whose grading failed in an earlier run.
    grade : callable, optional
        ``grade(homework, path) -> record`` for the local runner (tests).

    Raises
    ------
    BatchError
        Bad input, a full disk, another batch in ``out``; nothing written is corrupt.
    """
    hw = homeworks.get(homework)
    assignment = load_assignment(hw.source_path, homework)
    test_ids = [t.grade_id for t in assignment.tests]
    out = os.path.abspath(out)
    try:
        os.makedirs(out, exist_ok=True)
        found = discover(os.path.abspath(submissions), homework, out)
    except BadInput as err:
        raise BatchError(str(err)) from None
    except OSError as err:
        raise BatchError(_disk_message(out, err) if err.errno in outputs.DISK_FULL
                         else f"cannot read the submissions: {err}") from None
    subs = [s for s in found.submissions
            if not (os.path.abspath(s.path) + os.sep).startswith(out + os.sep)]
    try:
        journal = Journal(out, homework)
    except JournalError as err:
        raise BatchError(str(err)) from None
    except OSError as err:
        raise BatchError(_disk_message(out, err) if err.errno in outputs.DISK_FULL
                         else str(err)) from None
    job.sweep_stale()  # what a killed earlier batch left behind
    done = journal.final(retry_failed)
    known = {s.key for s in subs}
    pending = [s for s in subs if s.key not in done]
    log(f"{homework}: {len(subs)} submissions ({found.layout} layout in {found.root}); "
        f"{len(subs) - len(pending)} already graded, {len(pending)} to grade"
        + (f"; ignored: {', '.join(found.ignored[:10])}" if found.ignored else ""))
    failures = sum(1 for k, r in done.items() if k in known and r.get("status") == "failed")
    t0 = time.monotonic()
    runner = None
    bar = _progress(len(subs), len(subs) - len(pending), homework, progress)
    csv_path = os.path.join(out, "gradebook.csv")
    last_csv = time.monotonic()
    interrupted = False
    try:
        if pending:
            runner = _runner(homework, jobs, scheduler, grade)
            log(f"grading on {runner.describe}")

            def started(sub):
                journal.append({"event": "start", "key": sub.key, "time": time.time()})

            for sub, record in runner.run(pending, started):
                results = outputs.results_for(record, homework, assignment.tests)
                outputs.write_submission(out, sub.key, results, record.get("log", ""))
                rec = outputs.summary(sub.key, record, results)
                rec["time"] = time.time()
                journal.append(rec)
                done.setdefault(sub.key, rec)
                failures += rec["status"] == "failed"
                if bar is not None:
                    bar.set_postfix_str(f"failures: {failures}", refresh=False)
                    bar.update(1)
                if time.monotonic() - last_csv > CSV_EVERY:
                    outputs.write_csv(csv_path, outputs.gradebook_rows(subs, done), test_ids)
                    last_csv = time.monotonic()
        rows = outputs.gradebook_rows(subs, done)
        outputs.write_csv(csv_path, rows, test_ids)
    except DiskFull as err:
        raise BatchError(_disk_message(out, err)) from None
    except OSError as err:
        if err.errno in outputs.DISK_FULL:
            raise BatchError(_disk_message(out, err)) from None
        raise
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        if runner is not None:
            runner.stop()
        if bar is not None:
            bar.close()
        journal.close()
        if interrupted:
            log(f"\ninterrupted: {len(done)} of {len(subs)} graded and kept in {out}; run "
                "the same command again to grade the rest")
    url = None
    if gradebook:
        url = f"sqlite:///{os.path.join(out, 'gradebook.db')}" if gradebook == "default" \
            else gradebook
        try:
            outputs.write_nbgrader(url, homework, hw.source_path, rows)
        except Exception as err:  # noqa: B902  (the CSV and results are safe; say so)
            if (isinstance(err, OSError) and err.errno in outputs.DISK_FULL) or \
                    "disk is full" in str(err) or "No space left" in str(err):
                raise BatchError(_disk_message(out, err)) from None
            log(f"warning: could not write nbgrader's gradebook {url}: "
                f"{type(err).__name__}: {err}")
            url = None
    counts = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    summary = {"homework": homework, "submissions": len(subs), "students": len(rows),
               "graded_now": len(pending), "failures": failures, "statuses": counts,
               "seconds": time.monotonic() - t0, "csv": csv_path, "gradebook": url,
               "layout": found.layout}
    log(f"{homework}: {len(subs)} submissions, {len(rows)} students; "
        + ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
        + f"; {failures} failed. Gradebook: {csv_path}"
        + (f"; nbgrader: {url}" if url else ""))
    return summary


def _runner(homework, jobs, scheduler, grade):
    if scheduler:
        from .cluster import DaskRunner

        try:
            return DaskRunner(homework, scheduler)
        except (OSError, TimeoutError, ValueError) as err:
            raise BatchError(f"cannot reach the Dask scheduler at {scheduler}: "
                             f"{type(err).__name__}: {err}") from None
    from .local import LocalRunner

    return LocalRunner(homework, jobs, grade)


def _progress(total, initial, homework, enabled):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, desc=f"grading {homework}", unit="sub",
                file=sys.stderr, mininterval=1.0, dynamic_ncols=True,
                postfix="failures: 0")


def _disk_message(out, err):
    return (f"the disk of {out} is full ({err}). The batch stopped; what it recorded is "
            "intact (results, journal, and the last complete gradebook.csv). Free some "
            "space and run the same command again to continue.")


def main(args):
    """The ``batch`` subcommand; exit code 0 done, 2 stopped with a message, 130 Ctrl-C."""
    signal.signal(signal.SIGTERM, _sigterm)
    gradebook = None if (args.gradebook or "").lower() == "none" else (args.gradebook or "default")
    try:
        summary = run_batch(args.homework, args.submissions, args.out, jobs=args.jobs,
                            scheduler=args.scheduler, gradebook=gradebook,
                            retry_failed=args.retry_failed, progress=not args.no_progress)
    except BatchError as err:
        print(f"batch stopped: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except KeyError as err:
        print(f"batch stopped: {err.args[0]}", file=sys.stderr)
        return 2
    return 0 if summary is not None else 1


def _sigterm(signum, frame):
    raise KeyboardInterrupt  # same clean stop as Ctrl-C: running gradings are dropped
