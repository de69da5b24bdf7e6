"""HW2 helpers: the digits data, gradient-check drivers, a conv timing table, plots.

Nothing here implements a graded function. The gradient-check drivers take
*your* ``numerical_gradient`` and ``relative_error`` as arguments and use
``torch.autograd`` (float64) as the independent reference.
"""

import numpy as np

from helpers.training import accuracy, predict, progress, train  # noqa: F401  (re-exported)

#: Sizes of the fixed split made by :func:`load_digits_split`.
DIGITS_SPLIT = {"train": 1257, "val": 180, "test": 360}


# --------------------------------------------------------------------------- data

def load_digits_split(seed=0, images=False):
    """The 8×8 digits of ``sklearn.datasets.load_digits`` (1797 images, 10 classes), split.

    A random permutation drawn from ``np.random.default_rng(seed)`` puts the
    first 360 samples in the test set, the next 180 in the validation set and
    the remaining 1257 in the training set. Pixels (0–16) are scaled to [0, 1]
    and then standardized with one mean and one standard deviation, those of
    all pixels of the *training* set (so the images still look like digits).

    ``X`` has shape ``(N, 64)`` (one image per row, pixels in row-major
    order), or ``(N, 1, 8, 8)`` with ``images=True`` for convolutional layers.

    Parameters
    ----------
    seed : int
        Seed of the split (default 0: the split the homework uses).
    images : bool

    Returns
    -------
    X_train, y_train, X_val, y_val, X_test, y_test
        ``X`` float64, ``y`` int64 labels in 0..9.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    X = digits.data.astype(np.float64) / 16.0
    y = digits.target.astype(np.int64)
    perm = np.random.default_rng(seed).permutation(len(X))
    n_test, n_val = DIGITS_SPLIT["test"], DIGITS_SPLIT["val"]
    test, val, tr = perm[:n_test], perm[n_test:n_test + n_val], perm[n_test + n_val:]
    X = (X - X[tr].mean()) / X[tr].std()
    if images:
        X = X.reshape(-1, 1, 8, 8)
    return X[tr], y[tr], X[val], y[val], X[test], y[test]


def show_digits(X, y, n=12, predicted=None, ncols=12):
    """Show the first ``n`` digits of ``X`` (``(N, 64)`` or ``(N, 1, 8, 8)``) with labels."""
    from helpers.plotting import show_images

    X = np.asarray(X)[:n].reshape(-1, 8, 8)
    titles = [str(int(t)) if predicted is None else f"{int(t)} → {int(p)}"
              for t, p in zip(y[:n], (predicted if predicted is not None else y)[:n])]
    lo, hi = float(X.min()), float(X.max())
    return show_images(list(X), titles=titles, ncols=min(ncols, len(X)), size=1.0,
                       vmin=lo, vmax=hi if hi > lo else lo + 1.0)


# ----------------------------------------------------------- gradient checking

def _torch():
    import torch

    return torch


def _as_float(a):
    return np.array(a, dtype=np.float64)


def _safe(fn, *args):
    """Run a student function for a report cell; turn an exception into a message."""
    try:
        return fn(*args), None
    except NotImplementedError:
        return None, "not implemented"
    except Exception as err:  # a report shows the problem, it does not stop the notebook
        return None, f"{type(err).__name__}: {err}"


def _error(relative_error, a, b):
    if a is None or b is None:
        return None
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return f"shape {a.shape} vs {b.shape}"
    value, err = _safe(relative_error, a, b)
    return err if err else float(value)


def _row(layer, what, shape, numerical=None, torch=None, max_abs=None):
    return {"layer": layer, "what": what, "shape": tuple(shape), "vs numerical": numerical,
            "vs torch": torch, "max |diff| torch": max_abs}


def _max_abs(a, b):
    if a is None or b is None or np.shape(a) != np.shape(b):
        return None
    return float(np.max(np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float)),
                        initial=0.0))


def gradient_check_report(rows, tol=1e-6):
    """Print a table of gradient-check rows (from :func:`check_layer` and friends).

    A row is marked ``ok`` when every relative error it has is below ``tol`` and
    ``CHECK`` otherwise; a line under the table says so. A correct layer typically
    gives 1e-7 or less against the numerical gradient and about 1e-15 against torch.
    """
    def fmt(v):
        if v is None:
            return "-"
        if isinstance(v, str):
            return v[:40]
        return f"{v:.2e}"

    header = ["layer", "what", "shape", "vs numerical", "vs torch", "max |diff| torch", ""]
    lines = []
    for r in rows:
        errs = [r[k] for k in ("vs numerical", "vs torch")]
        numeric = [e for e in errs if isinstance(e, float)]
        bad = any(isinstance(e, str) for e in errs) or any(not e < tol for e in numeric)
        flag = "" if not numeric and not bad else ("CHECK" if bad else "ok")
        lines.append([r["layer"], r["what"], "x".join(map(str, r["shape"])) or "scalar",
                      fmt(r["vs numerical"]), fmt(r["vs torch"]), fmt(r["max |diff| torch"]),
                      flag])
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for line in lines:
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths)))
    print(f"ok: every relative error below {tol:g}; CHECK: at least one is not "
          "(1e-2 or more is a bug)")


def check_layer(name, forward, backward, inputs, numerical_gradient, relative_error,
                torch_fn=None, seed=0, h=1e-5, show=True):
    """Gradient check of one layer ``forward``/``backward`` pair.

    The layer is turned into a scalar function with a fixed random upstream
    gradient ``dout`` (standard normal, from ``np.random.default_rng(seed)``)::

        L(inputs) = sum(forward(*inputs)[0] * dout)

    so that ``∂L/∂out = dout``. The analytic gradients ``backward(dout, cache)``
    are compared with ``numerical_gradient(f, x, h)`` of ``L`` for each input
    (your numerical gradient) and, when ``torch_fn`` is given, with
    ``torch.autograd`` in float64. Errors are measured with ``relative_error``.

    Parameters
    ----------
    name : str
        Layer name in the table.
    forward : callable
        ``forward(*arrays) -> (out, cache)``; bind non-array arguments
        (stride, pad, an rng, ...) with a ``lambda``.
    backward : callable
        ``backward(dout, cache)`` returning one gradient per input, in the order
        of ``inputs`` (a single array when there is one input).
    inputs : dict of str to ndarray
        The arrays passed to ``forward``, in order.
    numerical_gradient, relative_error : callable
        Your graded functions.
    torch_fn : callable, optional
        The same layer in PyTorch: ``torch_fn(*tensors) -> tensor``.
    seed : int
    h : float
        Step of the numerical gradient.
    show : bool
        Print the rows as a table.

    Returns
    -------
    list of dict
        One row for the output (against torch) and one per input gradient.
    """
    arrays = {k: _as_float(v) for k, v in inputs.items()}
    names = list(arrays)
    result, err = _safe(forward, *[a.copy() for a in arrays.values()])
    if err:
        rows = [_row(name, "forward", (), err, err)]
        if show:
            gradient_check_report(rows)
        return rows
    out, cache = result
    out = np.asarray(out, dtype=float)
    dout = np.random.default_rng(seed).standard_normal(out.shape)
    grads, err = _safe(backward, dout.copy(), cache)
    if err is None:
        if len(names) == 1 and isinstance(grads, np.ndarray):
            grads = (grads,)
        if not isinstance(grads, (tuple, list)) or len(grads) != len(names):
            err = f"backward should return {len(names)} gradient(s)"
    if err:
        grads = [err] * len(names)

    t_out, t_grads = None, [None] * len(names)
    if torch_fn is not None:
        torch = _torch()
        tensors = [torch.tensor(a, dtype=torch.float64, requires_grad=True)
                   for a in arrays.values()]
        t = torch_fn(*tensors)
        (t * torch.tensor(dout)).sum().backward()
        t_out = t.detach().numpy()
        t_grads = [None if x.grad is None else x.grad.numpy() for x in tensors]

    rows = []
    if torch_fn is not None:
        rows.append(_row(name, "out", out.shape, None, _error(relative_error, out, t_out),
                         _max_abs(out, t_out)))
    for i, key in enumerate(names):
        g = grads[i]
        if isinstance(g, str):
            rows.append(_row(name, f"d{key}", arrays[key].shape, g, g))
            continue

        def f(v, i=i):
            args = [a.copy() for a in arrays.values()]
            args[i] = v
            o, _ = forward(*args)
            return float(np.sum(np.asarray(o, dtype=float) * dout))

        num, nerr = _safe(numerical_gradient, f, arrays[key].copy(), h)
        rows.append(_row(name, f"d{key}", np.shape(g),
                         nerr or _error(relative_error, g, num),
                         _error(relative_error, g, t_grads[i]), _max_abs(g, t_grads[i])))
    if show:
        gradient_check_report(rows)
    return rows


def check_loss(name, loss_fn, x, *args, numerical_gradient, relative_error, torch_fn=None,
               h=1e-5, show=True):
    """Gradient check of a loss ``loss_fn(x, *args) -> (loss, dx)``.

    ``dx`` is compared with ``numerical_gradient`` of ``x ↦ loss_fn(x, *args)[0]``
    and with ``torch.autograd`` of ``torch_fn(tensor_x, *args)`` (float64) when given.
    Returns the rows (see :func:`check_layer`).
    """
    x = _as_float(x)
    result, err = _safe(loss_fn, x.copy(), *args)
    if err:
        rows = [_row(name, "loss", (), err, err)]
        if show:
            gradient_check_report(rows)
        return rows
    loss, dx = result
    t_loss = t_dx = None
    if torch_fn is not None:
        torch = _torch()
        tx = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        tl = torch_fn(tx, *args)
        tl.backward()
        t_loss, t_dx = float(tl.detach()), tx.grad.numpy()
    num, nerr = _safe(numerical_gradient, lambda v: float(loss_fn(v, *args)[0]), x.copy(), h)
    rows = []
    if torch_fn is not None:
        rows.append(_row(name, "loss", (), None, _error(relative_error, np.float64(loss), t_loss),
                         _max_abs(np.float64(loss), t_loss)))
    rows.append(_row(name, "dx", np.shape(dx), nerr or _error(relative_error, dx, num),
                     _error(relative_error, dx, t_dx), _max_abs(dx, t_dx)))
    if show:
        gradient_check_report(rows)
    return rows


def torch_two_layer_loss(params, X, y):
    """PyTorch reference of the two-layer net's loss: linear–ReLU–linear–softmax CE.

    ``params`` maps ``"W1", "b1", "W2", "b2"`` to tensors; returns a scalar tensor.
    """
    torch = _torch()
    X = torch.as_tensor(np.asarray(X, dtype=np.float64))
    y = torch.as_tensor(np.asarray(y, dtype=np.int64))
    hidden = torch.relu(X @ params["W1"] + params["b1"])
    scores = hidden @ params["W2"] + params["b2"]
    return torch.nn.functional.cross_entropy(scores, y)


def check_model(name, model, X, y, numerical_gradient, relative_error, torch_fn=None,
                h=1e-5, show=True):
    """Gradient check of ``model.loss(X, y) -> (loss, grads)`` for every parameter.

    ``torch_fn(params, X, y)`` (params: dict of float64 tensors) gives the torch
    reference loss, e.g. :func:`torch_two_layer_loss`. The model's parameters are
    restored afterwards. Returns the rows (see :func:`check_layer`).
    """
    result, err = _safe(model.loss, X, y)
    if err:
        rows = [_row(name, "loss", (), err, err)]
        if show:
            gradient_check_report(rows)
        return rows
    loss, grads = result
    saved = {k: np.array(v, dtype=float) for k, v in model.params.items()}
    t_grads, t_loss = {}, None
    if torch_fn is not None:
        torch = _torch()
        tp = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True)
              for k, v in saved.items()}
        tl = torch_fn(tp, X, y)
        tl.backward()
        t_loss = float(tl.detach())
        t_grads = {k: v.grad.numpy() for k, v in tp.items()}
    rows = []
    if torch_fn is not None:
        rows.append(_row(name, "loss", (), None, _error(relative_error, np.float64(loss), t_loss),
                         _max_abs(np.float64(loss), t_loss)))
    try:
        for k in saved:
            def f(v, k=k):
                model.params[k] = v
                return float(model.loss(X, y)[0])

            num, nerr = _safe(numerical_gradient, f, saved[k].copy(), h)
            model.params[k] = saved[k].copy()
            g = grads.get(k) if isinstance(grads, dict) else None
            if g is None:
                rows.append(_row(name, f"d{k}", saved[k].shape, "missing in grads",
                                 "missing in grads"))
                continue
            rows.append(_row(name, f"d{k}", np.shape(g), nerr or _error(relative_error, g, num),
                             _error(relative_error, g, t_grads.get(k)),
                             _max_abs(g, t_grads.get(k))))
    finally:
        for k, v in saved.items():
            model.params[k] = v
    if show:
        gradient_check_report(rows)
    return rows


# ------------------------------------------------------------------ timing

def conv_speed_report(conv_forward, conv_backward, x_shape=(32, 8, 16, 16),
                      w_shape=(16, 8, 3, 3), stride=1, pad=1, repeat=5, seed=0):
    """Time your ``conv_forward``/``conv_backward`` against ``torch.nn.functional.conv2d``.

    Both run on the same float64 input; torch's backward is
    ``torch.autograd.grad`` of ``sum(out * dout)`` with respect to ``x``, ``w``, ``b``.
    Prints a table and returns ``{"numpy forward": s, "torch forward": s, ...}`` in seconds.
    """
    from helpers.timing import time_call

    torch = _torch()
    F = torch.nn.functional
    g = np.random.default_rng(seed)
    x = g.standard_normal(x_shape)
    w = g.standard_normal(w_shape)
    b = g.standard_normal(w_shape[0])
    out, cache = conv_forward(x, w, b, stride, pad)
    dout = g.standard_normal(np.shape(out))

    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    tdout = torch.tensor(dout)

    def torch_forward():
        with torch.no_grad():
            return F.conv2d(tx, tw, tb, stride=stride, padding=pad)

    def torch_backward():
        t = F.conv2d(tx, tw, tb, stride=stride, padding=pad)
        return torch.autograd.grad(t, (tx, tw, tb), tdout)

    times = {
        "numpy forward": time_call(conv_forward, x, w, b, stride, pad, repeat=repeat),
        "torch forward": time_call(torch_forward, repeat=repeat),
        "numpy backward": time_call(conv_backward, dout, cache, repeat=repeat),
        "torch forward+backward": time_call(torch_backward, repeat=repeat),
    }
    print(f"x {x_shape}, w {w_shape}, stride {stride}, pad {pad}, float64, "
          f"torch threads {torch.get_num_threads()}")
    for k, v in times.items():
        print(f"  {k:<24s} {1e3 * v:9.3f} ms")
    print(f"  forward:  yours is {times['numpy forward'] / times['torch forward']:.1f}x "
          f"the time of torch")
    print(f"  backward: yours is {times['numpy backward'] / times['torch forward+backward']:.1f}x "
          f"the time of torch (forward+backward)")
    return times


# ------------------------------------------------------------------ plots

def _moving_average(values, width):
    values = np.asarray(values, dtype=float)
    if width <= 1 or len(values) < width:
        return np.arange(len(values)), values
    kernel = np.ones(width) / width
    return np.arange(width - 1, len(values)), np.convolve(values, kernel, mode="valid")


def plot_loss_curves(histories, smooth=10, ax=None, title="training loss", logy=False,
                     xlabel="step"):
    """Plot one or several loss curves.

    Parameters
    ----------
    histories : dict of str to (list of float or dict)
        Label → losses per step, or a history returned by :func:`train`
        (its ``"loss"`` is used).
    smooth : int
        Width of a moving average drawn over the raw (faint) curve.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 4))
    for k, (label, h) in enumerate(histories.items()):
        losses = h["loss"] if isinstance(h, dict) else h
        color = f"C{k}"
        ax.plot(np.arange(len(losses)), losses, color=color, alpha=0.25, lw=1)
        xs, ys = _moving_average(losses, smooth)
        ax.plot(xs, ys, color=color, lw=2, label=label)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("loss")
    if title:
        ax.set_title(title)
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


def plot_accuracies(histories, ax=None, title="accuracy after each epoch"):
    """Plot the per-epoch training and validation accuracy of histories from :func:`train`."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 4))
    for k, (label, h) in enumerate(histories.items()):
        epochs = np.arange(1, len(h["train_acc"]) + 1)
        ax.plot(epochs, h["train_acc"], "o--", color=f"C{k}", label=f"{label} (train)")
        if h.get("val_acc"):
            ax.plot(epochs, h["val_acc"], "o-", color=f"C{k}", label=f"{label} (val)")
    ax.set_xlabel("epoch")
    ax.set_ylabel("accuracy")
    if title:
        ax.set_title(title)
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


# --------------------------------------------------------------------------- momentum widget
VALLEY = (1.0, 25.0)  # curvatures of the quadratic valley: one gentle axis, one steep one


def _valley_loss(w, curvatures=VALLEY):
    """``½(a·w₀² + b·w₁²)`` and its gradient, for points ``w`` of shape ``(..., 2)``."""
    a, b = curvatures
    w = np.asarray(w, dtype=np.float64)
    loss = 0.5 * (a * w[..., 0] ** 2 + b * w[..., 1] ** 2)
    return loss, np.stack([a * w[..., 0], b * w[..., 1]], axis=-1)


def momentum_paths(sgd_momentum, lr, momentum, steps=60, start=(-4.0, 1.5)):
    """Run ``sgd_momentum`` (yours) on the valley; return the path ``(steps + 1, 2)`` and losses.

    Each step is ``w, v = sgd_momentum(w, grad(w), v, lr, momentum)`` from ``v = 0``.
    """
    w, v = np.array(start, dtype=np.float64), np.zeros(2)
    path, losses = [w.copy()], [float(_valley_loss(w)[0])]
    for _ in range(steps):
        w, v = sgd_momentum(w, _valley_loss(w)[1], v, lr, momentum)
        w = np.asarray(w, dtype=np.float64)
        path.append(w.copy())
        losses.append(float(_valley_loss(w)[0]))
        if not np.all(np.isfinite(w)) or losses[-1] > 1e6:  # diverged: stop drawing
            break
    return np.array(path), np.array(losses)


def momentum_figure(sgd_momentum, lr, momentum, steps=60):
    """The valley's contours with the paths of plain SGD and of SGD with ``momentum``, and
    the loss of both against the step (log scale)."""
    import matplotlib.pyplot as plt

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(10, 3.8))
    x0, x1 = np.meshgrid(np.linspace(-4.5, 4.5, 200), np.linspace(-2.2, 2.2, 120))
    loss, _ = _valley_loss(np.stack([x0, x1], axis=-1))
    ax.contour(x0, x1, loss, levels=np.geomspace(0.05, 60, 14), cmap="Greys", linewidths=0.7)
    for mom, color, label in ((0.0, "tab:blue", "plain SGD"),
                              (momentum, "tab:red", f"momentum {momentum:.2f}")):
        path, losses = momentum_paths(sgd_momentum, lr, mom, steps)
        ax.plot(path[:, 0], path[:, 1], ".-", color=color, ms=3, lw=1, label=label)
        bx.semilogy(np.maximum(losses, 1e-12), color=color, label=label)
    ax.plot(0, 0, "k*", ms=10)
    ax.set(xlim=(-4.5, 4.5), ylim=(-2.2, 2.2), xlabel="w₀ (gentle)", ylabel="w₁ (steep)",
           title=f"paths on ½(w₀² + 25·w₁²), lr = {lr:.3f}")
    ax.legend(loc="lower right", fontsize=8)
    bx.set(xlabel="step", ylabel="loss", title="loss against the step")
    bx.legend(fontsize=8)
    fig.tight_layout()
    return fig


def momentum_widget(sgd_momentum, lr=0.03, momentum=0.9, steps=60):
    """Sliders for the learning rate and the momentum, and the figure of
    :func:`momentum_figure` drawn with your ``sgd_momentum``.

    Rendered to a PNG in an ``ipywidgets.Image`` (no ``Output`` capture), so it draws
    when created and never blocks a headless run. A message replaces the figure while
    ``sgd_momentum`` is not written yet.
    """
    import io

    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    style = {"description_width": "initial"}
    lr_slider = widgets.FloatLogSlider(value=lr, base=10, min=-3, max=-0.9, step=0.05,
                                       description="learning rate", readout_format=".3f",
                                       continuous_update=False, style=style)
    mom_slider = widgets.FloatSlider(value=momentum, min=0.0, max=0.99, step=0.01,
                                     description="momentum", continuous_update=False,
                                     style=style)
    picture = widgets.Image(format="png")
    message = widgets.HTML()

    def draw(change=None):
        try:
            fig = momentum_figure(sgd_momentum, lr_slider.value, mom_slider.value, steps)
        except NotImplementedError:
            message.value = "<i>Write sgd_momentum above, then move a slider.</i>"
            return
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=72)
        plt.close(fig)
        picture.value, message.value = buffer.getvalue(), ""

    lr_slider.observe(draw, names="value")
    mom_slider.observe(draw, names="value")
    draw()
    return widgets.VBox([widgets.HBox([lr_slider, mom_slider]), message, picture])
