"""Timing: the best of several runs, so one noisy run does not mislead a plot."""

import time


def time_call(fn, *args, repeat=3, number=1, **kwargs):
    """Return the best wall time in seconds of ``fn(*args, **kwargs)``.

    Parameters
    ----------
    fn : callable
    repeat : int
        Independent measurements; the minimum is returned.
    number : int
        Calls per measurement (the time is divided by it).

    Returns
    -------
    float
        Seconds per call.
    """
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn(*args, **kwargs)
        best = min(best, (time.perf_counter() - start) / number)
    return best


def time_sweep(functions, sizes, make_args, repeat=3):
    """Time several functions over a sweep of problem sizes.

    Parameters
    ----------
    functions : dict of str to callable
    sizes : sequence
    make_args : callable
        ``make_args(size) -> tuple`` of positional arguments.

    Returns
    -------
    dict of str to list of float
        Seconds per call, one list per function, in the order of ``sizes``.
    """
    results = {name: [] for name in functions}
    for size in sizes:
        args = make_args(size)
        for name, fn in functions.items():
            results[name].append(time_call(fn, *args, repeat=repeat))
    return results
