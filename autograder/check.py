"""``make check HW=hw0`` in the student handout: the visible tests, through the real grader.

``python -m autograder.check hw0 path/to/hw0.ipynb`` grades the notebook with the same
pipeline as Gradescope (answer cells only, student code in its own process, tests in the
grader), against the trusted source the handout carries under ``.grader/solutions``: the
release notebook, whose tests are the visible ones. It prints one line per test (a stub
still in place reads "not implemented yet"), the visible total, and how many hidden tests
Gradescope adds. It exits 0 whatever the score; 2 only for a bad command line.
"""

import argparse
import json
import os
import sys

from .pipeline import homeworks


def hidden_summary(name, root):
    """``(count, points)`` of the hidden tests the trusted source leaves out."""
    with open(homeworks.source_path(name, root), encoding="utf-8") as f:
        meta = json.load(f).get("metadata", {}).get("cv_course", {})
    return int(meta.get("hidden_tests", 0)), float(meta.get("hidden_points", 0))


def describe(test):
    """One line for one test of a results dict."""
    if test["status"] == "passed":
        return f"  PASS  {test['name']}  ({test['score']:g}/{test['max_score']:g})"
    out = (test.get("output") or "").strip()
    if "NotImplementedError" in out or "not implemented" in out.lower():
        why = "not implemented yet (the cell still raises NotImplementedError)"
    else:
        why = out.splitlines()[0][:300] if out else "failed"
    return f"  FAIL  {test['name']}  (0/{test['max_score']:g}): {why}"


def check(name, notebook, root=homeworks.ROOT, results_path=None, log=None):
    """Grade ``notebook`` against the visible tests; return the results dict."""
    from .pipeline.grade import grade

    lines = []
    results = grade(name, notebook, results_path, root=root,
                    log=log or (lambda *a: lines.append(" ".join(map(str, a)))))
    print(f"{name.upper()}: visible tests of {os.path.basename(notebook)}")
    for test in results["tests"]:
        print(describe(test))
    max_score = sum(t["max_score"] for t in results["tests"])
    print(f"visible tests: {results['score']:g} / {max_score:g} points")
    for line in results.get("output", "").splitlines()[1:]:
        if line.startswith("- "):
            print("note:", line[2:])
    count, points = hidden_summary(name, root)
    if count:
        print(f"Hidden tests ({count} tests, {points:g} points) run only on Gradescope, "
              "when you upload the notebook; they check more cases than these.")
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.check",
                                     description="Run the visible tests of a homework "
                                     "notebook through the course's grader.")
    parser.add_argument("homework", help="hw0, hw1, ...")
    parser.add_argument("notebook", help="your notebook, e.g. hw0/hw0.ipynb")
    parser.add_argument("--results", default=None, help="also write results.json here")
    args = parser.parse_args(argv)
    known = homeworks.available()
    if args.homework not in known:
        print(f"unknown homework {args.homework!r}; this handout has: {', '.join(known)}",
              file=sys.stderr)
        return 2
    if not os.path.exists(args.notebook):
        print(f"no notebook at {args.notebook}", file=sys.stderr)
        return 2
    from .sandbox.limits import cap_grader_memory

    cap_grader_memory()
    check(args.homework, args.notebook, results_path=args.results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
