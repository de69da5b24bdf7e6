"""``make demo``: grade the reference answers and the blank release through each zip.

Each zip is unpacked into a directory shaped like Gradescope's
(``source/``, ``submission/``, ``results/``) and its ``run_autograder`` is run
with ``AUTOGRADER_ROOT`` pointing there, exactly as Gradescope would. Prints a
table of scores and times, and the time of each solution notebook run top to
bottom in a real Jupyter kernel.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

from .pipeline import homeworks
from .submissions import load_release, reference_submission, write_notebook


def run_zip(zip_path, notebook, workdir, env=None):
    """Grade ``notebook`` (a dict) through ``zip_path`` like Gradescope; return (results, s)."""
    root = os.path.join(workdir, "autograder")
    shutil.rmtree(root, ignore_errors=True)
    for d in ("source", "submission", "results"):
        os.makedirs(os.path.join(root, d))
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(os.path.join(root, "source"))
    for name in ("run_autograder", "setup.sh"):
        os.chmod(os.path.join(root, "source", name), 0o755)
    shutil.copy(os.path.join(root, "source", "run_autograder"), os.path.join(root, "run_autograder"))
    write_notebook(notebook, os.path.join(root, "submission", "submission.ipynb"))
    with open(os.path.join(root, "submission_metadata.json"), "w") as f:
        json.dump({"id": 1, "users": [{"email": "student@example.edu"}]}, f)
    env = dict(os.environ, AUTOGRADER_ROOT=root, CV_PYTHON=sys.executable, **(env or {}))
    t0 = time.monotonic()
    proc = subprocess.run(["bash", os.path.join(root, "run_autograder")], env=env,
                          capture_output=True, text=True, timeout=900)
    seconds = time.monotonic() - t0
    with open(os.path.join(root, "results", "results.json")) as f:
        return json.load(f), seconds, proc.stdout + proc.stderr


def time_solution_notebook(name):
    """Run the source notebook top to bottom in a fresh kernel; return seconds."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(homeworks.source_path(name), as_version=4)
    t0 = time.monotonic()
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": os.path.dirname(homeworks.source_path(name))}}
                   ).execute()
    return time.monotonic() - t0


def main(names):
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            zip_path = os.path.join(homeworks.ROOT, "autograder", "dist", f"{name}.zip")
            nb_seconds = time_solution_notebook(name)
            for label, nb in (("reference answers", reference_submission(name)),
                              ("blank release", load_release(name))):
                results, seconds, _ = run_zip(zip_path, nb, tmp)
                max_score = sum(t["max_score"] for t in results["tests"])
                rows.append((name, label, f"{results['score']:g}/{max_score:g}",
                             f"{seconds:.1f} s", f"{nb_seconds:.1f} s"))
    header = ("homework", "submission", "score", "grading (zip)", "solution notebook")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(5)]
    print()
    for row in [header] + rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)))


if __name__ == "__main__":
    main(sys.argv[1:] or homeworks.available())
