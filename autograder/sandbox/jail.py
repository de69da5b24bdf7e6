"""Build the student's filesystem view and drop privileges, then exec the worker.

Run as root by ``unshare --pid --fork --kill-child --mount --net --ipc --uts``, so
it is process 1 of fresh PID, mount and network namespaces: when it (the worker
it becomes) dies, the kernel kills every process the submission started, and
there is no network but a loopback that is down.

The new root is a size-limited tmpfs holding read-only, nosuid bind mounts of
the system directories, the Python installation, the course helpers and the
worker, plus writable ``/tmp`` (and, on a machine with an NVIDIA GPU, the device
nodes and driver libraries that ``gpu.py`` lists, at their own paths). Nothing else
exists there: not the grader, not the source notebook, not the results directory,
not ``/root`` or ``/autograder``.
Standard library only. Usage: ``python -I jail.py SPEC_JSON``.
"""

import ctypes
import json
import os
import sys

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = (
    1, 2, 4, 32, 4096, 16384, 1 << 18)
PR_SET_NO_NEW_PRIVS = 38
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")
DEVICES = ("null", "zero", "full", "random", "urandom")

libc = ctypes.CDLL(None, use_errno=True)


def mount(source, target, fstype, flags, data=None):
    if libc.mount(source.encode(), target.encode(), fstype.encode() if fstype else None,
                  ctypes.c_ulong(flags), data.encode() if data else None) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {source} on {target}: {os.strerror(err)}")


def bind(source, target, readonly=True, nodev=True):
    mount(source, target, None, MS_BIND | MS_REC)
    flags = MS_REMOUNT | MS_BIND | MS_NOSUID | (MS_RDONLY if readonly else 0) | (
        MS_NODEV if nodev else 0)
    mount("none", target, None, flags)


def mirror(root, path, covered):
    """Make ``path`` visible read-only at the same place under ``root``."""
    path = os.path.abspath(path)
    if not os.path.exists(path) or any(path == c or path.startswith(c + "/") for c in covered):
        return
    target = root + path
    if os.path.islink(path) and os.path.dirname(path) == "/":
        os.symlink(os.readlink(path), target)
    elif os.path.isdir(path):
        os.makedirs(target, exist_ok=True)
        bind(path, target)
        covered.append(path)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        open(target, "a").close()
        bind(path, target)


def expose_gpu(root, gpu, covered):
    """Bind the GPU device nodes (``nodev`` off, so they open) and the driver libraries
    listed by ``gpu.gpu_paths`` read-only at their own paths; nothing when there are none."""
    for dev in gpu.get("devices", []):
        target = root + dev
        if os.path.isdir(dev):
            os.makedirs(target, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            open(target, "a").close()
        bind(dev, target, nodev=False)
    for lib in gpu.get("libraries", []):
        mirror(root, lib, covered)  # skipped where a system directory already shows it


def main():
    spec = json.loads(sys.argv[1])
    for procs in spec.get("cgroup_procs", []):
        with open(procs, "w") as f:
            f.write("0")
    mount("none", "/", None, MS_REC | MS_PRIVATE)
    root = spec["root"]
    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, f"size={spec['tmpfs_bytes']},mode=755")
    covered = []
    for d in SYSTEM_DIRS:
        mirror(root, d, covered)
    for path in spec["readonly"]:
        mirror(root, path, covered)
    for source, target in spec["mapped"]:  # course helpers and the worker, at fixed places
        os.makedirs(root + target, exist_ok=True)
        bind(source, root + target)
    os.makedirs(root + "/dev", exist_ok=True)
    for dev in DEVICES:
        open(f"{root}/dev/{dev}", "a").close()
        bind(f"/dev/{dev}", f"{root}/dev/{dev}", nodev=False)
    expose_gpu(root, spec.get("gpu", {}), covered)
    os.symlink("/proc/self/fd", root + "/dev/fd")
    for i, name in enumerate(("stdin", "stdout", "stderr")):
        os.symlink(f"/proc/self/fd/{i}", f"{root}/dev/{name}")
    for d in ("/dev/shm", "/tmp", "/var/tmp"):
        os.makedirs(root + d, exist_ok=True)
        os.chmod(root + d, 0o1777)
    os.makedirs(root + "/proc", exist_ok=True)
    mount("proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV)
    home = root + spec["home"]
    os.makedirs(home, exist_ok=True)
    os.chown(home, spec["uid"], spec["gid"])
    os.chroot(root)
    os.chdir(spec["home"])
    os.setgroups([])
    os.setgid(spec["gid"])
    os.setuid(spec["uid"])
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    argv = spec["argv"]
    os.execve(argv[0], argv, spec["env"])


if __name__ == "__main__":
    main()
