"""Start the student process: isolated as another user when the grader is root.

As root: ``unshare`` gives new PID, mount, network, IPC and UTS namespaces,
``jail.py`` builds a minimal read-only filesystem and drops to an unprivileged
uid with no supplementary groups, a cgroup caps memory and processes, and
rlimits cap file size, open files and CPU time. Killing ``unshare`` kills the
namespace and with it every process the submission started, daemons included.

As an ordinary user (a student checking their work locally) the process split,
the rlimits and the kill of every descendant remain; the separate user, the
namespaces and the cgroup need root and are skipped, and :attr:`Sandbox.notes`
says so.
"""

import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from .cgroup import Cgroup
from .gpu import describe as describe_gpu
from .gpu import gpu_paths

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER_FILES = ("worker.py", "wire.py")
PR_SET_CHILD_SUBREAPER = 36
TMP_PREFIX = "cvgrade-"

#: Every sandbox started and not yet stopped, so a run can end them all, whatever failed.
_live = set()
#: Every temporary folder this process made for a sandbox (to prove none is left behind).
_made_dirs = []


SANDBOX_UID_BASE = 100000


def sandbox_uid(pid=None):
    """The unprivileged uid a grader process gives student code: ``100000 + its pid``.

    Unique among live graders (pids are), so a grader that kills what is left of its
    sandbox user never touches another grader's student process (a batch runs many).
    """
    return SANDBOX_UID_BASE + (os.getpid() if pid is None else pid)


def _is_root():
    return os.geteuid() == 0


_namespaces = None


def _has_namespaces():
    """Whether this process can make the sandbox's namespaces and mounts (probed once).

    As root on a machine or VM, yes. In a container without ``CAP_SYS_ADMIN``, or where
    AppArmor or seccomp deny ``unshare``/``mount``, no: the grader then falls back to the
    plain process split (see :meth:`Sandbox._start_plain`) instead of failing every test.
    """
    global _namespaces
    if _namespaces is None:
        _namespaces = _probe_namespaces()
    return _namespaces


def _probe_namespaces():
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    mount = shutil.which("mount")
    # the jail's own first steps: new namespaces, then a tmpfs mount (in the private
    # mount namespace: nothing outside changes)
    cmd = [unshare, "--pid", "--fork", "--kill-child", "--mount", "--net", "--ipc", "--uts",
           "--propagation", "private"]
    cmd += [mount, "-t", "tmpfs", "-o", "size=4k", "cvprobe", "/tmp"] if mount else ["true"]
    try:
        return subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=30,
                              env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


class Sandbox:
    """One student process's isolation: start it, then kill everything it made.

    Parameters
    ----------
    limits : autograder.sandbox.limits.Limits
    helpers_dir : str
        The ``helpers`` package directory, importable from the student process.
    isolate : bool, optional
        Force the root isolation on or off (default: on when root).
    """

    def __init__(self, limits, helpers_dir, isolate=None):
        self.limits = limits
        self.helpers_dir = os.path.abspath(helpers_dir)
        self.isolate = _is_root() and _has_namespaces() if isolate is None else isolate
        # root, but no namespaces here: still run student code as an unprivileged uid
        self.drop_to_uid = isolate is None and _is_root() and not self.isolate
        self.proc = None
        self.cgroup = None
        self.uid = None
        self.tmp = None
        self.notes = []
        self.gpu = gpu_paths()

    # ------------------------------------------------------------------ start
    def start(self, fd_in, fd_out, out_fd):
        """Start the worker; it reads requests on ``fd_in``, answers on ``fd_out``.

        Its stdout and stderr go to ``out_fd``. Returns the ``subprocess.Popen``.
        """
        _live.add(self)
        self.tmp = tempfile.mkdtemp(prefix=TMP_PREFIX)
        _made_dirs.append(self.tmp)
        os.chmod(self.tmp, 0o755)
        worker_dir = os.path.join(self.tmp, "worker")
        os.mkdir(worker_dir)
        for name in WORKER_FILES:
            shutil.copy(os.path.join(HERE, name), worker_dir)
            os.chmod(os.path.join(worker_dir, name), 0o644)
        os.chmod(worker_dir, 0o755)
        rlimits = {"fsize": self.limits.fsize_bytes, "nofile": self.limits.nofile,
                   "core": 0, "cpu": int(self.limits.total_seconds * 4) + 60}
        if self.isolate:
            return self._start_isolated(worker_dir, rlimits, fd_in, fd_out, out_fd)
        return self._start_plain(worker_dir, rlimits, fd_in, fd_out, out_fd)

    def _env(self, home, pythonpath):
        threads = "1"  # deterministic reductions, and faster for tiny nets on a busy machine
        return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8",
                "PYTHONPATH": pythonpath, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0",
                "MPLBACKEND": "Agg", "MPLCONFIGDIR": os.path.join(home, ".mpl"),
                "IPYTHONDIR": os.path.join(home, ".ipython"),
                "XDG_CACHE_HOME": os.path.join(home, ".cache"),
                "OMP_NUM_THREADS": threads, "OPENBLAS_NUM_THREADS": threads,
                "MKL_NUM_THREADS": threads, "TQDM_DISABLE": "1", **self._gpu_env()}

    def _gpu_env(self):
        """With a GPU: which GPUs the host gave this grader, and the driver libraries'
        folders when they are outside the system's library path."""
        if not self.gpu["devices"]:
            return {}
        env = {k: os.environ[k] for k in ("CUDA_VISIBLE_DEVICES", "NVIDIA_VISIBLE_DEVICES")
               if k in os.environ}
        extra = [d for d in self.gpu["library_dirs"]
                 if not d.startswith(("/usr/lib/", "/lib/", "/usr/lib64", "/lib64"))]
        if extra:
            env["LD_LIBRARY_PATH"] = ":".join(extra)
        return env

    def _address_space_rlimit(self, rlimits):
        """Cap memory by address space where no cgroup does, except with a GPU: CUDA
        reserves far more address space than it uses and fails to start under the cap."""
        if self.gpu["devices"]:
            self.notes.append("GPU present: no address-space rlimit (CUDA reserves large "
                              "virtual ranges)")
            return
        rlimits["as"] = max(self.limits.memory_bytes * 3, 8 * 2**30)

    def _start_isolated(self, worker_dir, rlimits, fd_in, fd_out, out_fd):
        self.uid = sandbox_uid()
        name = f"cvgrade-{os.getpid()}-{int(time.time() * 1000) % 10**8}"
        self.cgroup = Cgroup.create(name, self.limits.memory_bytes, self.limits.nproc)
        if self.cgroup is None:
            self._address_space_rlimit(rlimits)
            self.notes.append("no writable cgroup: memory capped by an address-space rlimit")
        rlimits["nproc"] = self.limits.nproc
        root = os.path.join(self.tmp, "root")
        os.mkdir(root)
        home = "/tmp/home"
        python = sys.executable
        readonly = [sys.prefix, sys.base_prefix, os.path.dirname(os.path.realpath(python))]
        spec = {
            "root": root, "tmpfs_bytes": self.limits.tmpfs_bytes, "home": home,
            "uid": self.uid, "gid": self.uid,
            "readonly": readonly,
            "mapped": [[self.helpers_dir, "/opt/cvgrader/lib/helpers"],
                       [worker_dir, "/opt/cvgrader/worker"]],
            "cgroup_procs": self.cgroup.procs_files if self.cgroup else [],
            "gpu": self.gpu,
            "env": self._env(home, "/opt/cvgrader/lib"),
            "argv": [python, "/opt/cvgrader/worker/worker.py", str(fd_in), str(fd_out),
                     json.dumps(rlimits)],
        }
        cmd = ["unshare", "--pid", "--fork", "--kill-child", "--mount", "--net", "--ipc",
               "--uts", "--propagation", "private",
               sys.executable, "-I", os.path.join(HERE, "jail.py"), json.dumps(spec)]
        self.notes.append(
            f"student code ran as uid {self.uid} without groups, in its own PID, mount and "
            f"network namespaces (no network), on a {self.limits.tmpfs_bytes >> 20} MiB "
            f"private filesystem" + (", in a memory/pids cgroup" if self.cgroup else ""))
        self.notes.append(describe_gpu(self.gpu))
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out_fd,
                                     stderr=out_fd, pass_fds=(fd_in, fd_out),
                                     env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
        return self.proc

    def _start_plain(self, worker_dir, rlimits, fd_in, fd_out, out_fd):
        home = os.path.join(self.tmp, "home")
        os.mkdir(home)
        self._address_space_rlimit(rlimits)
        _become_subreaper()
        user = {}
        blocked = [p for p in (sys.executable, self.helpers_dir, worker_dir)
                   if not _open_to_others(p)]
        if self.drop_to_uid and blocked:
            self.notes.append(
                "root without namespaces, and student code could not run as another uid "
                f"({blocked[0]} is not readable by other users): it ran as root")
        elif self.drop_to_uid:
            self.uid = sandbox_uid()
            os.chown(home, self.uid, self.uid)
            user = {"user": self.uid, "group": self.uid, "extra_groups": []}
            self.notes.append(
                "root without namespaces (a container without CAP_SYS_ADMIN, or AppArmor/"
                f"seccomp denying unshare or mount): student code ran as uid {self.uid} "
                "without groups, but without namespaces, chroot or cgroup")
        self.notes.append(
            "without root (or with isolation turned off): student code ran in a separate "
            "process with rlimits, "
            "but as the same user, with network and without namespaces or cgroups "
            "(Gradescope grading, which runs as root, isolates it fully)")
        env = self._env(home, os.path.dirname(self.helpers_dir))
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(worker_dir, "worker.py"), str(fd_in), str(fd_out),
             json.dumps(rlimits)], cwd=home, stdin=subprocess.DEVNULL, stdout=out_fd,
            stderr=out_fd, pass_fds=(fd_in, fd_out), env=env, start_new_session=True, **user)
        return self.proc

    # ------------------------------------------------------------------ stop
    def oom_killed(self):
        return bool(self.cgroup and self.cgroup.oom_killed())

    def stop(self):
        """Kill the student process and everything it started; remove temporary files."""
        if self.proc is not None:
            if self.proc.poll() is None:
                try:
                    if self.isolate:
                        self.proc.kill()  # --kill-child takes the whole PID namespace down
                    else:
                        os.killpg(self.proc.pid, signal.SIGKILL)
                except OSError:
                    pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        # Daemons: whatever still runs as the sandbox user, or below us. The kernel tears a
        # PID namespace down asynchronously, so wait until nothing is left (bounded).
        end = time.monotonic() + 5.0
        while kill_leftovers(self.uid) and time.monotonic() < end:
            time.sleep(0.02)
        if self.cgroup is not None:
            self.cgroup.remove()
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None
        _live.discard(self)


def stop_all():
    """Stop every sandbox of this process that is still running (idempotent)."""
    for sandbox in list(_live):
        try:
            sandbox.stop()
        except Exception:  # noqa: B902  (keep stopping the others)
            pass


def leftovers():
    """What of this grader's sandboxes still exists: processes, cgroups, folders (strings)."""
    found = []
    if _is_root():
        found += [f"process {pid}" for pid in _running_pids_of(sandbox_uid())]
        found += [f"cgroup {c}" for c in Cgroup.leftovers(f"{TMP_PREFIX}{os.getpid()}-")]
    found += [f"sandbox {s}" for s in list(_live)]
    found += [f"folder {d}" for d in _made_dirs if os.path.exists(d)]
    return found


def _open_to_others(path):
    """Whether an unprivileged user can reach ``path`` (every folder above it searchable,
    the file itself readable by others)."""
    path = os.path.realpath(path)
    try:
        if not os.stat(path).st_mode & 0o004:
            return False
        parent = os.path.dirname(path)
        while True:
            if not os.stat(parent).st_mode & 0o001:
                return False
            if parent == "/":
                return True
            parent = os.path.dirname(parent)
    except OSError:
        return False


def _become_subreaper():
    """Orphans of the student process become our children, so none can escape the kill."""
    try:
        ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def kill_leftovers(uid=None):
    """SIGKILL processes of ``uid`` and, without one, our own descendants; count them."""
    killed = 0
    if uid is not None:
        for pid in _running_pids_of(uid):
            try:
                os.kill(pid, signal.SIGKILL)
                killed += 1
            except OSError:
                pass
        return killed
    try:
        import psutil
    except ImportError:
        return 0
    for child in psutil.Process().children(recursive=True):
        try:
            child.kill()
            killed += 1
        except psutil.Error:
            pass
    for child in psutil.Process().children():
        try:
            child.wait(timeout=0)
        except (psutil.Error, Exception):
            pass
    return killed


def _running_pids_of(uid):
    """Pids of ``uid``'s processes, zombies left out (dead: nothing runs, nothing to kill;
    orphans of a sandbox without namespaces are reparented to us, the subreaper)."""
    found = []
    for pid in _pids():
        try:
            if os.stat(f"/proc/{pid}").st_uid != uid:
                continue
            with open(f"/proc/{pid}/stat", "rb") as f:
                state = f.read().rsplit(b")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != b"Z":
            found.append(pid)
    return found


def _pids():
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]
