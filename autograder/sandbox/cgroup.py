"""A memory and process-count cgroup for one grading run, where the machine offers one.

Supports cgroup v2 (one unified tree) and v1 (``memory`` and ``pids`` trees).
Everything here is best effort: without a writable cgroup tree the grader falls
back to rlimits and says so.
"""

import os
import time

ROOT = "/sys/fs/cgroup"


class Cgroup:
    """Create with :meth:`create`; the sandbox writes ``0`` into each ``procs`` file to join."""

    def __init__(self, dirs, version):
        self.dirs = dirs          # directories whose cgroup.procs the sandbox joins
        self.version = version

    @property
    def procs_files(self):
        return [os.path.join(d, "cgroup.procs") for d in self.dirs]

    @classmethod
    def create(cls, name, memory_bytes, max_pids):
        """Return a new cgroup limited to ``memory_bytes`` and ``max_pids``, or ``None``."""
        try:
            if os.path.exists(os.path.join(ROOT, "cgroup.controllers")):
                return cls._create_v2(name, memory_bytes, max_pids)
            return cls._create_v1(name, memory_bytes, max_pids)
        except OSError:
            return None

    @classmethod
    def _create_v2(cls, name, memory_bytes, max_pids):
        path = os.path.join(ROOT, name)
        os.mkdir(path)
        _write(os.path.join(path, "memory.max"), memory_bytes)
        _write(os.path.join(path, "memory.swap.max"), 0, required=False)
        _write(os.path.join(path, "pids.max"), max_pids, required=False)
        return cls([path], 2)

    @classmethod
    def _create_v1(cls, name, memory_bytes, max_pids):
        mem = os.path.join(ROOT, "memory", name)
        os.mkdir(mem)
        dirs = [mem]
        _write(os.path.join(mem, "memory.limit_in_bytes"), memory_bytes)
        _write(os.path.join(mem, "memory.memsw.limit_in_bytes"), memory_bytes, required=False)
        pids = os.path.join(ROOT, "pids", name)
        try:
            os.mkdir(pids)
            _write(os.path.join(pids, "pids.max"), max_pids)
            dirs.append(pids)
        except OSError:
            pass
        return cls(dirs, 1)

    def oom_killed(self):
        """Whether the kernel killed a process of this group for memory."""
        for d in self.dirs:
            for fname, key in (("memory.events", "oom_kill"), ("memory.oom_control", "oom_kill")):
                try:
                    with open(os.path.join(d, fname)) as f:
                        for line in f:
                            k, _, v = line.partition(" ")
                            if k == key and int(v) > 0:
                                return True
                except (OSError, ValueError):
                    continue
            try:
                with open(os.path.join(d, "memory.failcnt")) as f:
                    if int(f.read()) > 0:
                        return True
            except (OSError, ValueError):
                pass
        return False

    @staticmethod
    def leftovers(prefix):
        """Paths of cgroups whose name starts with ``prefix`` (v2 and v1 trees)."""
        found = []
        for base in (ROOT, os.path.join(ROOT, "memory"), os.path.join(ROOT, "pids")):
            try:
                found += [os.path.join(base, n) for n in os.listdir(base) if n.startswith(prefix)]
            except OSError:
                pass
        return found

    def remove(self):
        """Kill what is left in the group and remove it."""
        for d in self.dirs:
            for _ in range(50):
                try:
                    with open(os.path.join(d, "cgroup.procs")) as f:
                        pids = [int(p) for p in f.read().split()]
                except OSError:
                    break
                for pid in pids:
                    try:
                        os.kill(pid, 9)
                    except OSError:
                        pass
                try:
                    os.rmdir(d)
                    break
                except OSError:
                    time.sleep(0.02)


def _write(path, value, required=True):
    try:
        with open(path, "w") as f:
            f.write(str(value))
    except OSError:
        if required:
            raise
