"""Run the rebuilt program in the sandboxed student process.

The program is the trusted setup cells followed by the student's answer cells,
in the order of the trusted source. Nothing else from the upload runs.
"""

from ..sandbox.session import ProtocolViolation, StudentSession, WorkerGone


class CellKilled(WorkerGone):
    """A cell hung or killed the student process while the program was running."""

    def __init__(self, label, reason):
        super().__init__(f"while running {label}: {reason}")
        self.label, self.reason = label, reason


def rebuild_program(assignment, answers):
    """``[(label, source)]``: setup cells, then each answer cell the student gave."""
    program = [(f"setup cell {i + 1}", src) for i, src in enumerate(assignment.setup)]
    for ans in assignment.answers:
        if ans.grade_id in answers.sources:
            program.append((ans.grade_id, answers.sources[ans.grade_id]))
    return program


def start_student(program, limits, helpers_dir, isolate=None, log=print):
    """Start a student process and run ``program``; return ``(session, cell_errors)``.

    ``cell_errors`` maps a cell label to a one-line description of what it raised.
    Raises :class:`WorkerGone` when the process dies or times out while starting.
    """
    session = StudentSession(limits, helpers_dir, isolate).start()
    errors = {}
    label = "the first cell"
    try:
        for label, source in program:
            err = session.run_cell(source, timeout=limits.cell_seconds)
            if err is not None:
                errors[label] = f"{err['type']}: {err['message']}".strip(": ")
                log(f"  cell {label} raised {errors[label][:300]}")
    except ProtocolViolation:
        session.stop()
        raise
    except WorkerGone as err:
        session.stop()
        raise CellKilled(label, str(err)) from None
    except BaseException:  # noqa: B902  (nothing may outlive a failed start)
        session.stop()
        raise
    return session, errors
