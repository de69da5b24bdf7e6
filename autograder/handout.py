"""``make handout``: what students receive, built from the release (never from solutions/).

``python -m autograder.handout [hw0 hw1 ...] [--out build/handout]`` writes::

    build/handout/
      README.md            for students: setup, JupyterLab, checking, submitting
      Makefile             make setup | make lab | make check HW=hw0
      pyproject.toml       makes ``helpers`` importable (pip install -e .)
      requirements.txt     the course pins (environment.yml: the same, for conda)
      environment.yml
      hw0/hw0.ipynb ...    the released notebooks (stubs, visible tests only)
      helpers/             the course helpers (all of them; they hold no answers)
      .grader/             the trusted grader that ``make check`` runs:
        autograder/        the grader package (without gradescope/, zips, build artifacts)
        helpers/           a pristine copy of the helpers, used by the grader
        solutions/hwN/hwN.ipynb
                           the grader's trusted source, made from the RELEASE notebook:
                           stubs instead of answers, the visible tests, and the emptied
                           hidden-test cells demoted to plain cells (their count and points
                           are kept so ``make check`` can say what Gradescope adds)

and ``build/handout.zip`` with the same files under ``handout/``. The grader looks for
its sources under ``<root>/solutions`` (``autograder.pipeline.homeworks``); ``.grader`` is
that root, so the check grades exactly as Gradescope does, with the visible tests only.
Nothing here reads an answer or a hidden test: the inputs are ``notebooks/``,
``helpers/``, ``autograder/`` and the pins.
"""

import argparse
import copy
import json
import os
import shutil
import stat
import sys
import zipfile

from .pipeline import homeworks
from .pipeline.source import BEGIN_HIDDEN, BEGIN_SOLUTION, cell_source, nbgrader_meta

#: Never copied from autograder/ or helpers/.
SKIP_DIRS = {"__pycache__", "dist", ".ipynb_checkpoints", ".pytest_cache"}
SKIP_SUFFIXES = (".pyc", ".pyo", ".zip")
#: Parts of autograder/ that ``make check`` does not need: the Gradescope zip builder and
#: entry point, and this builder's templates.
GRADER_SKIP = {"gradescope", "handout_files", "batch"}
FIXED_TIME = (2020, 1, 1, 0, 0, 0)
TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "handout_files")


GRADER_README = """# The grader that `make check` runs

The course's grader, unchanged, with the released notebooks as its trusted source: the grader
looks for a homework's tests in `solutions/hwN/hwN.ipynb`, and here that file is the released
notebook (no answers, visible tests only). `make check HW=hwN` grades your notebook with it.
Leave this folder as it is.
"""


def released(root=homeworks.ROOT):
    """Names of the homeworks with a committed release notebook, sorted."""
    base = os.path.join(root, "notebooks")
    if not os.path.isdir(base):
        return []
    return sorted(n for n in os.listdir(base)
                  if os.path.isfile(os.path.join(base, n, f"{n}.ipynb")))


def _is_code(source):
    """True if ``source`` has a line that is neither blank nor a comment."""
    return any(ln.strip() and not ln.strip().startswith("#") for ln in source.splitlines())


def visible_source(release_nb):
    """The trusted source for ``make check``: the release with its emptied hidden tests
    turned into plain cells. Returns ``(notebook, hidden_count, hidden_points)``."""
    nb = copy.deepcopy(release_nb)
    hidden, points = 0, 0.0
    for cell in nb["cells"]:
        meta = nbgrader_meta(cell)
        if cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution") \
                and not _is_code(cell_source(cell)):
            hidden += 1
            points += float(meta.get("points", 0))
            del cell["metadata"]["nbgrader"]
    nb.setdefault("metadata", {})["cv_course"] = {"hidden_tests": hidden,
                                                  "hidden_points": points}
    return nb, hidden, points


def _copy_package(src, dst, skip=()):
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS
                             and not (dirpath == src and d in skip))
        rel = os.path.relpath(dirpath, src)
        os.makedirs(os.path.join(dst, rel), exist_ok=True)
        for fname in sorted(filenames):
            if fname.endswith(SKIP_SUFFIXES):
                continue
            shutil.copy2(os.path.join(dirpath, fname), os.path.join(dst, rel, fname))


def _check_release(name, nb):
    """Refuse a release notebook that still holds solution or hidden-test markers."""
    for cell in nb["cells"]:
        src = cell_source(cell)
        if BEGIN_SOLUTION in src or BEGIN_HIDDEN in src:
            raise ValueError(f"notebooks/{name}/{name}.ipynb holds solution or hidden-test "
                             "markers: run `make release` first")


def build_handout(names=None, out=None, root=homeworks.ROOT, zip_path=None):
    """Build the handout for homeworks ``names`` (default: every released one).

    Returns ``(folder, zip_path)``.
    """
    names = list(names or released(root))
    known = released(root)
    missing = [n for n in names if n not in known]
    if missing:
        raise KeyError(f"no release for {', '.join(missing)}; released: {', '.join(known)}")
    out = os.path.abspath(out or os.path.join(root, "build", "handout"))
    zip_path = zip_path or out.rstrip(os.sep) + ".zip"
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    for fname in ("README.md", "Makefile", "pyproject.toml"):
        shutil.copy(os.path.join(TEMPLATES, fname), os.path.join(out, fname))
    for fname in ("requirements.txt", "environment.yml"):
        shutil.copy(os.path.join(root, fname), os.path.join(out, fname))
    _copy_package(os.path.join(root, "helpers"), os.path.join(out, "helpers"))
    grader = os.path.join(out, ".grader")
    _copy_package(os.path.join(root, "autograder"), os.path.join(grader, "autograder"),
                  skip=GRADER_SKIP)
    _copy_package(os.path.join(root, "helpers"), os.path.join(grader, "helpers"))
    for name in names:
        src = os.path.join(root, "notebooks", name, f"{name}.ipynb")
        with open(src, encoding="utf-8") as f:
            nb = json.load(f)
        _check_release(name, nb)
        os.makedirs(os.path.join(out, name))
        shutil.copy(src, os.path.join(out, name, f"{name}.ipynb"))
        trusted, _, _ = visible_source(nb)
        target = os.path.join(grader, "solutions", name, f"{name}.ipynb")
        os.makedirs(os.path.dirname(target))
        with open(target, "w", encoding="utf-8") as f:
            json.dump(trusted, f, indent=1, ensure_ascii=False, sort_keys=True)
            f.write("\n")
    with open(os.path.join(grader, "README.md"), "w", encoding="utf-8") as f:
        f.write(GRADER_README)
    _zip(out, zip_path)
    return out, zip_path


def _zip(folder, zip_path):
    """Zip ``folder`` under its own name, deterministically, keeping executable bits."""
    top = os.path.basename(folder.rstrip(os.sep))
    if os.path.exists(zip_path):
        os.remove(zip_path)
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for fname in sorted(filenames):
                full = os.path.join(dirpath, fname)
                arc = os.path.join(top, os.path.relpath(full, folder))
                info = zipfile.ZipInfo(arc, FIXED_TIME)
                mode = 0o755 if os.stat(full).st_mode & stat.S_IXUSR else 0o644
                info.external_attr = (0o100000 | mode) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                with open(full, "rb") as f:
                    zf.writestr(info, f.read())


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.handout",
                                     description="Build the student handout from the release.")
    parser.add_argument("homeworks", nargs="*", help="default: every homework in notebooks/")
    parser.add_argument("--out", default=None, help="folder (default build/handout); the zip "
                        "goes next to it")
    args = parser.parse_args(argv)
    folder, zipped = build_handout(args.homeworks or None, args.out)
    print(f"handout: {os.path.relpath(folder)}/ and {os.path.relpath(zipped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
