"""Grade one upload: every stage in order, and always a valid ``results.json``.

The trusted process owns the results. It writes them only after every student
process is dead, lists the tests and their points from the trusted source (a
test that did not run scores 0), checks them against Gradescope's format, and
falls back to a score-0 result with a clear message when anything goes wrong,
including a bug of its own (the full story goes to stdout for instructors).
"""

import time
import traceback

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


def grade(name, submission, results_path=None, isolate=None, in_kernel=False,
          root=homeworks.ROOT, log=print):
    """Grade ``submission`` (a file or folder) for homework ``name``; return the results dict.

    Writes ``results_path`` when given. Never raises for a bad submission.
    """
    t0 = time.monotonic()
    tests = ()
    try:
        hw = homeworks.get(name, root)
        assignment = load_assignment(hw.source_path, name)
        tests = assignment.tests
        results = _grade(hw, assignment, submission, isolate, in_kernel, root, log, t0)
    except BadSubmission as err:
        log(f"bad submission: {err}")
        results = failure_results(name, str(err), tests, time.monotonic() - t0)
    except BaseException as err:  # noqa: B902  (a result must come out whatever happens)
        log("internal grader error:\n" + traceback.format_exc())
        results = failure_results(
            name, f"the autograder failed ({type(err).__name__}); your instructors have the "
            "details. Please let them know.", tests, time.monotonic() - t0)
    if results_path:
        write_results(results, results_path)
    log(format_table(results))
    log(f"graded in {time.monotonic() - t0:.1f} s")
    return results


def _grade(hw, assignment, submission, isolate, in_kernel, root, log, t0):
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
    excluded, cell_errors, sandbox_notes = set(), {}, set()

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
            return session

    deadline = t0 + limits.total_seconds
    runner = TestRunner(assignment, start, deadline, in_kernel=in_kernel, log=log)
    try:
        results = runner.run_all()
    finally:
        runner.close()  # every student process is dead before results are written
        if runner.session is not None:
            output = runner.session.output()
            if output.strip():
                log("---- student output (capped) ----\n" + output + "\n----")
    for note in sorted(sandbox_notes):
        log(f"  sandbox: {note}")
    for label, err in cell_errors.items():
        if label in excluded:
            messages.append(f"the cell {label} was stopped and left out: {err}")
        else:
            messages.append(f"the cell {label} raised {err[:300]}")
    return build_results(hw.name, results, messages, time.monotonic() - t0)
