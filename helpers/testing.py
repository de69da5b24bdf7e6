"""Assertions for visible and hidden tests.

Every failure message says what is wrong in terms a student can act on and
never prints the expected values, so hidden cases stay hidden. The same
functions run inside the student's kernel (visible tests, nbgrader) and in the
trusted grader process, where graded functions are reached through a proxy.
"""

import numpy as np


def _describe(x):
    if isinstance(x, np.ndarray):
        return f"array of shape {x.shape} and dtype {x.dtype}"
    if type(x).__module__.startswith("autograder."):  # a handle to a student object
        return repr(x)
    return f"{type(x).__name__}"


def as_array(actual, what="output"):
    """Return ``actual`` as an ndarray or fail with a message naming ``what``."""
    if actual is None:
        raise AssertionError(f"{what}: got None; did you forget to return the result?")
    if isinstance(actual, (list, tuple)) and not len(actual):
        raise AssertionError(f"{what}: got an empty {type(actual).__name__}")
    try:
        arr = np.asarray(actual)
    except Exception:
        raise AssertionError(f"{what}: expected an array, got {_describe(actual)}") from None
    if arr.dtype == object:
        raise AssertionError(f"{what}: expected a numeric array, got {_describe(actual)} of objects")
    return arr


def assert_shape(actual, shape, what="output"):
    """Fail unless ``actual`` is an array of exactly ``shape``."""
    arr = as_array(actual, what)
    if arr.shape != tuple(shape):
        raise AssertionError(f"{what}: wrong shape {arr.shape}, expected {tuple(shape)}")
    return arr


def assert_close(actual, expected, rtol=1e-7, atol=1e-10, what="output", hint=""):
    """Fail unless ``actual`` matches ``expected`` in shape and value.

    Parameters
    ----------
    actual, expected : array_like
    rtol, atol : float
        Tolerances as in :func:`numpy.allclose`.
    what : str
        Names the quantity in the message (``"convolve2d(image, kernel)"``).
    hint : str
        Appended to the message on a value mismatch: the likely mistake.
    """
    expected = np.asarray(expected)
    arr = assert_shape(actual, expected.shape, what)
    if np.iscomplexobj(expected) and not np.iscomplexobj(arr):
        raise AssertionError(f"{what}: expected complex values, got dtype {arr.dtype}")
    if not np.all(np.isfinite(arr)) and np.all(np.isfinite(expected)):
        raise AssertionError(f"{what}: contains NaN or inf")
    try:
        diff = np.abs(arr.astype(np.complex128 if np.iscomplexobj(arr) else np.float64)
                      - expected)
    except (TypeError, ValueError):
        raise AssertionError(f"{what}: values are not numeric ({arr.dtype})") from None
    bad = ~(diff <= atol + rtol * np.abs(expected))
    if np.any(bad):
        msg = (f"{what}: {int(bad.sum())} of {bad.size} values are wrong "
               f"(largest error {float(np.nanmax(diff)):.3g})")
        raise AssertionError(msg + (f". {hint}" if hint else ""))


def assert_dtype_kind(actual, kinds="f", what="output"):
    """Fail unless the array's dtype kind is one of ``kinds`` (``"f"`` float, ``"b"`` bool, ...)."""
    arr = as_array(actual, what)
    if arr.dtype.kind not in kinds:
        names = {"f": "float", "b": "bool", "i": "int", "u": "unsigned int", "c": "complex"}
        want = " or ".join(names.get(k, k) for k in kinds)
        raise AssertionError(f"{what}: dtype is {arr.dtype}, expected {want}")
    return arr


def assert_raises(exc_type, fn, *args, what=None, **kwargs):
    """Fail unless ``fn(*args, **kwargs)`` raises ``exc_type``."""
    what = what or f"{getattr(fn, '__name__', 'function')} with invalid arguments"
    try:
        fn(*args, **kwargs)
    except exc_type:
        return
    except Exception as err:  # a different exception is a wrong answer, not a crash
        raise AssertionError(f"{what}: raised {type(err).__name__}, expected "
                             f"{exc_type.__name__}") from None
    raise AssertionError(f"{what}: did not raise {exc_type.__name__}")


def assert_unchanged(before, after, what="input"):
    """Fail when a graded function modified its input array in place."""
    if not np.array_equal(np.asarray(before), np.asarray(after), equal_nan=True):
        raise AssertionError(f"{what} was modified in place; work on a copy")


def rng(seed):
    """A seeded ``numpy.random.Generator``: every test input is reproducible."""
    return np.random.default_rng(seed)


# ----------------------------------------------------------------------------- fixtures
#: Set by the trusted grader while a test runs: ``builder(target, args, kwargs)`` builds the
#: object in the student process and returns a handle to it. ``None`` in a notebook kernel.
_student_builder = None


def build_in_student(target, *args, **kwargs):
    """Build a test fixture (a model, a data loader, an optimizer) where student code runs.

    Autograd works only when the model, its input and the student's function live in one
    process, so a test that needs a model builds it with trusted helper code on the
    student's side. In a notebook kernel this simply calls the helper; in the grader the
    object is built in the student process and the test gets a handle whose calls return
    plain data (tensors, numbers). Expected values are always computed on the test's side.

    Parameters
    ----------
    target : str
        ``"helpers.<module>:<function>"``; only functions of the ``helpers`` package.
    *args, **kwargs
        Plain data (numbers, strings, arrays, tensors) or handles from earlier calls.
    """
    module_name, _, func_name = str(target).partition(":")
    if not (module_name == "helpers" or module_name.startswith("helpers.")) or not func_name:
        raise ValueError(f"build_in_student: {target!r} is not 'helpers.<module>:<function>'")
    if _student_builder is not None:
        return _student_builder(target, args, kwargs)
    import importlib

    return getattr(importlib.import_module(module_name), func_name)(*args, **kwargs)


def test_device():
    """``"cuda"`` when a GPU is present, else ``"cpu"``: the device tests put tensors on."""
    try:
        import torch
    except ImportError:
        return "cpu"
    return "cuda" if torch.cuda.is_available() else "cpu"


test_device.__test__ = False  # not a pytest test
