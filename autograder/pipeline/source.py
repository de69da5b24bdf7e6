"""The trusted source notebook, split into setup, answer and test cells.

Read only by the grader, from the instructor's ``solutions/`` (never from the
upload). Hidden tests are kept whole here; the student release never has them.
"""

import ast
import json
import re
from dataclasses import dataclass

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


@dataclass(frozen=True)
class AnswerCell:
    grade_id: str
    reference: str   # the instructor's answer, markers removed
    names: tuple     # graded names the cell defines


@dataclass(frozen=True)
class TestCell:
    __test__ = False  # not a pytest test class
    grade_id: str
    points: float
    source: str      # the whole test, hidden part included
    hidden: bool
    title: str


@dataclass(frozen=True)
class Assignment:
    name: str
    setup: tuple     # sources of the setup cells, in order
    answers: tuple   # AnswerCell, in notebook order
    tests: tuple     # TestCell, in notebook order

    @property
    def graded_names(self):
        return tuple(n for a in self.answers for n in a.names)

    @property
    def max_score(self):
        return sum(t.points for t in self.tests)

    def answer(self, grade_id):
        return next(a for a in self.answers if a.grade_id == grade_id)

    def tests_affected_by(self, grade_id):
        """``grade_id``s of the tests that can see a change to answer cell ``grade_id``.

        A test is affected when it names a graded name of that cell, or of any answer cell
        whose reference calls one (transitively: ``TwoLayerNet`` uses the layers).
        """
        def mentions(text, names):
            return any(re.search(rf"\b{re.escape(n)}\b", text) for n in names)

        names = set(self.answer(grade_id).names)
        grew = True
        while grew:
            grew = False
            for a in self.answers:
                if not set(a.names) <= names and mentions(a.reference, names):
                    names |= set(a.names)
                    grew = True
        return {t.grade_id for t in self.tests if mentions(t.source, names)}


def cell_source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def nbgrader_meta(cell):
    meta = cell.get("metadata", {})
    data = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
    return data if isinstance(data, dict) else {}


def strip_markers(source, begin, end):
    """``source`` without the marker lines (the code between them is kept)."""
    return "\n".join(line for line in source.splitlines()
                     if line.strip() not in (begin, end))


def defined_names(source):
    """Top-level functions and classes a cell defines."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ()
    return tuple(node.name for node in tree.body
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))


_TITLE = re.compile(r"#\s*Test(?:\s*\([^)]*\))?\s*:\s*(.*)")


def test_title(source, grade_id):
    """The description on a test cell's first ``# Test (N points): ...`` (or ``# Test: ...``)
    line; the ``grade_id`` when there is none."""
    for line in source.splitlines():
        match = _TITLE.match(line)
        if match and match.group(1).strip():
            return match.group(1).strip()
    return grade_id


def load_assignment(path, name):
    """Parse the trusted source notebook at ``path``."""
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    setup, answers, tests = [], [], []
    for cell in nb["cells"]:
        if cell.get("cell_type") != "code":
            continue
        meta, src = nbgrader_meta(cell), cell_source(cell)
        if meta.get("solution"):
            ref = strip_markers(src, BEGIN_SOLUTION, END_SOLUTION)
            answers.append(AnswerCell(meta["grade_id"], ref, defined_names(ref)))
        elif meta.get("grade"):
            hidden = BEGIN_HIDDEN in src
            tests.append(TestCell(meta["grade_id"], float(meta.get("points", 0)),
                                  strip_markers(src, BEGIN_HIDDEN, END_HIDDEN), hidden,
                                  test_title(src, meta["grade_id"])))
        elif "setup" in cell.get("metadata", {}).get("tags", []):
            setup.append(src)
    return Assignment(name, tuple(setup), tuple(answers), tuple(tests))
