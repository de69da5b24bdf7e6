"""The student handout: nothing in it gives answers away, and it works on its own.

The handout (``make handout``) is what students receive instead of this repository. It is
searched for every reference answer line, every hidden test line, every catalog answer and
any Gradescope zip; then a copy unpacked from its zip into a folder outside the repository
runs ``make setup check`` as a student would (with this project's environment through
``CV_VENV``, so nothing is installed twice).
"""

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

from autograder.handout import build_handout, released
from autograder.pipeline import homeworks
from autograder.pipeline.source import (BEGIN_HIDDEN, BEGIN_SOLUTION, load_assignment,
                                        nbgrader_meta)
from autograder.submissions import reference_submission, write_notebook
from tests.conftest import ROOT

#: Homeworks with both a release and a source (a homework being written may lack one).
NAMES = [n for n in released() if n in homeworks.available()]
TRIVIAL = {"return out", "return result", "import numpy as np", "import math", "pass",
           "else:", "return np.asarray(out)", "return total", "return output"}
#: In Python files (helpers, the grader) a single line leaks only when it is this long:
#: shorter ones are idioms (``loss.backward()``, ``image = np.asarray(image)``) that a helper
#: may share with an answer without giving it away; three answer lines in a row always leak.
LONG_LINE, RUN = 45, 3


def code_lines(text):
    """Stripped lines, without blank lines, comments and bare docstring quotes."""
    return [ln.strip() for ln in text.splitlines()
            if ln.strip() and not ln.strip().startswith("#")
            and ln.strip() not in ('"""', "'''", 'r"""')]


def nontrivial(line, allowed):
    """Worth searching for: not short, not trivial, not something the releases hold."""
    return (len(line) >= 12 and line not in TRIVIAL and line not in allowed
            and not line.startswith(('"""', "'''")) and not re.fullmatch(r"[#\s\-=*]*", line))


def notebook_lines(path):
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    return [ln for c in nb["cells"] for ln in "".join(c.get("source", "")).splitlines()]


def release_lines():
    """Every line of every release notebook: students get these anyway."""
    return {ln.strip() for n in released()
            for ln in notebook_lines(os.path.join(ROOT, "notebooks", n, f"{n}.ipynb"))}


def secret_texts():
    """``[(where, text)]``: every answer, hidden test and catalog answer of the course."""
    out = []
    for name in NAMES:
        with open(homeworks.source_path(name), encoding="utf-8") as f:
            source_nb = json.load(f)
        for cell in source_nb["cells"]:  # answer cells of any type (code or written)
            meta = nbgrader_meta(cell)
            if meta.get("solution"):
                out.append((f"{name} answer cell {meta.get('grade_id')}",
                            "".join(cell.get("source", ""))))
        assignment = load_assignment(homeworks.source_path(name), name)
        out += [(f"{name} reference answer {a.grade_id}", a.reference)
                for a in assignment.answers]
        out += [(f"{name} hidden test {t.grade_id}", t.source)
                for t in assignment.tests if t.hidden]
        try:
            catalog = importlib.import_module(f"tests.catalog.{name}")
        except ImportError:
            continue
        for variant in getattr(catalog, "WRONG", []) + getattr(catalog, "ALTERNATIVE", []):
            texts = ([variant.source] if variant.source else []) + [new for _, new in
                                                                    variant.replace]
            out += [(f"{name} catalog variant {variant.id}", t) for t in texts]
    return out


def secrets():
    """``(lines, long_lines, runs)``: ``{line: where}`` for every non-trivial line, for the
    long ones, and ``{(l1, l2, l3): where}`` for every run of consecutive lines."""
    allowed = release_lines()
    lines, long_lines, runs = {}, {}, {}
    for where, text in secret_texts():
        code = code_lines(text)
        for line in code:
            if nontrivial(line, allowed):
                lines.setdefault(line, where)
                if len(line) >= LONG_LINE:
                    long_lines.setdefault(line, where)
        for i in range(len(code) - RUN + 1):
            run = tuple(code[i:i + RUN])
            if any(nontrivial(ln, allowed) for ln in run):
                runs.setdefault(run, where)
    return lines, long_lines, runs


@pytest.fixture(scope="module")
def handout(tmp_path_factory):
    out = tmp_path_factory.mktemp("handout") / "handout"
    return build_handout(NAMES, str(out))


def handout_files(folder):
    for dirpath, _, filenames in os.walk(folder):
        for fname in filenames:
            full = os.path.join(dirpath, fname)
            yield os.path.relpath(full, folder), full


def test_handout_has_the_expected_layout(handout):
    folder, zipped = handout
    names = {rel for rel, _ in handout_files(folder)}
    for must in ("README.md", "Makefile", "pyproject.toml", "requirements.txt",
                 "environment.yml", "helpers/__init__.py", "helpers/testing.py",
                 ".grader/autograder/check.py", ".grader/helpers/testing.py"):
        assert must in names, must
    for name in NAMES:
        assert f"{name}/{name}.ipynb" in names
        assert f".grader/solutions/{name}/{name}.ipynb" in names
    for rel in names:
        assert not rel.endswith((".zip", ".pyc")), rel
        assert "catalog" not in rel and "/dist/" not in rel and "gradescope" not in rel, rel
        assert not rel.startswith(("solutions/", "tests/", "notebooks/")), rel
    with zipfile.ZipFile(zipped) as zf:
        assert sorted(zf.namelist()) == sorted(f"handout/{n}" for n in names)


def test_handout_holds_no_answer_no_hidden_test_no_catalog(handout):
    """Notebooks and other text: no non-trivial line of an answer, a hidden test or a catalog
    variant. Python files (helpers, grader): no long such line and no run of three."""
    folder, _ = handout
    lines, long_lines, runs = secrets()
    assert len(lines) > 50 and runs, "the search found too few answer lines to mean anything"
    leaks = []
    for rel, full in handout_files(folder):
        with open(full, "rb") as f:
            text = f.read().decode("utf-8", "replace")
        if rel.endswith(".ipynb"):
            assert BEGIN_SOLUTION not in text and BEGIN_HIDDEN not in text, rel
            text = "\n".join(notebook_lines(full))
        code = code_lines(text)
        present = set(code)
        if rel.endswith(".py"):
            leaks += [f"{rel}: {ln!r} ({where})" for ln, where in long_lines.items()
                      if ln in present]
            leaks += [f"{rel}: {' / '.join(run)!r} ({runs[run]})"
                      for run in (tuple(code[i:i + RUN]) for i in range(len(code) - RUN + 1))
                      if run in runs]
        else:
            leaks += [f"{rel}: {ln!r} ({where})" for ln, where in lines.items()
                      if ln in present]
    assert not leaks, "the handout gives away:\n" + "\n".join(sorted(set(leaks))[:40])


def run_make(cwd, *args, timeout=600):
    env = {k: v for k, v in os.environ.items()
           if k not in ("CV_COURSE_ROOT", "PYTHONPATH", "MAKEFLAGS", "MAKELEVEL", "VIRTUAL_ENV")}
    return subprocess.run(["make", *args, f"CV_VENV={sys.prefix}"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
def test_handout_works_from_a_fresh_folder(handout, tmp_path_factory):
    """Unzipped outside the repository: the blank release reads "not implemented" per
    visible test and exits normally; the reference answers pass every visible test."""
    _, zipped = handout
    where = tmp_path_factory.mktemp("student")
    assert not str(where).startswith(ROOT)
    with zipfile.ZipFile(zipped) as zf:
        zf.extractall(where)
    folder = where / "handout"
    name = NAMES[0]
    visible = [t for t in load_assignment(homeworks.source_path(name), name).tests
               if not t.hidden]
    proc = run_make(folder, "setup", "check", f"HW={name}")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = proc.stdout
    assert out.count("not implemented yet") == len(visible), out
    total = sum(t.points for t in visible)
    assert f"visible tests: 0 / {total:g} points" in out, out
    assert "Hidden tests" in out and "only on Gradescope" in out, out
    # the grader that `make check` runs is the handout's own copy, not this repository's
    probe = subprocess.run([sys.executable, "-c", "import autograder, helpers.testing as t;"
                            "print(autograder.__file__); print(t.__file__)"],
                           cwd=folder / ".grader", capture_output=True, text=True,
                           env=dict(os.environ, PYTHONPATH=str(folder / ".grader")))
    assert probe.stdout.count(str(folder / ".grader")) == 2, probe.stdout + probe.stderr

    mine = write_notebook(reference_submission(name), str(folder / "mine.ipynb"))
    proc = run_make(folder, "check", f"HW={name}", f"NOTEBOOK={os.path.basename(mine)}")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert f"visible tests: {total:g} / {total:g} points" in proc.stdout, proc.stdout
    assert "FAIL" not in proc.stdout, proc.stdout
    shutil.rmtree(where, ignore_errors=True)
