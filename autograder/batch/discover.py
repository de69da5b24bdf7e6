"""Find the submissions of a class: a folder, a Gradescope export, or nbgrader's tree.

Three layouts are recognised, in this order:

- **Gradescope "Export Submissions"** (a folder or its ``.zip``): ``submission_metadata.yml``
  next to one ``submission_<id>/`` folder per submission; the YAML names the submitters
  (a group submission has several) and the time.
- **nbgrader**: ``submitted/<student>/<assignment>/`` (the folder given may be the course
  directory, anything holding ``submitted/``, or ``submitted/`` itself). Students without a
  folder for this assignment did not submit and are left out.
- **A plain folder**: each ``*.ipynb`` or ``*.zip`` is one student (named by the file), each
  sub-folder is one student (named by the folder). Anything else is listed as ignored.

Each submission gets a ``key``: unique, safe as a file name, stable from run to run
(the journal, the results folder and the gradebook row are named by it).
"""

import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field

#: Unpacking an export: at most this many members and bytes (a class, not a zip bomb).
MAX_EXPORT_MEMBERS = 200_000
MAX_EXPORT_BYTES = 20 * 2**30
SKIP = {"__MACOSX", ".ipynb_checkpoints", ".git"}


class BadInput(Exception):
    """The submissions folder cannot be read as a class; the message says why."""


@dataclass(frozen=True)
class Submission:
    """One upload to grade.

    Attributes
    ----------
    key : str
        Unique, file-name-safe identifier (journal, ``results/<key>/``, CSV).
    students : tuple of str
        Who it belongs to (several for a Gradescope group submission).
    path : str
        The file or folder to grade (may be missing: graded as "no notebook").
    timestamp : str or None
        When it was submitted, where the layout says.
    """

    key: str
    students: tuple
    path: str
    timestamp: str = None
    names: dict = field(default_factory=dict, compare=False)  # student -> display name


@dataclass
class Discovered:
    layout: str                 # "gradescope", "nbgrader" or "folder"
    submissions: list
    ignored: list               # entries that are not submissions (plain folder only)
    root: str                   # the folder read (after unpacking a zip)


def safe_key(name):
    """``name`` as a file-name-safe key (letters, digits, ``._@+-``; others become ``_``)."""
    key = re.sub(r"[^A-Za-z0-9._@+-]+", "_", name).strip("._") or "student"
    return key[:120]


def _unique(subs):
    seen, out = {}, []
    for s in subs:
        key, n = s.key, 1
        while key in seen:
            n += 1
            key = f"{s.key}-{n}"
        seen[key] = True
        out.append(s if key == s.key else Submission(key, s.students, s.path, s.timestamp,
                                                     s.names))
    return out


def unpack(zip_path, dest):
    """Unpack an export zip into ``dest`` once (a marker records which zip); return ``dest``."""
    marker = os.path.join(dest, ".unpacked-from")
    stamp = f"{os.path.abspath(zip_path)} {os.path.getsize(zip_path)} {os.path.getmtime(zip_path)}"
    if os.path.exists(marker) and open(marker).read() == stamp:
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    try:
        with zipfile.ZipFile(zip_path) as zf:
            infos = zf.infolist()
            if (len(infos) > MAX_EXPORT_MEMBERS
                    or sum(i.file_size for i in infos) > MAX_EXPORT_BYTES):
                raise BadInput(f"{zip_path} is too large to unpack")
            for info in infos:
                parts = info.filename.replace("\\", "/").split("/")
                if info.filename.startswith("/") or ".." in parts:
                    raise BadInput(f"{zip_path} has an unsafe member name {info.filename!r}")
            zf.extractall(dest)
    except zipfile.BadZipFile as err:
        raise BadInput(f"{zip_path} is not a readable zip ({err})") from None
    with open(marker, "w") as f:
        f.write(stamp)
    return dest


def discover(path, homework, workdir):
    """The submissions under ``path`` for ``homework``, sorted by key.

    Parameters
    ----------
    path : str
        A folder, or a ``.zip`` (unpacked under ``workdir``).
    homework : str
        The assignment name (nbgrader's ``<assignment>`` folder).
    workdir : str
        Where a zip is unpacked (kept, so a resumed batch reads the same files).
    """
    if os.path.isfile(path) and path.lower().endswith(".zip"):
        path = unpack(path, os.path.join(workdir, "input"))
    if not os.path.isdir(path):
        raise BadInput(f"{path} is not a folder or a .zip of submissions")
    meta = _find_metadata(path)
    if meta:
        subs = _gradescope(meta)
        return Discovered("gradescope", _unique(sorted(subs, key=lambda s: s.key)), [],
                          os.path.dirname(meta))
    submitted = _find_submitted(path, homework)
    if submitted:
        return Discovered("nbgrader", _unique(_nbgrader(submitted, homework)), [], submitted)
    subs, ignored = _folder(path)
    return Discovered("folder", _unique(subs), ignored, path)


def _find_metadata(path):
    for candidate in [path] + sorted(os.path.join(path, d) for d in os.listdir(path)):
        f = os.path.join(candidate, "submission_metadata.yml")
        if os.path.isfile(f):
            return f
    return None


def _plain(d):
    """A Gradescope metadata mapping with its Ruby-symbol keys (``:name:``) made plain."""
    if isinstance(d, dict):
        return {str(k).lstrip(":"): _plain(v) for k, v in d.items()}
    if isinstance(d, list):
        return [_plain(x) for x in d]
    return d


def _gradescope(meta_path):
    import yaml

    try:
        with open(meta_path, encoding="utf-8") as f:
            meta = _plain(yaml.safe_load(f) or {})
    except (OSError, yaml.YAMLError) as err:
        raise BadInput(f"{meta_path} could not be read ({err})") from None
    if not isinstance(meta, dict):
        raise BadInput(f"{meta_path} is not a mapping of submissions")
    base = os.path.dirname(meta_path)
    subs = []
    for sub_id, info in meta.items():
        info = info if isinstance(info, dict) else {}
        submitters = info.get("submitters") or []
        students, names = [], {}
        for person in submitters if isinstance(submitters, list) else []:
            if not isinstance(person, dict):
                continue
            sid = str(person.get("email") or person.get("sid") or person.get("name") or "")
            if sid:
                students.append(sid)
                names[sid] = str(person.get("name") or sid)
        students = students or [str(sub_id)]
        created = info.get("created_at")
        subs.append(Submission(safe_key(str(sub_id)), tuple(students),
                               os.path.join(base, str(sub_id)),
                               str(created) if created is not None else None, names))
    return subs


def _find_submitted(path, homework):
    candidates = [path, os.path.join(path, "submitted"),
                  os.path.join(path, "build", "nbgrader", "submitted")]
    for c in candidates:
        if os.path.basename(os.path.normpath(c)) != "submitted" or not os.path.isdir(c):
            continue
        if any(os.path.isdir(os.path.join(c, s, homework)) for s in os.listdir(c)):
            return c
    return None


def _nbgrader(submitted, homework):
    subs = []
    for student in sorted(os.listdir(submitted)):
        folder = os.path.join(submitted, student, homework)
        if student.startswith(".") or not os.path.isdir(folder):
            continue
        stamp = None
        try:
            with open(os.path.join(folder, "timestamp.txt")) as f:
                stamp = f.read().strip() or None
        except OSError:
            pass
        subs.append(Submission(safe_key(student), (student,), folder, stamp))
    return subs


def _folder(path):
    subs, ignored = [], []
    for name in sorted(os.listdir(path)):
        full = os.path.join(path, name)
        if name in SKIP or name.startswith(".") or os.path.islink(full):
            continue
        lower = name.lower()
        if os.path.isdir(full):
            subs.append(Submission(safe_key(name), (name,), full))
        elif lower.endswith(".ipynb") or lower.endswith(".zip"):
            student = name.rsplit(".", 1)[0]
            subs.append(Submission(safe_key(student), (student,), full))
        else:
            ignored.append(name)
    return subs, ignored
