"""Build ``autograder/dist/<hw>.zip`` in Gradescope's format.

At the zip's root: ``setup.sh``, ``run_autograder``, ``requirements.txt`` (the
course pins), ``HOMEWORK``, and the trusted sources: the grader (``autograder/``),
the helpers and the source notebooks. Deterministic: same inputs, same bytes.
"""

import os
import zipfile

from ..pipeline import homeworks

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
        info = zipfile.ZipInfo("HOMEWORK", FIXED_TIME)
        info.external_attr = 0o100644 << 16
        zf.writestr(info, name + "\n")
    return out
