"""Build ``autograder/dist/<hw>.zip`` in Gradescope's format.

At the zip's root: ``setup.sh``, ``run_autograder``, ``requirements.txt`` (the
course pins), ``HOMEWORK``, ``README.md`` (what to set on Gradescope), and the
trusted sources: the grader (``autograder/``), the helpers and the source
notebooks. Deterministic: same inputs, same bytes.
"""

import math
import os
import zipfile

from ..pipeline import homeworks
from ..pipeline.grade import WATCHDOG_GRACE

#: Seconds for run_autograder's own start (Python, imports) on top of the run's budget.
STARTUP_SECONDS = 120


def gradescope_timeout_minutes(limits):
    """The autograder timeout to set on Gradescope: the run's budget, the watchdog's grace
    and start-up, rounded up to whole minutes (at least 5)."""
    return max(5, math.ceil((limits.total_seconds + WATCHDOG_GRACE + STARTUP_SECONDS) / 60))


def readme(hw):
    """The zip's README: how to upload it and which time limit to set on Gradescope."""
    lim = hw.limits
    minutes = gradescope_timeout_minutes(lim)
    return f"""# {hw.title} autograder for Gradescope

Upload this zip as the assignment's autograder (Configure Autograder → Zip file upload,
base image Ubuntu 22.04). `setup.sh` installs Python and the course's pinned packages;
`run_autograder` grades `/autograder/submission` with the trusted grader and always writes
`/autograder/results/results.json`.

## Time limit

Set the assignment's autograder timeout (Settings → Autograder timeout) to at least
**{minutes} minutes** (Gradescope's default, 10 minutes, is enough when it is not lower).

The grader bounds itself below that, whatever a submission does:

| bound | value |
|---|---|
| one answer cell, one call of a student function | {lim.cell_seconds:g} s |
| one test cell (in the trusted process) | {lim.test_seconds:g} s, {lim.test_requests} requests, {lim.test_bytes >> 20} MiB exchanged |
| the whole run; tests not reached score 0 with the reason | {lim.total_seconds:g} s |
| watchdog: writes the results so far and ends the run | {lim.total_seconds + WATCHDOG_GRACE:g} s |
| student process memory | {lim.memory_bytes >> 20} MiB |

So results are written at most {lim.total_seconds + WATCHDOG_GRACE:g} s after grading starts,
plus the start-up of Python ({STARTUP_SECONDS} s allowed), well inside the timeout above.
"""

FIXED_TIME = (2020, 1, 1, 0, 0, 0)
SKIP = ("__pycache__", ".pyc", "/dist/", ".ipynb_checkpoints")


def _files(root):
    here = os.path.join(root, "autograder", "gradescope")
    yield os.path.join(here, "setup.sh"), "setup.sh", 0o755
    yield os.path.join(here, "run_autograder"), "run_autograder", 0o755
    yield os.path.join(root, "requirements.txt"), "requirements.txt", 0o644
    for package in ("autograder", "helpers"):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, package)):
            dirnames[:] = sorted(d for d in dirnames if d not in ("__pycache__", "dist"))
            for fname in sorted(filenames):
                full = os.path.join(dirpath, fname)
                rel = os.path.relpath(full, root)
                if not any(s in "/" + rel for s in SKIP):
                    yield full, rel, 0o755 if os.access(full, os.X_OK) else 0o644
    for name in homeworks.available(root):
        yield homeworks.source_path(name, root), f"solutions/{name}/{name}.ipynb", 0o644


def build_zip(name, out=None, root=homeworks.ROOT):
    """Write the zip for homework ``name``; return its path."""
    homeworks.get(name, root)
    out = out or os.path.join(root, "autograder", "dist", f"{name}.zip")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for full, arc, mode in _files(root):
            info = zipfile.ZipInfo(arc, FIXED_TIME)
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(full, "rb") as f:
                zf.writestr(info, f.read())
        for arc, text in (("HOMEWORK", name + "\n"),
                          ("README.md", readme(homeworks.get(name, root)))):
            info = zipfile.ZipInfo(arc, FIXED_TIME)
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text)
    return out
