"""The NVIDIA GPU paths a student process needs, and nothing else of the host.

With an NVIDIA driver, a CUDA program opens the control and per-GPU device nodes
(``/dev/nvidiactl``, ``/dev/nvidia0``, ``/dev/nvidia-uvm``, ...) and loads the
driver's user-space libraries (``libcuda.so.1``, ``libnvidia-ml.so.1``,
``libnvidia-ptxjitcompiler.so.1``, ...), which are tied to the kernel module and
so come from the host, never from a pip wheel. :func:`gpu_paths` lists exactly
those; ``launch.py`` passes them in the jail spec and ``jail.py`` binds them
read-only (device nodes without ``nodev``). Without NVIDIA devices the lists are
empty and the jail is unchanged. Standard library only.
"""

import os
import re
import subprocess

#: Device nodes of the NVIDIA driver (``nvidia-caps`` holds the MIG capability nodes).
DEVICE_PATTERN = re.compile(
    r"^nvidia(\d+|ctl|-uvm|-uvm-tools|-modeset|-caps|-nvswitchctl|-nvlink)$")
#: The driver's user-space libraries (the kernel-matched part of CUDA).
LIBRARY_PATTERN = re.compile(
    r"^(libcuda|libcudadebugger|libnvidia-[\w.-]+|libnvcuvid|libnvoptix)\.so(\.[\d.]+)?$")
#: Where distributions and container toolkits put the driver libraries.
LIBRARY_DIRS = ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64",
                "/usr/lib", "/usr/local/nvidia/lib64", "/usr/local/nvidia/lib",
                "/usr/lib/wsl/lib")


def _ldconfig_listing():
    """``ldconfig -p`` output, or ``""`` where there is no ldconfig."""
    for exe in ("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig"):
        try:
            return subprocess.run([exe, "-p"], capture_output=True, text=True,
                                  timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            continue
    return ""


def gpu_paths(dev="/dev", lib_dirs=LIBRARY_DIRS, ldconfig=None):
    """The GPU device nodes and driver libraries to expose to the student process.

    Parameters
    ----------
    dev : str
        The device directory to look in (a fake tree in tests).
    lib_dirs : sequence of str
        Directories searched for the driver libraries, besides those ``ldconfig`` names.
    ldconfig : str, optional
        ``ldconfig -p`` output to use; by default it is run (only when devices exist).

    Returns
    -------
    dict
        ``{"devices": [...], "libraries": [...], "library_dirs": [...]}``: absolute
        paths, sorted; all three empty when ``dev`` has no NVIDIA GPU (no
        ``nvidiactl`` or no ``nvidiaN`` node), whatever libraries are installed.
    """
    try:
        names = os.listdir(dev)
    except OSError:
        names = []
    devices = sorted(os.path.join(dev, n) for n in names if DEVICE_PATTERN.match(n))
    has_gpu = any(re.match(r"^nvidia\d+$", n) for n in names) and "nvidiactl" in names
    if not has_gpu:
        return {"devices": [], "libraries": [], "library_dirs": []}
    candidates = set()
    if ldconfig is None:
        ldconfig = _ldconfig_listing()
    for line in ldconfig.splitlines():  # "\tlibcuda.so.1 (libc6,x86-64) => /usr/lib/.../libcuda.so.1"
        name, _, path = line.strip().partition(" => ")
        if path and LIBRARY_PATTERN.match(os.path.basename(path.strip())):
            candidates.add(path.strip())
    for d in lib_dirs:
        try:
            candidates.update(os.path.join(d, n) for n in os.listdir(d) if LIBRARY_PATTERN.match(n))
        except OSError:
            continue
    libraries = set()
    for path in candidates:
        if os.path.exists(path):  # a symlink and the file it names both go in
            libraries.add(os.path.abspath(path))
            libraries.add(os.path.realpath(path))
    libraries = sorted(libraries)
    return {"devices": devices, "libraries": libraries,
            "library_dirs": sorted({os.path.dirname(p) for p in libraries})}


def describe(paths):
    """One line for the grader's log: what of the GPU the student process sees."""
    if not paths["devices"]:
        return "no NVIDIA GPU on this machine: the student process runs on the CPU"
    return (f"NVIDIA GPU: {len(paths['devices'])} device nodes "
            f"({', '.join(os.path.basename(d) for d in paths['devices'])}) and "
            f"{len(paths['libraries'])} driver libraries bound read-only into the sandbox")
