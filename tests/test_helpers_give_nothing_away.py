"""The helpers give nothing away: no helper implements a graded function of any homework.

Students receive ``helpers/`` with every homework, so a helper that computes what a graded
function must compute (under its name or another) would hand out the answer: a one-line
wrapper around it would earn the points. Two checks, over every homework that has a source
notebook (``autograder.pipeline.homeworks.available()``; the tests are parametrized by
homework and by helper module, so ``-k hw0`` restricts a run):

1. **No graded name in helpers.** No module of ``helpers/`` defines a graded name of any
   homework: not as a function or class anywhere in its source (nested definitions
   included), not as a module-level assignment or import, and not as an attribute of the
   imported module or of a class it defines.

2. **The helpers, graded as answers, fail.** For every graded name of a homework and every
   public helper callable (function or class of a ``helpers`` module) that accepts the graded
   function's required positional arguments (helper's required count <= graded required count
   <= helper's positional capacity: equal counts, and also helpers with optional extras or
   ``*args``), the answer is replaced by a thin wrapper
   ``def name(*a, **k): return helpers.mod.fn(*a, **k)`` and at least one of the hidden tests
   that call that name must fail. Names without hidden tests (ungraded practice cells) are
   skipped.

   How, within a sane runtime. There are hundreds to thousands of such pairs per homework, and
   one grading takes seconds, so grading each pair would take far too long on two cores:

   * **Screening, in this process.** Each pair's hidden tests run here, with the trusted test
     sources, the setup cells and the reference answers, the pair's wrapper in place of the
     graded name, stopping at the first failing test; every test gets the grader's time
     budget for one test. A pair whose tests all pass is a *suspect*.
   * **The grader decides on suspects.** Every suspect is graded through the real grader
     (``grade_notebook``: a submission of the reference answers whose answer cell ends with the
     wrapper); it gives the helper away when every hidden test of the name passes there.
   * **The screening is checked against the grader.** Per homework, one submission carrying
     wrappers in several answer cells at once (only cells that cannot disturb each other's
     verdict: no hidden test of one calls, directly or through the reference answers it
     calls, a name of another) is graded, and each pair's verdict must equal the screening's.
   * **The screening can see a give-away.** Wrapping each graded name's own reference answer
     the same way (as if a helper implemented it) must pass all its hidden tests.
"""

import ast
import contextlib
import importlib
import inspect
import io
import os
import pkgutil
import re
import signal
import warnings

import numpy as np
import pytest

from autograder.pipeline import homeworks
from autograder.pipeline.source import load_assignment
from autograder.submissions import reference_answers, reference_submission, with_answers
from tests.conftest import HOMEWORKS, ROOT, grade_notebook

HELPERS_DIR = os.path.join(ROOT, "helpers")
HELPER_MODULES = sorted(m.name for m in pkgutil.iter_modules([HELPERS_DIR])
                        if not m.name.startswith("_"))


def _assignment(name):
    return load_assignment(homeworks.source_path(name), name)


def _all_graded_names():
    return {n: hw for hw in HOMEWORKS for n in _assignment(hw).graded_names}


# ------------------------------------------------------------------------------ check 1

def _defined_in_source(path):
    """Names defined anywhere in a module's source: def, class, assignment and import targets."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
    for node in tree.body:  # module-level bindings (function locals are not reachable)
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        for target in targets:
            names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


def _attributes(module):
    """Attribute names of the module and of the classes it defines."""
    names = set(dir(module))
    for value in vars(module).values():
        if inspect.isclass(value) and getattr(value, "__module__", "").startswith("helpers"):
            names.update(dir(value))
    return names


@pytest.mark.parametrize("module_name", HELPER_MODULES)
def test_no_helper_defines_a_graded_name(module_name):
    graded = _all_graded_names()
    module = importlib.import_module(f"helpers.{module_name}")
    found = {n: graded[n] for n in _defined_in_source(os.path.join(HELPERS_DIR, f"{module_name}.py"))
             if n in graded}
    found.update({n: graded[n] for n in _attributes(module) if n in graded})
    assert not found, (f"helpers/{module_name}.py defines graded names: "
                       + ", ".join(f"{n} ({hw})" for n, hw in sorted(found.items())))


# ------------------------------------------------------------------------------ check 2

def _required_positional(fn_node):
    args = fn_node.args
    positional = args.posonlyargs + args.args
    return len(positional) - len(args.defaults)


def _graded_arity(reference):
    """Required positional arguments of every name an answer cell defines (classes: __init__)."""
    arity = {}
    for node in ast.parse(reference).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arity[node.name] = _required_positional(node)
        elif isinstance(node, ast.ClassDef):
            init = [b for b in node.body if isinstance(b, ast.FunctionDef) and b.name == "__init__"]
            arity[node.name] = _required_positional(init[0]) - 1 if init else 0
    return arity


def _helper_callables():
    """``(module, name, required, capacity)`` of every public function and class of helpers."""
    found = []
    for module_name in HELPER_MODULES:
        module = importlib.import_module(f"helpers.{module_name}")
        for name, value in sorted(vars(module).items()):
            if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
                continue
            if not (inspect.isfunction(value) or inspect.isclass(value)):
                continue
            try:
                params = list(inspect.signature(value).parameters.values())
            except (TypeError, ValueError):
                continue
            positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
            required = sum(p.default is p.empty for p in positional)
            capacity = (float("inf") if any(p.kind == p.VAR_POSITIONAL for p in params)
                        else len(positional))
            found.append((module_name, name, required, capacity))
    return found


def _names_in(source, candidates):
    return {n for n in candidates if re.search(rf"\b{re.escape(n)}\b", source)}


def _pairs_and_conflicts(name):
    """Pairs ``(graded name, cell, helper module, helper name)`` and what each one touches."""
    assignment = _assignment(name)
    references = reference_answers(name)
    cell_of = {n: a.grade_id for a in assignment.answers for n in a.names}
    names = set(cell_of)
    calls = {a.grade_id: _names_in(a.reference, names) - set(a.names) for a in assignment.answers}

    def closure(start):
        seen, todo = set(), list(start)
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            seen.add(n)
            todo.extend(calls[cell_of[n]])
        return seen

    tests_of = {n: [t for t in assignment.tests if t.hidden and _names_in(t.source, {n})]
                for n in names}
    arity = {}
    for a in assignment.answers:
        arity.update(_graded_arity(a.reference))
    helpers = _helper_callables()
    pairs, touched = [], {}
    for graded in sorted(names):
        if not tests_of[graded] or graded not in arity:
            continue  # practice cells: nothing graded to give away
        cells = {cell_of[n] for t in tests_of[graded] for n in closure(_names_in(t.source, names))}
        for module_name, helper, required, capacity in helpers:
            if required <= arity[graded] <= capacity:
                pair = (graded, cell_of[graded], module_name, helper)
                pairs.append(pair)
                touched[pair] = cells
    return pairs, touched, tests_of, references


def _batches(pairs, touched):
    batches = []
    for pair in pairs:
        for batch in batches:
            if all(pair[1] != other[1] and pair[1] not in touched[other]
                   and other[1] not in touched[pair] for other in batch):
                batch.append(pair)
                break
        else:
            batches.append([pair])
    return batches


def _wrapper(pair, references):
    graded, cell, module_name, helper = pair
    return (references[cell].rstrip() + "\n\n\n"
            f"def {graded}(*a, **k):\n"
            f"    import helpers.{module_name}\n"
            f"    return helpers.{module_name}.{helper}(*a, **k)\n")


def _grade(tmp_path, name, batch, references, label):
    """Grade the reference answers with the wrappers of ``batch``: ``grade_id -> result entry``."""
    sources = {pair[1]: _wrapper(pair, references) for pair in batch}
    folder = tmp_path / label
    folder.mkdir()
    results = grade_notebook(folder, name, with_answers(reference_submission(name), sources))
    return {re.search(r"\[([^\]]+)\]$", t["name"]).group(1): t for t in results["tests"]}


def _passes_all(result, tests):
    return all(result[t.grade_id]["status"] == "passed" for t in tests)


# ------------------------------------------------------------------ screening in this process

class _TimeLimit(BaseException):
    """Raised in a test that runs too long (a BaseException: helpers may catch Exception)."""


@contextlib.contextmanager
def _time_limit(seconds):
    def alarm(signum, frame):
        raise _TimeLimit()

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Screen:
    """Runs hidden tests here, against the reference answers with one name replaced."""

    def __init__(self, name):
        self.name = name
        self.assignment = _assignment(name)
        # the grader's budget for one test; once the reference has run a test, 5 times its
        # time there (at least 2 s): a give-away is about as fast as the reference, and a
        # helper that trains or loops is cut short instead of running to the budget
        self.seconds = float(homeworks.get(name).limits.test_seconds)
        self.reference_seconds = {}
        self.code = [compile(source, f"<{name} setup>", "exec") for source in self.assignment.setup]
        self.code += [compile(a.reference, f"<{a.grade_id}>", "exec") for a in self.assignment.answers]

    def namespace(self):
        """Setup cells and reference answers run in a fresh namespace, as in a notebook."""
        namespace = {"__name__": "__screen__"}
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for code in self.code:
                exec(code, namespace)
        return namespace

    def limit(self, test):
        ref = self.reference_seconds.get(test.grade_id)
        return self.seconds if ref is None else min(self.seconds, max(2.0, 5 * ref))

    def passes_all(self, graded, function, tests, record=False):
        """Whether every test passes with ``function`` standing for ``graded``.

        As in the grader, the other reference answers call the replacement too. With
        ``record``, each test's time is kept as the reference's (see :meth:`limit`).
        """
        import time

        import matplotlib.pyplot as plt

        namespace = self.namespace()
        namespace[graded] = function
        try:
            for test in tests:
                t0 = time.monotonic()
                try:
                    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(), \
                            np.errstate(all="ignore"), _time_limit(self.limit(test)):
                        warnings.simplefilter("ignore")
                        exec(compile(test.source, f"<{test.grade_id}>", "exec"), dict(namespace))
                except (Exception, _TimeLimit):
                    return False
                if record:
                    self.reference_seconds[test.grade_id] = time.monotonic() - t0
            return True
        finally:
            plt.close("all")


def _helper_wrapper(module_name, helper):
    target = getattr(importlib.import_module(f"helpers.{module_name}"), helper)

    def wrapper(*a, **k):
        return target(*a, **k)

    return wrapper


@pytest.mark.parametrize("name", HOMEWORKS)
def test_helpers_graded_as_answers_fail_the_hidden_tests(tmp_path, name):
    pairs, touched, tests_of, references = _pairs_and_conflicts(name)
    screen = _Screen(name)

    # the screening sees a give-away: each graded name's own reference, wrapped, passes
    own = screen.namespace()
    blind = [g for g in sorted(tests_of) if tests_of[g]
             and not screen.passes_all(g, (lambda f: lambda *a, **k: f(*a, **k))(own[g]),
                                       tests_of[g], record=True)]
    assert not blind, f"{name}: the reference answer, wrapped, fails the hidden tests of {blind}"
    if not pairs:
        pytest.skip(f"no helper has the arity of a graded function of {name}")

    # screening: pairs whose hidden tests all pass here are suspects
    suspects = [p for p in pairs
                if screen.passes_all(p[0], _helper_wrapper(p[2], p[3]), tests_of[p[0]])]

    # the grader decides on suspects
    gave_away = []
    for k, pair in enumerate(suspects):
        if _passes_all(_grade(tmp_path, name, [pair], references, f"suspect{k}"), tests_of[pair[0]]):
            gave_away.append(f"{pair[0]} = helpers.{pair[2]}.{pair[3]}")
    assert not gave_away, (f"{name}: a thin wrapper around a helper passes every hidden test of: "
                           + "; ".join(gave_away))

    # the screening agrees with the grader on a sample: the first pair of every answer cell
    first = {}
    for pair in pairs:
        first.setdefault(pair[1], pair)
    sample = _batches(list(first.values()), touched)[0]
    graded = _grade(tmp_path, name, sample, references, "sample")
    disagree = [f"{p[0]} = helpers.{p[2]}.{p[3]}" for p in sample
                if _passes_all(graded, tests_of[p[0]]) != (p in suspects)]
    assert not disagree, f"{name}: the screening and the grader disagree on {disagree}"
