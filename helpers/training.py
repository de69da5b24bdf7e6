"""Training loops with progress bars for models written from scratch in NumPy.

A *model* here is any object with

- ``params``: a dict of parameter arrays (``{"W1": ..., "b1": ..., ...}``), and
- ``loss(X, y=None)``: the class scores ``(N, C)`` when ``y`` is None, otherwise
  ``(loss, grads)`` where ``grads`` has the same keys as ``params``.

The update rule is passed in (``update_fn``), so the loop itself holds no
graded code: in HW2 it is the student's ``sgd_momentum``.
"""

import numpy as np


def progress(iterable=None, total=None, desc=None, leave=True, disable=False):
    """A ``tqdm.auto`` progress bar (a widget in Jupyter, text elsewhere)."""
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, leave=leave, disable=disable)


def predict(model, X, batch_size=1000):
    """Predicted labels ``argmax`` of ``model.loss(X)``, computed in batches.

    Returns
    -------
    ndarray of int, shape ``(N,)``
    """
    X = np.asarray(X)
    labels = [np.argmax(np.asarray(model.loss(X[i:i + batch_size])), axis=1)
              for i in range(0, len(X), batch_size)]
    return np.concatenate(labels) if labels else np.zeros(0, dtype=int)


def accuracy(model, X, y, batch_size=1000):
    """Fraction of samples in ``X`` whose predicted label equals ``y``."""
    return float(np.mean(predict(model, X, batch_size) == np.asarray(y)))


def _unpack(data):
    if isinstance(data, dict):
        return (data["X_train"], data["y_train"], data.get("X_val"), data.get("y_val"))
    data = tuple(data)
    if len(data) == 2:
        return data + (None, None)
    if len(data) >= 4:
        return data[:4]
    raise ValueError("data must be (X_train, y_train) or (X_train, y_train, X_val, y_val, ...)")


def train(model, data, epochs, lr, momentum, update_fn, batch_size=64, rng=None,
          lr_decay=1.0, progress_bar=True, desc="training"):
    """Minibatch training of a NumPy model with a progress bar.

    Every epoch visits the training samples once in a random order (drawn from
    ``rng``), in minibatches of ``batch_size``. After each minibatch every
    parameter is updated with::

        model.params[k], velocity[k] = update_fn(model.params[k], grads[k], velocity[k],
                                                 lr, momentum)

    where the velocities start at zero. After each epoch ``lr`` is multiplied by
    ``lr_decay`` and the training (and validation) accuracy is recorded.

    Parameters
    ----------
    model : object
        ``model.params`` (dict of arrays) and ``model.loss(X, y=None)``, see the
        module docstring.
    data : tuple or dict
        ``(X_train, y_train)`` or ``(X_train, y_train, X_val, y_val, ...)``
        (extra items such as a test set are ignored), or a dict with keys
        ``X_train``, ``y_train`` and optionally ``X_val``, ``y_val``.
    epochs : int
    lr : float
        Learning rate ``η``.
    momentum : float
        Passed to ``update_fn``; 0 gives plain SGD for the update of HW2.
    update_fn : callable
        ``update_fn(w, dw, velocity, lr, momentum) -> (w, velocity)``.
    batch_size : int
    rng : numpy.random.Generator, optional
        Shuffles the samples; default ``np.random.default_rng(0)``.
    lr_decay : float
        Factor applied to ``lr`` after every epoch.
    progress_bar : bool
        Show a ``tqdm`` bar with the running loss.
    desc : str
        Label of the progress bar.

    Returns
    -------
    dict
        ``"loss"``: the minibatch loss of every step (list of float);
        ``"train_acc"`` and ``"val_acc"``: accuracy after each epoch
        (``val_acc`` is empty without validation data);
        ``"steps_per_epoch"``: int.
    """
    X_train, y_train, X_val, y_val = _unpack(data)
    X_train = np.asarray(X_train)
    y_train = np.asarray(y_train)
    if rng is None:
        rng = np.random.default_rng(0)
    n = len(X_train)
    steps = int(np.ceil(n / batch_size))
    velocity = {k: np.zeros_like(np.asarray(v, dtype=float)) for k, v in model.params.items()}
    history = {"loss": [], "train_acc": [], "val_acc": [], "steps_per_epoch": steps}
    bar = progress(total=epochs * steps, desc=desc, disable=not progress_bar)
    try:
        for _ in range(epochs):
            order = rng.permutation(n)
            for s in range(steps):
                idx = order[s * batch_size:(s + 1) * batch_size]
                loss, grads = model.loss(X_train[idx], y_train[idx])
                loss = float(loss)
                if not np.isfinite(loss):
                    raise FloatingPointError(
                        f"the loss became {loss} at step {len(history['loss'])}; "
                        "check your gradients or lower the learning rate")
                for k in model.params:
                    model.params[k], velocity[k] = update_fn(model.params[k], grads[k],
                                                             velocity[k], lr, momentum)
                history["loss"].append(loss)
                bar.update(1)
                if s % 10 == 0:
                    bar.set_postfix(loss=f"{loss:.3f}")
            lr *= lr_decay
            history["train_acc"].append(accuracy(model, X_train, y_train))
            if X_val is not None:
                history["val_acc"].append(accuracy(model, X_val, y_val))
            post = {"loss": f"{history['loss'][-1]:.3f}",
                    "train acc": f"{history['train_acc'][-1]:.3f}"}
            if history["val_acc"]:
                post["val acc"] = f"{history['val_acc'][-1]:.3f}"
            bar.set_postfix(post)
    finally:
        bar.close()
    return history
