"""The batch's append-only journal: what is graded, so a resumed batch does the rest.

``OUT/journal.jsonl`` holds one JSON object a line, each appended with one
``write`` and made durable with ``fsync`` before the batch counts it. The journal is
the arbiter: a submission is done once a line says so (its ``results.json`` was
written before that line), whatever runner or worker graded it; a line for a
submission already done is ignored, so nothing is counted twice. A line torn by a
crash is cut off when the journal is opened again. One batch at a time writes to a
folder (an exclusive ``flock``).

Records: ``{"event": "batch", "homework": ...}`` first; ``{"event": "start", "key"}``
when a submission is handed out (for the audit: a killed run shows starts without
results); ``{"event": "done", "key", "status", "score", "max_score", "tests",
"seconds", "reason", ...}`` when its results are safely written.
"""

import errno
import fcntl
import json
import os
import time


class JournalError(Exception):
    """The journal cannot be used (another batch holds it, or another homework's)."""


class Journal:
    """Open (create) the journal in ``out`` for ``homework``."""

    def __init__(self, out, homework):
        self.path = os.path.join(out, "journal.jsonl")
        self._lockf = open(os.path.join(out, ".batch.lock"), "a")
        try:
            fcntl.flock(self._lockf, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            self._lockf.close()
            if err.errno in (errno.EAGAIN, errno.EACCES):
                raise JournalError(f"another batch is writing to {out}; wait for it or "
                                   "choose another --out") from None
            raise
        self.records = self._load()
        self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        header = next((r for r in self.records if r.get("event") == "batch"), None)
        if header is None:
            self.append({"event": "batch", "homework": homework, "time": time.time()})
        elif header.get("homework") != homework:
            self.close()
            raise JournalError(f"{out} holds a batch of {header.get('homework')}, not "
                               f"{homework}; choose another --out")

    def _load(self):
        """Every complete record; a torn last line (a crash mid-append) is cut off."""
        try:
            with open(self.path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            return []
        end = data.rfind(b"\n") + 1
        if end < len(data):
            with open(self.path, "r+b") as f:
                f.truncate(end)
                f.flush()
                os.fsync(f.fileno())
        records = []
        for line in data[:end].splitlines():
            try:
                rec = json.loads(line)
            except ValueError:
                continue  # a line damaged some other way: ignored, never fatal
            if isinstance(rec, dict):
                records.append(rec)
        return records

    def append(self, record):
        """Append ``record`` and fsync; raises ``OSError`` (e.g. ENOSPC) if it cannot."""
        data = (json.dumps(record, sort_keys=True, allow_nan=False) + "\n").encode()
        view = memoryview(data)
        written = 0
        try:
            while written < len(data):
                written += os.write(self.fd, view[written:])
            os.fsync(self.fd)
        except OSError:
            if written:  # never leave half a line for the next append to join
                try:
                    size = os.fstat(self.fd).st_size
                    os.ftruncate(self.fd, size - written)
                except OSError:
                    pass
            raise
        self.records.append(record)

    def final(self, retry_failed=False):
        """``key -> done record`` of the submissions that need no more grading.

        The first record that is not ``failed`` wins; a key with only ``failed``
        records is final (as failed) unless ``retry_failed``.
        """
        done, failed = {}, {}
        for rec in self.records:
            if rec.get("event") != "done" or "key" not in rec:
                continue
            key = rec["key"]
            if key in done:
                continue
            if rec.get("status") == "failed":
                failed[key] = rec
            else:
                done[key] = rec
        if not retry_failed:
            for key, rec in failed.items():
                done.setdefault(key, rec)
        return done

    def close(self):
        for closer in (lambda: os.close(self.fd), self._lockf.close):
            try:
                closer()
            except (OSError, AttributeError):
                pass
