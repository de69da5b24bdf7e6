"""Submissions made from the source: the reference answers, the blank release, variants.

Used by ``make demo`` and the tests. A submission is the student release
notebook with some answer cells replaced, exactly what a student would upload.
"""

import copy
import json
import os

from .pipeline import homeworks
from .pipeline.source import load_assignment, nbgrader_meta


def release_path(name, root=homeworks.ROOT):
    return os.path.join(root, "notebooks", name, f"{name}.ipynb")


def load_release(name, root=homeworks.ROOT):
    with open(release_path(name, root), encoding="utf-8") as f:
        return json.load(f)


def with_answers(nb, sources):
    """A copy of notebook ``nb`` whose answer cells ``grade_id -> source`` are replaced."""
    nb = copy.deepcopy(nb)
    for cell in nb["cells"]:
        gid = nbgrader_meta(cell).get("grade_id")
        if gid in sources:
            cell["source"] = sources[gid]
    return nb


def reference_answers(name, root=homeworks.ROOT):
    """``grade_id -> source`` of the instructor's answers (markers removed)."""
    assignment = load_assignment(homeworks.source_path(name, root), name)
    return {a.grade_id: a.reference for a in assignment.answers}


def reference_submission(name, root=homeworks.ROOT):
    """The release notebook with every answer cell holding the reference answer."""
    return with_answers(load_release(name, root), reference_answers(name, root))


def write_notebook(nb, path):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(nb, f, indent=1)
    return path
