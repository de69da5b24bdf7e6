"""The homeworks the grader knows: their trusted source notebooks and limits."""

import os
from dataclasses import dataclass, field

from ..sandbox.limits import Limits

#: The repository (or the Gradescope ``source`` folder): solutions/, helpers/, autograder/.
ROOT = os.environ.get("CV_COURSE_ROOT") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

#: Per-homework limits; budgets from COURSE.md (grading one submission).
#: ``total_seconds`` stays well below Gradescope's timeout (the zip's README says what to set).
LIMITS = {
    "hw0": Limits(cell_seconds=10, test_seconds=20, total_seconds=90),
    "hw1": Limits(cell_seconds=10, test_seconds=20, total_seconds=90),
    "hw2": Limits(cell_seconds=30, test_seconds=40, total_seconds=240),
    # A training test runs in one call: its bounds leave room for a loaded 2-core machine
    # (about 15 s alone; CI grades two submissions at once).
    "hw3": Limits(cell_seconds=120, test_seconds=120, total_seconds=420,
                  memory_bytes=4 * 2**30),
    "hw4": Limits(cell_seconds=30, test_seconds=30, total_seconds=240),
    "hw5": Limits(cell_seconds=60, test_seconds=45, total_seconds=300, memory_bytes=4 * 2**30),
}
DEFAULT_LIMITS = Limits(cell_seconds=60, test_seconds=60, total_seconds=420,
                        memory_bytes=6 * 2**30)


@dataclass(frozen=True)
class Homework:
    """One homework: name (``hw0``), its trusted source notebook and its limits."""

    name: str
    source_path: str
    limits: Limits = field(default_factory=Limits)

    @property
    def title(self):
        return self.name.upper()


def source_path(name, root=ROOT):
    return os.path.join(root, "solutions", name, f"{name}.ipynb")


def available(root=ROOT):
    """Names of the homeworks that have a source notebook, sorted."""
    base = os.path.join(root, "solutions")
    if not os.path.isdir(base):
        return []
    return sorted(n for n in os.listdir(base) if os.path.isfile(source_path(n, root)))


def get(name, root=ROOT):
    """The :class:`Homework` called ``name``; ``KeyError`` with the known names otherwise."""
    if name not in available(root):
        raise KeyError(f"unknown homework {name!r}; known: {', '.join(available(root))}")
    return Homework(name, source_path(name, root), LIMITS.get(name, DEFAULT_LIMITS))


def helpers_dir(root=ROOT):
    return os.path.join(root, "helpers")
