"""The student's answer cells, matched to the trusted ones by ``grade_id``.

Only answer cells are taken from the upload; test cells, setup cells and
everything else in it are ignored, so editing or deleting them changes nothing.
When nbgrader metadata was stripped, a cell is matched by the graded names it
defines.
"""

from dataclasses import dataclass, field

from .source import cell_source, defined_names, nbgrader_meta

MAX_ANSWER_CHARS = 200_000


@dataclass
class Answers:
    """Student sources by ``grade_id`` plus notes for the student."""

    sources: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    matched_by_id: int = 0


def extract_answers(nb, assignment):
    """Return :class:`Answers` for ``assignment`` found in the notebook dict ``nb``."""
    answers = Answers()
    cells = [c for c in nb.get("cells", []) if isinstance(c, dict) and c.get("cell_type") == "code"]
    by_id = {}
    for cell in cells:
        gid = nbgrader_meta(cell).get("grade_id")
        if isinstance(gid, str):
            by_id.setdefault(gid, []).append(cell)
    for ans in assignment.answers:
        found = by_id.get(ans.grade_id, [])
        if len(found) > 1:
            answers.notes.append(f"{len(found)} cells share the grade_id {ans.grade_id!r}; "
                                 "the last one was graded")
        if found:
            answers.sources[ans.grade_id] = cell_source(found[-1])
            answers.matched_by_id += 1
            continue
        match = _match_by_names(cells, ans.names)
        if match is not None:
            answers.sources[ans.grade_id] = match
            answers.notes.append(f"the answer cell {ans.grade_id!r} had lost its nbgrader "
                                 f"metadata; graded the cell that defines {', '.join(ans.names)}")
        else:
            answers.notes.append(f"no answer cell {ans.grade_id!r} (defining "
                                 f"{', '.join(ans.names)}) was found: its tests score 0")
    for gid, src in list(answers.sources.items()):
        if len(src) > MAX_ANSWER_CHARS:
            answers.sources[gid] = ""
            answers.notes.append(f"the answer cell {gid!r} is over {MAX_ANSWER_CHARS} "
                                 "characters and was not run")
    return answers


def _match_by_names(cells, names):
    if not names:
        return None
    for cell in reversed(cells):
        src = cell_source(cell)
        if set(names) <= set(defined_names(src)):
            return src
    return None


def grade_ids(nb):
    """All ``grade_id`` values in a notebook (to recognise another homework's upload)."""
    return {nbgrader_meta(c).get("grade_id") for c in nb.get("cells", [])
            if isinstance(c, dict)} - {None}
