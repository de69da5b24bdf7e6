"""GPU inside the sandbox: which host paths are exposed (a fake /dev tree, no GPU needed), that
the jail really binds listed device nodes and libraries (root), and, on a machine with a GPU,
the same scores on CPU and GPU."""

import os
import stat

import pytest

from autograder import gpu_check
from autograder.sandbox import launch
from autograder.sandbox.gpu import describe, gpu_paths
from autograder.submissions import reference_submission
from tests.conftest import HOMEWORKS, grade_notebook, max_score

HW = HOMEWORKS[0]


def _tree(tmp_path, devices, libraries=(), links=()):
    dev, lib = tmp_path / "dev", tmp_path / "lib"
    dev.mkdir()
    lib.mkdir()
    for name in devices:
        if name.endswith("/"):
            (dev / name).mkdir()
        else:
            (dev / name).write_bytes(b"")
    for name in libraries:
        (lib / name).write_bytes(b"\x7fELF")
    for name, target in links:
        os.symlink(target, lib / name)
    return str(dev), str(lib)


def test_gpu_paths_lists_the_nvidia_nodes_and_driver_libraries_only(tmp_path):
    dev, lib = _tree(
        tmp_path,
        ["nvidia0", "nvidia1", "nvidiactl", "nvidia-uvm", "nvidia-uvm-tools", "nvidia-modeset",
         "nvidia-caps/", "null", "sda", "dri/", "nvme0", "nvidia-foo", "fuse"],
        ["libcuda.so.550.54.15", "libnvidia-ml.so.550.54.15", "libnvidia-ptxjitcompiler.so.1",
         "libc.so.6", "libcudart.so.12", "libcudnn.so.9", "libGL.so.1"],
        [("libcuda.so.1", "libcuda.so.550.54.15"), ("libnvidia-ml.so.1", "libnvidia-ml.so.550.54.15")])
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "libcuda.so.1").write_bytes(b"\x7fELF")  # where ldconfig says: WSL, k8s, ...
    ldconfig = (f"\tlibcuda.so.1 (libc6,x86-64) => {other}/libcuda.so.1\n"
                f"\tlibc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6\n")
    paths = gpu_paths(dev, lib_dirs=[lib], ldconfig=ldconfig)
    names = [os.path.relpath(p, dev) for p in paths["devices"]]
    assert names == ["nvidia-caps", "nvidia-modeset", "nvidia-uvm", "nvidia-uvm-tools",
                     "nvidia0", "nvidia1", "nvidiactl"]
    libs = {os.path.relpath(p, tmp_path) for p in paths["libraries"]}
    assert libs == {"lib/libcuda.so.1", "lib/libcuda.so.550.54.15", "lib/libnvidia-ml.so.1",
                    "lib/libnvidia-ml.so.550.54.15", "lib/libnvidia-ptxjitcompiler.so.1",
                    "elsewhere/libcuda.so.1"}  # not libc, not the CUDA runtime of the wheel
    assert paths["library_dirs"] == sorted({lib, str(other)})
    assert "2 device" not in describe(paths) and "7 device nodes" in describe(paths)


@pytest.mark.parametrize("devices", [[], ["null", "zero"], ["nvidia-uvm", "nvidia-modeset"],
                                     ["nvidiactl"], ["nvidia0"]])
def test_without_an_nvidia_gpu_nothing_is_exposed(tmp_path, devices):
    dev, lib = _tree(tmp_path, devices, ["libcuda.so.1", "libnvidia-ml.so.1"])
    paths = gpu_paths(dev, lib_dirs=[lib], ldconfig="")
    assert paths == {"devices": [], "libraries": [], "library_dirs": []}
    assert "no NVIDIA GPU" in describe(paths)


def test_this_machine_is_described_as_it_is():
    paths = gpu_paths()
    has_gpu = os.path.exists("/dev/nvidia0") and os.path.exists("/dev/nvidiactl")
    assert bool(paths["devices"]) == has_gpu


@pytest.mark.skipif(os.geteuid() != 0, reason="the jail needs root")
def test_the_jail_binds_the_listed_nodes_and_libraries_and_nothing_else(tmp_path, monkeypatch):
    """A stand-in GPU: a character device with /dev/zero's numbers named nvidia0, and a
    'driver library' outside the system folders. The student process opens and reads them;
    the rest of the fake /dev is not there."""
    dev, lib = tmp_path / "gpu" / "dev", tmp_path / "gpu" / "lib"
    dev.mkdir(parents=True)
    lib.mkdir()
    zero = os.stat("/dev/zero").st_rdev
    os.mknod(dev / "nvidia0", 0o666 | stat.S_IFCHR, zero)
    os.mknod(dev / "nvidiactl", 0o666 | stat.S_IFCHR, zero)
    os.mknod(dev / "sda", 0o666 | stat.S_IFCHR, zero)  # not listed: must not appear
    for node in ("nvidia0", "nvidiactl", "sda"):
        os.chmod(dev / node, 0o666)  # as the driver makes them (mknod is under the umask)
    (lib / "libcuda.so.1").write_bytes(b"FAKE-DRIVER")
    os.chmod(tmp_path, 0o755)
    fake = {"devices": [str(dev / "nvidia0"), str(dev / "nvidiactl")],
            "libraries": [str(lib / "libcuda.so.1")], "library_dirs": [str(lib)]}
    monkeypatch.setattr(launch, "gpu_paths", lambda: fake)
    probe = f"""
import os as _os
with open({str(dev / 'nvidia0')!r}, 'rb') as _f:
    print('GPU-NODE', _f.read(4) == bytes(4))
with open({str(dev / 'nvidia0')!r}, 'wb') as _f:
    print('GPU-NODE-WRITE', _f.write(b'x'))
print('GPU-LIB', open({str(lib / 'libcuda.so.1')!r}, 'rb').read().decode())
print('GPU-OTHER', _os.path.exists({str(dev / 'sda')!r}))
print('GPU-LDPATH', _os.environ.get('LD_LIBRARY_PATH'))
try:
    open({str(lib / 'libcuda.so.1')!r}, 'ab')
    print('GPU-LIB-WRITABLE')
except OSError:
    print('GPU-LIB-READONLY')
"""
    nb = reference_submission(HW)
    first = next(c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution"))
    src = "".join(first["source"]) if isinstance(first["source"], list) else first["source"]
    first["source"] = src + "\n" + probe
    lines = []
    results = grade_notebook(tmp_path, HW, nb, log=lambda *a: lines.append(" ".join(map(str, a))))
    log = "\n".join(lines)
    assert results["score"] == max_score(results), log
    assert "GPU-NODE True" in log and "GPU-NODE-WRITE 1" in log, log
    assert "GPU-LIB FAKE-DRIVER" in log and "GPU-LIB-READONLY" in log
    assert "GPU-OTHER False" in log
    assert f"GPU-LDPATH {lib}" in log
    assert "2 device nodes (nvidia0, nvidiactl) and 1 driver libraries" in log


@pytest.mark.skipif(not gpu_check.gpu_present(), reason="needs an NVIDIA GPU")
@pytest.mark.parametrize("name", HOMEWORKS)
def test_same_score_on_cpu_and_gpu(tmp_path, name):
    for hw, label, cpu, gpu, differ in gpu_check.compare(name, str(tmp_path)):
        assert cpu == gpu and not differ, (hw, label, cpu, gpu, differ)
