"""``make otter HW=hw0``: a homework in otter-grader's format, for courses that use otter.

``python -m autograder.otter_export hw0 [--out build/otter/hw0]`` writes::

    build/otter/hw0/
      README.md                  how to grade with otter and what otter does not protect
      otter_config.json          otter's grading configuration
      requirements.txt           the course pins (plus otter-grader, which otter needs)
      tests/<grade_id>.py        every test cell as an otter exception-based test file;
                                 hidden tests carry ``hidden=True``
      autograder/autograder.zip  built by otter's own ``otter generate`` from tests/, with
                                 helpers/ as support files: ``otter run -a`` or Gradescope
      student/hw0.ipynb          the release with otter's ``grader = otter.Notebook(...)``
                                 and a ``grader.check("<grade_id>")`` under each visible test
      student/tests/<grade_id>.py  the visible tests only (what ``grader.check`` runs)
      student/helpers/           the course helpers

One otter test file per nbgrader test cell (same ``grade_id``, points, all or nothing), so
scores are the same as the course grader's. Each test file holds the test cell's code and
runs it in a copy of the notebook's globals. The tests come from the trusted source
(``solutions/``), so the ``tests/`` and ``autograder/`` folders are for instructors only.

Otter runs the tests in the same Python as the student's code: see ``OTTER.md``.
"""

import argparse
import copy
import json
import os
import shutil
import subprocess
import sys

from .pipeline import homeworks
from .pipeline.source import load_assignment, nbgrader_meta
from .submissions import load_release

HERE = os.path.dirname(os.path.abspath(__file__))

TEST_FILE = '''"""{title}"""
# Exported from solutions/{hw}/{hw}.ipynb (nbgrader cell {grade_id}) by make otter.
from otter.test_files import test_case

OK_FORMAT = False

name = {grade_id!r}
points = {points!r}

SOURCE = {source!r}


@test_case(name={title!r}, points={points!r}, hidden={hidden!r})
def {func}(env):
    """Run the test cell's code against a copy of the notebook's globals."""
    namespace = dict(env)
    exec(compile(SOURCE, {grade_id!r}, "exec"), namespace)
'''

OTTER_CONFIG = {"lang": "python", "show_stdout": False, "show_hidden": False,
                "pdf": False, "debug": False}

README = """# {title} for otter-grader

Exported from this course's nbgrader source by `make otter HW={hw}`.

| path | for | what |
|---|---|---|
| `student/` | students | `{hw}.ipynb` (the release with otter's `grader.check` cells), the visible tests, `helpers/` |
| `autograder/autograder.zip` | instructors | otter's autograder: every test, hidden ones marked hidden; built by `otter generate` |
| `tests/` | instructors | the same tests as files (one per nbgrader test cell, same points) |

Grade one notebook locally, without Docker:

```bash
otter run -a autograder/autograder.zip path/to/{hw}.ipynb -o out/   # → out/results.json
```

For Gradescope, upload `autograder/autograder.zip` as the assignment's autograder (otter's
own `setup.sh` and `run_autograder`); `otter grade` grades a folder of notebooks in Docker.

**Otter's scores are not trusted scores.** Otter executes the submitted notebook and then
runs the tests in the same Python process, against the globals the student's code left
behind. A submission can monkeypatch what the tests use (`np.allclose = lambda *a, **k:
True`, a patched `helpers.testing`, `otter.test_files`), replace its graded functions by
objects that compare equal to anything, or read the hidden tests from the grading
environment, and get full marks with wrong answers. For scores that count, grade with this
course's grader (student code in its own process, tests outside it):
`make grade HW={hw} SUBMISSION=...` or `python -m autograder batch {hw} <folder> --out ...`
in the instructors' repository, or the course's Gradescope zip (`make autograder`).
"""


def _otter():
    exe = os.path.join(os.path.dirname(sys.executable), "otter")
    return exe if os.path.exists(exe) else "otter"


def test_file(hw, test):
    func = "test_" + "".join(ch if ch.isalnum() else "_" for ch in test.grade_id)
    points = int(test.points) if float(test.points).is_integer() else test.points
    return TEST_FILE.format(title=test.title, hw=hw, grade_id=test.grade_id, points=points,
                            source=test.source, hidden=test.hidden, func=func)


def student_notebook(name, release):
    """The release with otter's init cell and a ``grader.check`` under each visible test."""
    nb = copy.deepcopy(release)
    cells = []
    for cell in nb["cells"]:
        cells.append(cell)
        if "setup" in cell.get("metadata", {}).get("tags", []) and not any(
                "otter.Notebook" in "".join(c.get("source", "")) for c in cells):
            cells.append(_code(f'import otter\ngrader = otter.Notebook("{name}.ipynb")',
                               ["otter"]))
        meta = nbgrader_meta(cell)
        if meta.get("grade") and not meta.get("solution"):
            body = [ln for ln in "".join(cell.get("source", "")).splitlines()
                    if ln.strip() and not ln.strip().startswith("#")]
            if body:  # a visible test (an emptied hidden one has only its title)
                cells.append(_code(f'grader.check("{meta["grade_id"]}")', ["otter"]))
    nb["cells"] = cells
    return nb


def _code(source, tags):
    return {"cell_type": "code", "execution_count": None, "metadata": {"tags": tags},
            "outputs": [], "source": source}


def export(name, out=None, root=homeworks.ROOT, build_zip=True):
    """Write the otter export of homework ``name``; return its folder."""
    hw = homeworks.get(name, root)
    out = os.path.abspath(out or os.path.join(root, "build", "otter", name))
    shutil.rmtree(out, ignore_errors=True)
    assignment = load_assignment(hw.source_path, name)
    tests_dir = os.path.join(out, "tests")
    student = os.path.join(out, "student")
    os.makedirs(tests_dir)
    os.makedirs(os.path.join(student, "tests"))
    for test in assignment.tests:
        text = test_file(name, test)
        with open(os.path.join(tests_dir, f"{test.grade_id}.py"), "w", encoding="utf-8") as f:
            f.write(text)
        if not test.hidden:
            shutil.copy(os.path.join(tests_dir, f"{test.grade_id}.py"),
                        os.path.join(student, "tests"))
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    shutil.copytree(os.path.join(root, "helpers"), os.path.join(student, "helpers"),
                    ignore=ignore)
    with open(os.path.join(student, f"{name}.ipynb"), "w", encoding="utf-8") as f:
        json.dump(student_notebook(name, load_release(name, root)), f, indent=1,
                  ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(out, "otter_config.json"), "w", encoding="utf-8") as f:
        json.dump(OTTER_CONFIG, f, indent=2)
    shutil.copy(os.path.join(root, "requirements.txt"), os.path.join(out, "requirements.txt"))
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as f:
        f.write(README.format(title=hw.title, hw=name))
    if build_zip:
        os.makedirs(os.path.join(out, "autograder"))
        shutil.copytree(os.path.join(root, "helpers"), os.path.join(out, "helpers"),
                        ignore=ignore)
        cmd = [_otter(), "generate", "-t", "tests", "-o", "autograder/autograder.zip",
               "-c", "otter_config.json", "-r", "requirements.txt", "--overwrite-requirements",
               "--no-environment", "--python-version", "3.11", "helpers"]
        env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep
                   + os.environ.get("PATH", ""))
        subprocess.run(cmd, cwd=out, env=env, check=True)
        shutil.rmtree(os.path.join(out, "helpers"))
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.otter_export",
                                     description="Export homeworks to otter-grader's format.")
    parser.add_argument("homeworks", nargs="+")
    parser.add_argument("--out", default=None, help="folder (one homework only); default "
                        "build/otter/<hw>")
    args = parser.parse_args(argv)
    if args.out and len(args.homeworks) > 1:
        parser.error("--out takes one homework")
    for name in args.homeworks:
        print("otter:", os.path.relpath(export(name, args.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
