"""Grade one upload: every stage in order, and always a valid ``results.json``.

The trusted process owns the results. It writes them only after every student
process is dead, lists the tests and their points from the trusted source (a
test that did not run scores 0), checks them against Gradescope's format, and
falls back to a score-0 result with a clear message when anything goes wrong,
including a bug of its own (the full story goes to stdout for instructors).
"""

import dataclasses
import os
import threading
import time
import traceback

from ..sandbox.launch import leftovers, stop_all
from . import homeworks
from .execute import CellKilled, rebuild_program, start_student
from .extract import extract_answers, grade_ids
from .load import BadSubmission, find_uploads, parse_notebook
from .report import build_results, failure_results, format_table, write_results
from .run_tests import TestRunner
from .source import load_assignment


def choose_notebook(path, assignment, log=print):
    """The upload to grade and notes about the choice; :class:`BadSubmission` if none."""
    uploads, others = find_uploads(path)
    if not uploads:
        what = f" (found: {', '.join(others[:5])})" if others else ""
        hint = (" A .py file is not a notebook: download the notebook with File → Download."
                if any(o.lower().endswith(".py") for o in others) else "")
        raise BadSubmission(f"no Jupyter notebook (.ipynb) was uploaded{what}.{hint}")
    parsed, errors = [], []
    for up in uploads:
        try:
            parsed.append((up, parse_notebook(up)))
        except BadSubmission as err:
            errors.append(str(err))
    if not parsed:
        raise BadSubmission(errors[0] if len(errors) == 1 else " / ".join(errors[:3]))
    wanted = {a.grade_id for a in assignment.answers}

    def rank(item):
        up, nb = item
        return (len(wanted & grade_ids(nb)), up.name.split("/")[-1] == f"{assignment.name}.ipynb")

    best = max(parsed, key=rank)
    notes = []
    if len(uploads) > 1:
        notes.append(f"{len(uploads)} notebooks were uploaded; graded {best[0].name}")
    if best[0].name.split("/")[-1].split(":")[-1] != f"{assignment.name}.ipynb":
        log(f"  graded {best[0].name} (renamed notebook)")
    return best[0], best[1], notes


def other_homework(nb, current, root):
    """The name of another homework whose answer cells this notebook has, if any."""
    ids = grade_ids(nb)
    for name in homeworks.available(root):
        if name == current:
            continue
        try:
            assignment = load_assignment(homeworks.source_path(name, root), name)
        except Exception:
            continue
        if ids & {a.grade_id for a in assignment.answers}:
            return name
    return None


#: Said in the results when student code was not isolated (no root, or isolation turned off).
NOT_ISOLATED = ("Graded without full isolation (the grader was not root, lacked the "
                "privileges for namespaces, or isolation was turned off): the student code "
                "ran in a separate process with time and resource limits, but without the "
                "sandbox's namespaces, private filesystem and cgroup (Gradescope, and the "
                "grading container run as documented, isolate it fully). The scores are the "
                "same.")

#: Past the run's own deadline, how long the watchdog waits before it writes what it has.
WATCHDOG_GRACE = 20.0


def grade(name, submission, results_path=None, isolate=None, in_kernel=False,
          root=homeworks.ROOT, log=print, watchdog=False, only_tests=None):
    """Grade ``submission`` (a file or folder) for homework ``name``; return the results dict.

    Writes ``results_path`` when given. Never raises for a bad submission.

    Parameters
    ----------
    only_tests : set of str, optional
        Run only the test cells with these ``grade_id``s (the project's own catalog tests,
        which grade a variant of one answer cell against the tests it can affect). Never
        used for real grades.
    watchdog : bool
        For a grader that is its own process (Gradescope, ``python -m autograder``): if
        the run is still going :data:`WATCHDOG_GRACE` seconds after its time limit, a
        thread stops every sandbox, writes the results of the tests done so far (the
        rest at 0) and ends the process, so results always come out in time.
    """
    t0 = time.monotonic()
    tests = ()
    progress = []
    try:
        hw = homeworks.get(name, root)
        assignment = load_assignment(hw.source_path, name)
        if only_tests is not None:
            assignment = dataclasses.replace(assignment, tests=tuple(
                t for t in assignment.tests if t.grade_id in only_tests))
        tests = assignment.tests
        if watchdog:
            _start_watchdog(hw, assignment, progress, results_path, t0, log)
        results = _grade(hw, assignment, submission, isolate, in_kernel, root, log, t0,
                         progress)
    except BadSubmission as err:
        log(f"bad submission: {err}")
        results = failure_results(name, str(err), tests, time.monotonic() - t0)
        results["extra_data"] = {"status": "rejected"}
    except BaseException as err:  # noqa: B902  (a result must come out whatever happens)
        log("internal grader error:\n" + traceback.format_exc())
        results = failure_results(
            name, f"the autograder failed ({type(err).__name__}); your instructors have the "
            "details. Please let them know.", tests, time.monotonic() - t0)
        results["extra_data"] = {"status": "error", "error": f"{type(err).__name__}: {err}"[:500]}
    finally:
        stop_all()  # whatever happened, no sandbox outlives the run
    left = leftovers()
    if left:
        log("sandbox leftovers after grading (removing them): " + ", ".join(left[:10]))
        stop_all()
    if results_path:
        write_results(results, results_path)
    log(format_table(results))
    log(f"graded in {time.monotonic() - t0:.1f} s")
    return results


def _start_watchdog(hw, assignment, progress, results_path, t0, log):
    """See :func:`grade`: the last line of defence for "results are always written"."""
    from .run_tests import TestResult

    def watch():
        time.sleep(max(t0 + hw.limits.total_seconds + WATCHDOG_GRACE - time.monotonic(), 0))
        done = list(progress)
        reason = (f"not run: the grading time limit ({hw.limits.total_seconds:g} s) was "
                  "reached; the grader stopped the run")
        rest = [TestResult(t.grade_id, t.title, t.points, 0.0, t.hidden, reason, 0.0)
                for t in assignment.tests[len(done):]]
        try:
            stop_all()
            results = build_results(hw.name, done + rest,
                                    ["grading was stopped at its time limit"],
                                    time.monotonic() - t0)
            results["extra_data"] = {"status": "timeout"}
            if results_path:
                write_results(results, results_path)
            log("watchdog: the run passed its time limit; wrote the results so far")
        finally:
            os._exit(0)

    threading.Thread(target=watch, daemon=True, name="grading-watchdog").start()


def _grade(hw, assignment, submission, isolate, in_kernel, root, log, t0, progress):
    limits = hw.limits
    upload, nb, messages = choose_notebook(submission, assignment, log)
    log(f"grading {upload.name} as {hw.title}")
    answers = extract_answers(nb, assignment)
    if not answers.sources:
        other = other_homework(nb, hw.name, root)
        if other:
            raise BadSubmission(f"this is the {other.upper()} notebook, not {hw.title}. "
                                f"Upload {hw.name}.ipynb to this assignment.")
        raise BadSubmission(f"none of the {hw.title} answer cells were found in {upload.name}. "
                            f"Upload the {hw.name}.ipynb you worked in.")
    messages += answers.notes
    program = rebuild_program(assignment, answers)
    excluded, cell_errors, sandbox_notes, isolated = set(), {}, set(), []

    def start():
        while True:
            run = [(label, src) for label, src in program if label not in excluded]
            try:
                session, errors = start_student(run, limits, homeworks.helpers_dir(root),
                                                isolate, log)
            except CellKilled as err:  # leave out the cell that hung or crashed, retry
                if err.label in excluded or err.label.startswith("setup"):
                    raise
                excluded.add(err.label)
                cell_errors[err.label] = err.reason
                continue
            cell_errors.update(errors)
            sandbox_notes.update(session.notes)
            isolated.append(bool(session.sandbox.isolate))
            return session

    deadline = t0 + limits.total_seconds
    runner = TestRunner(assignment, start, deadline, limits, in_kernel=in_kernel, log=log,
                        progress=progress)
    try:
        results = runner.run_all()
    finally:
        runner.close()  # every student process is dead before results are written
        if runner.session is not None:
            output = runner.session.output()
            if output.strip():
                log("---- student output (capped) ----\n" + output + "\n----")
    if runner.violation:
        messages.append("Score 0: your notebook's process broke the grader's protocol "
                        f"({runner.violation}). Graded code must not touch the grader's "
                        "channel or code.")
    for note in sorted(sandbox_notes):
        log(f"  sandbox: {note}")
    for label, err in cell_errors.items():
        if label in excluded:
            messages.append(f"the cell {label} was stopped and left out: {err}")
        else:
            messages.append(f"the cell {label} raised {err[:300]}")
    if isolated and not all(isolated):
        messages.append(NOT_ISOLATED)
    results = build_results(hw.name, results, messages, time.monotonic() - t0)
    # For instructors (Gradescope keeps extra_data without showing it; batch grading's
    # gradebook reads it): how the run went and what the sandbox could and could not do.
    results["extra_data"] = {"status": "graded", "isolated": bool(isolated) and all(isolated),
                             "sandbox": sorted(sandbox_notes)}
    return results
