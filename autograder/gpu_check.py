"""``make gpu-check``: the same submissions graded on the CPU and on the GPU, same scores.

For every homework (or those named), the reference answers and the blank release are
graded twice, each in a fresh ``python -m autograder grade`` process: once with
``CUDA_VISIBLE_DEVICES=""`` (the grader and the student process see no GPU; tests put
their tensors on the CPU) and once as the machine is (tests choose ``cuda``, the
sandbox binds the GPU's device nodes and driver libraries). Prints a table; exits 1
when a score differs, 0 otherwise, and 0 with "no GPU" on a machine without one.
"""

import json
import os
import subprocess
import sys
import tempfile

from .pipeline import homeworks
from .submissions import load_release, reference_submission, write_notebook

PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def gpu_present():
    """Whether this machine has an NVIDIA GPU that torch can use."""
    if not any(n.startswith("nvidia") and n[6:].isdigit() for n in os.listdir("/dev")):
        return False
    try:
        import torch

        return bool(torch.cuda.is_available())
    except ImportError:
        return False


def grade_on(device, name, notebook_path, workdir):
    """Per-test scores and the total of one grading on ``device`` (``"cpu"``/``"gpu"``)."""
    results = os.path.join(workdir, f"{device}-{os.path.basename(notebook_path)}.json")
    env = dict(os.environ)
    if device == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = ""
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", name, notebook_path,
                           "--results", results], cwd=PROJECT, env=env, capture_output=True,
                          text=True, timeout=1800)
    with open(results) as f:
        data = json.load(f)
    tests = {t["name"]: t["score"] for t in data["tests"]}
    return data["score"], tests, proc.stdout


def compare(name, workdir):
    """Rows ``(homework, submission, cpu score, gpu score, differing tests)``."""
    rows = []
    for label, nb in (("reference", reference_submission(name)), ("blank", load_release(name))):
        path = write_notebook(nb, os.path.join(workdir, f"{name}-{label}.ipynb"))
        cpu, cpu_tests, _ = grade_on("cpu", name, path, workdir)
        gpu, gpu_tests, _ = grade_on("gpu", name, path, workdir)
        differ = sorted(t for t in cpu_tests if cpu_tests[t] != gpu_tests.get(t))
        rows.append((name, label, cpu, gpu, differ))
    return rows


def main(names=None):
    if not gpu_present():
        print("no GPU: nothing to compare (the CPU scores are the ones the test suite checks)")
        return 0
    names = names or homeworks.available()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            rows += compare(name, tmp)
    header = ("homework", "submission", "CPU", "GPU", "same")
    table = [header] + [(n, s, f"{c:g}", f"{g:g}", "yes" if c == g and not d else
                         f"NO: {', '.join(d)[:80]}") for n, s, c, g, d in rows]
    widths = [max(len(r[i]) for r in table) for i in range(5)]
    for row in table:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)))
    return 0 if all(c == g and not d for _, _, c, g, d in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
