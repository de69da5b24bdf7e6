"""Benchmark: what the separation of student code costs, against nbgrader's in-kernel way.

Grades the reference answers of each homework several times two ways, each run a
fresh ``python -m autograder grade`` process (imports included): tests in the trusted grader through the plain-data proxy (how grades are
given), and tests executed inside the student process (how nbgrader and
otter-grader run them). Prints the medians and the ratio. Not a test: nothing is
asserted, so a noisy machine cannot make it flake.

Usage: ``python benchmarks/grading_overhead.py [hw0 ...] [--repeat N]``
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from autograder.pipeline import homeworks  # noqa: E402
from autograder.submissions import reference_submission, write_notebook  # noqa: E402


def measure(name, repeat):
    with tempfile.TemporaryDirectory() as tmp:
        path = write_notebook(reference_submission(name), os.path.join(tmp, f"{name}.ipynb"))
        times = {"separated": [], "in-kernel": []}
        scores = {}
        for _ in range(repeat):
            for mode, flags in (("separated", []), ("in-kernel", ["--in-kernel"])):
                out = os.path.join(tmp, "results.json")
                t0 = time.perf_counter()
                subprocess.run([sys.executable, "-m", "autograder", "grade", name, path,
                                "--results", out, *flags], check=True, capture_output=True,
                               cwd=homeworks.ROOT)
                times[mode].append(time.perf_counter() - t0)
                with open(out) as f:
                    scores[mode] = json.load(f)["score"]
    return {m: statistics.median(t) for m, t in times.items()}, scores


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("homeworks", nargs="*")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    names = args.homeworks or homeworks.available()
    print(f"{'homework':<9} {'separated':>10} {'in-kernel':>10} {'overhead':>9}  scores")
    for name in names:
        med, scores = measure(name, args.repeat)
        ratio = med["separated"] / med["in-kernel"]
        print(f"{name:<9} {med['separated']:>9.2f}s {med['in-kernel']:>9.2f}s {ratio - 1:>+8.0%}  "
              f"{scores['separated']:g} / {scores['in-kernel']:g}")


if __name__ == "__main__":
    main()
