"""Find the uploaded notebook and parse it, turning every bad upload into a clear message.

Accepts one ``.ipynb`` under any name, in a folder or in a ``.zip``. Refuses, with
a message the student can act on: no notebook, files that are not notebooks,
invalid JSON, oversized files. nbformat 3 notebooks are converted.
"""

import json
import os
import zipfile

MAX_NOTEBOOK_BYTES = 50 * 2**20
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_BYTES = 200 * 2**20
SKIP_DIRS = {"__MACOSX", ".ipynb_checkpoints", ".git"}


class BadSubmission(Exception):
    """The upload cannot be graded; the message is for the student."""


class Upload:
    """A candidate notebook: where it came from and its bytes (read lazily)."""

    def __init__(self, name, size, read):
        self.name, self.size, self._read = name, size, read

    def read(self):
        return self._read()


def find_uploads(path):
    """Every ``.ipynb`` in ``path`` (a file, a folder, or zips inside the folder)."""
    uploads, others = [], []
    if os.path.isfile(path):
        _add_file(path, os.path.basename(path), uploads, others)
        return uploads, others
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        if dirpath.count(os.sep) - path.count(os.sep) > 8:
            continue
        for fname in sorted(filenames):
            full = os.path.join(dirpath, fname)
            if os.path.islink(full):
                continue
            _add_file(full, os.path.relpath(full, path), uploads, others)
    return uploads, others


def _add_file(full, rel, uploads, others):
    lower = rel.lower()
    if os.path.basename(lower).startswith("._"):
        return
    if lower.endswith(".ipynb"):
        size = os.path.getsize(full)
        uploads.append(Upload(rel, size, lambda: _read_file(full)))
    elif lower.endswith(".zip"):
        try:
            _add_zip(full, rel, uploads)
        except (zipfile.BadZipFile, OSError):
            others.append(rel + " (not a readable zip)")
    else:
        others.append(rel)


def _read_file(full):
    with open(full, "rb") as f:
        return f.read(MAX_NOTEBOOK_BYTES + 1)


def _add_zip(full, rel, uploads):
    with zipfile.ZipFile(full) as zf:
        infos = zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS or sum(i.file_size for i in infos) > MAX_ZIP_BYTES:
        raise BadSubmission(f"{rel} is too large to unpack; upload the .ipynb file itself")
    for info in infos:
        parts = info.filename.split("/")
        if info.is_dir() or not info.filename.lower().endswith(".ipynb"):
            continue
        if any(p in SKIP_DIRS or p.startswith("._") for p in parts):
            continue

        def read(info=info):
            with zipfile.ZipFile(full) as zf, zf.open(info) as f:
                return f.read(MAX_NOTEBOOK_BYTES + 1)

        uploads.append(Upload(f"{rel}:{info.filename}", info.file_size, read))


def parse_notebook(upload):
    """Return the notebook as a v4 dict, or raise :class:`BadSubmission`."""
    if upload.size > MAX_NOTEBOOK_BYTES:
        raise BadSubmission(
            f"{upload.name} is {upload.size / 2**20:.0f} MB, over the "
            f"{MAX_NOTEBOOK_BYTES >> 20} MB limit. Clear the outputs (Edit → Clear Outputs of "
            "All Cells), save, and upload again.")
    data = upload.read()
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise BadSubmission(f"{upload.name} is over the {MAX_NOTEBOOK_BYTES >> 20} MB limit")
    if not data.strip():
        raise BadSubmission(f"{upload.name} is empty. Save the notebook in JupyterLab "
                            "(Ctrl+S) and upload it again.")
    try:
        nb = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BadSubmission(f"{upload.name} is not a text file; upload the .ipynb notebook") from None
    except ValueError as err:
        raise BadSubmission(f"{upload.name} is not valid JSON ({err}); it may be damaged. "
                            "Download it again from JupyterLab (File → Download).") from None
    if not isinstance(nb, dict) or not ("cells" in nb or "worksheets" in nb):
        raise BadSubmission(f"{upload.name} is JSON but not a Jupyter notebook")
    major = nb.get("nbformat")
    if major == 3 or "worksheets" in nb:
        return _upgrade_v3(nb, upload.name)
    if major != 4 or not isinstance(nb.get("cells"), list):
        raise BadSubmission(f"{upload.name} has an unsupported notebook format ({major!r}); "
                            "save it from JupyterLab and upload again")
    return nb


def _upgrade_v3(nb, name):
    import nbformat

    try:
        return json.loads(nbformat.writes(nbformat.reads(json.dumps(nb), as_version=4)))
    except Exception as err:
        raise BadSubmission(f"{name} is an old (nbformat 3) notebook that could not be "
                            f"converted ({type(err).__name__})") from None
