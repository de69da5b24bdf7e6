"""HW3 helpers: the digits as tensors, fixtures for the tests, figures, the transfer experiment.

Nothing here implements a graded function of any homework. The training
driver (:func:`fit`), the transfer experiment and the widget take *your*
``train_epoch``, ``evaluate``, ``build_model`` or ``fgsm_attack`` as arguments;
the figures take what your functions returned.

Three groups:

- **data**: the 8×8 digits of ``sklearn.datasets.load_digits`` upsampled to
  16×16 (:func:`load_digits_tensors`), data loaders with a seeded shuffle
  (:func:`make_loader`, :func:`digits_loaders`), tiny synthetic loaders with an
  uneven last batch (:func:`synthetic_loader`);
- **fixtures for the tests**: a small fixed CNN whose weights depend only on a
  seed (:func:`fixture_cnn`), :func:`seed_everything`, :func:`make_optimizer`,
  :func:`make_generator`, and read-outs that return plain data
  (:func:`model_state`, :func:`describe_model`, :func:`count_hooks`,
  :func:`load_block_weights`);
- **figures and experiments**: layer tables, training curves, filters,
  maximally activating patches, saliency maps, adversarial pairs, an FGSM
  widget, the transfer experiment.
"""

import copy
import functools
import io
import math
import random

import numpy as np

from helpers.training import progress

#: Sizes of the fixed split made by :func:`load_digits_tensors` (the split of HW2).
DIGITS_SPLIT = {"train": 1257, "val": 180, "test": 360}


def _torch():
    import torch

    return torch


def _plt():
    import matplotlib.pyplot as plt

    return plt


# --------------------------------------------------------------------------- data

@functools.lru_cache(maxsize=4)
def _digits(seed, size):
    torch = _torch()
    import torch.nn.functional as F
    from sklearn.datasets import load_digits

    digits = load_digits()
    X = torch.tensor(digits.images / 16.0, dtype=torch.float32)[:, None]
    if size != 8:
        X = F.interpolate(X, size=(size, size), mode="bilinear", align_corners=False)
    X = X.clamp(0.0, 1.0)
    y = torch.tensor(digits.target, dtype=torch.int64)
    perm = torch.as_tensor(np.random.default_rng(seed).permutation(len(X)))
    n_test, n_val = DIGITS_SPLIT["test"], DIGITS_SPLIT["val"]
    test, val, tr = perm[:n_test], perm[n_test:n_test + n_val], perm[n_test + n_val:]
    return X[tr], y[tr], X[val], y[val], X[test], y[test]


def load_digits_tensors(seed=0, size=16):
    """The digits of ``sklearn.datasets.load_digits`` as tensors, split once.

    The 1797 gray 8×8 images (pixel values 0–16) are scaled to [0, 1] and
    upsampled to ``size × size`` with bilinear interpolation
    (``torch.nn.functional.interpolate(..., mode="bilinear",
    align_corners=False)``). A permutation drawn from
    ``np.random.default_rng(seed)`` puts the first 360 images in the test set,
    the next 180 in the validation set and the other 1257 in the training set
    (the split of HW2).

    Parameters
    ----------
    seed : int
        Seed of the split (0: the split of the homework).
    size : int
        Side of the images (8 keeps the originals).

    Returns
    -------
    X_train, y_train, X_val, y_val, X_test, y_test : torch.Tensor
        ``X`` float32 of shape ``(N, 1, size, size)`` in [0, 1], ``y`` int64
        labels 0–9. New tensors on every call (safe to modify).
    """
    return tuple(t.clone() for t in _digits(int(seed), int(size)))


def _augmenting_collate(augment, generator):
    torch = _torch()

    def collate(batch):
        X = torch.stack([b[0] for b in batch])
        y = torch.stack([b[1] for b in batch])
        return augment(X, generator), y

    return collate


def make_loader(X, y, batch_size=64, shuffle=False, seed=0, augment=None):
    """A ``DataLoader`` over the tensors ``X``, ``y`` (CPU, no worker processes).

    Parameters
    ----------
    X : torch.Tensor, shape ``(N, ...)``
    y : torch.Tensor, shape ``(N,)``
    batch_size : int
        The last batch is smaller when ``batch_size`` does not divide ``N``.
    shuffle : bool
        Visit the samples in a new random order every epoch, drawn from a
        ``torch.Generator`` seeded with ``seed`` (reproducible).
    seed : int
    augment : callable, optional
        ``augment(images, generator) -> images``, applied to every batch of
        images (e.g. ``lambda x, g: random_shift(x, 2, g)``), with its own
        ``torch.Generator`` seeded with ``seed + 1``.

    Returns
    -------
    torch.utils.data.DataLoader
        Yields ``(images, labels)`` batches.
    """
    torch = _torch()
    from torch.utils.data import DataLoader, TensorDataset

    dataset = TensorDataset(torch.as_tensor(X), torch.as_tensor(y))
    generator = torch.Generator().manual_seed(int(seed))
    collate = None
    if augment is not None:
        collate = _augmenting_collate(augment, torch.Generator().manual_seed(int(seed) + 1))
    return DataLoader(dataset, batch_size=int(batch_size), shuffle=bool(shuffle),
                      generator=generator if shuffle else None, collate_fn=collate)


def digits_loaders(batch_size=64, seed=0, augment=None, classes=None, n_train=None):
    """Loaders of the digits split of :func:`load_digits_tensors`.

    Parameters
    ----------
    batch_size : int
    seed : int
        Seeds the shuffle of the training loader (the split is always the
        homework's).
    augment : callable, optional
        ``augment(images, generator)``, applied to the training batches only
        (see :func:`make_loader`).
    classes : sequence of int, optional
        Keep only these digits (labels unchanged).
    n_train : int, optional
        Keep only the first ``n_train`` training images (after ``classes``).

    Returns
    -------
    dict
        ``"train"`` (shuffled), ``"val"`` and ``"test"`` (in order) loaders.
    """
    X_train, y_train, X_val, y_val, X_test, y_test = load_digits_tensors()
    if classes is not None:
        torch = _torch()
        keep = torch.tensor(sorted(int(c) for c in classes))

        def pick(X, y):
            mask = torch.isin(y, keep)
            return X[mask], y[mask]

        (X_train, y_train), (X_val, y_val), (X_test, y_test) = (
            pick(X_train, y_train), pick(X_val, y_val), pick(X_test, y_test))
    if n_train is not None:
        X_train, y_train = X_train[:int(n_train)], y_train[:int(n_train)]
    return {"train": make_loader(X_train, y_train, batch_size, shuffle=True, seed=seed,
                                 augment=augment),
            "val": make_loader(X_val, y_val, batch_size),
            "test": make_loader(X_test, y_test, batch_size)}


def digits_train_loader(batch_size=64, seed=0, n=None):
    """The (shuffled, seeded) training loader of :func:`digits_loaders`, nothing else.

    Tests build it in the process that trains: the labels of the validation
    and test sets never go there.
    """
    X_train, y_train = load_digits_tensors()[:2]
    if n is not None:
        X_train, y_train = X_train[:int(n)], y_train[:int(n)]
    return make_loader(X_train, y_train, batch_size, shuffle=True, seed=seed)


def synthetic_data(n, seed=0, num_classes=10, channels=1, size=16):
    """Random images uniform in [0, 1] and random labels, from a seeded ``torch.Generator``.

    Returns
    -------
    X : torch.Tensor, float32, shape ``(n, channels, H, W)``
        ``size`` is an int (square) or ``(H, W)``.
    y : torch.Tensor, int64, shape ``(n,)``
    """
    torch = _torch()
    h, w = (size, size) if np.isscalar(size) else tuple(size)
    g = torch.Generator().manual_seed(int(seed))
    X = torch.rand((int(n), int(channels), int(h), int(w)), generator=g)
    y = torch.randint(0, int(num_classes), (int(n),), generator=g)
    return X, y


def synthetic_loader(n, batch_size, seed=0, num_classes=10, channels=1, size=16, shuffle=False):
    """A loader over :func:`synthetic_data`; the last batch is smaller when ``batch_size ∤ n``.

    In order (``shuffle=False``) unless asked, so that a test can replay the
    same batches on its side.
    """
    X, y = synthetic_data(n, seed, num_classes, channels, size)
    return make_loader(X, y, batch_size, shuffle=shuffle, seed=seed)


def class_subset(X, y, classes, per_class, seed=0):
    """``per_class`` random samples of each class in ``classes`` (seeded), in a random order.

    Returns
    -------
    X_subset, y_subset : torch.Tensor
    """
    torch = _torch()
    g = np.random.default_rng(seed)
    idx = []
    y_np = np.asarray(y)
    for c in classes:
        pool = np.flatnonzero(y_np == c)
        idx.extend(g.choice(pool, size=min(int(per_class), len(pool)), replace=False))
    idx = torch.as_tensor(g.permutation(np.array(idx, dtype=np.int64)))
    return X[idx], y[idx]


# --------------------------------------------------------------------------- fixtures

def exact_float32():
    """Full float32 precision on GPUs: no TF32 in matrix products and convolutions.

    With TF32 (PyTorch's default for cuDNN convolutions on recent GPUs) a
    convolution differs from the CPU's by about 1e-3; tests compare results to
    1e-4. Called by :func:`seed_everything` and by the fixtures.
    """
    torch = _torch()
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False


def seed_everything(seed=0):
    """Seed Python's ``random``, NumPy's global generator and torch (CPU and every GPU).

    Also turns TF32 off (:func:`exact_float32`), so that a GPU computes in full
    float32 precision, as the CPU does.
    """
    torch = _torch()
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)
        exact_float32()


def make_generator(seed=0):
    """A CPU ``torch.Generator`` seeded with ``seed``."""
    return _torch().Generator().manual_seed(int(seed))


def _on(model, device):
    """``model`` moved to ``device``; full float32 precision when that is a GPU."""
    if str(device).startswith("cuda"):
        exact_float32()
    return model.to(device)


def fixture_cnn(seed=0, in_channels=1, num_classes=10, size=16, width=6, hidden=24,
                norm=False, dropout=0.0, frozen=(), device="cpu"):
    """A small fixed CNN whose weights depend only on ``seed``.

    ``conv3×3(pad 1) [– BN] – ReLU – maxpool 2 – conv3×3(pad 1) [– BN] – ReLU –
    maxpool 2 – flatten [– dropout] – linear – ReLU – linear``, with
    ``nn.ReLU`` modules (not in place). Every parameter is drawn from a
    ``torch.Generator`` seeded with ``seed`` (normal, scaled by
    ``1/sqrt(fan_in)``; biases ``0.1·N(0, 1)``), so two calls with the same
    arguments give the same network on any machine.

    Parameters
    ----------
    seed : int
    in_channels, num_classes : int
    size : int or (int, int)
        Input height and width, both multiples of 4.
    width : int
        Filters of the first conv (the second has ``2·width``).
    hidden : int
        Units of the hidden linear layer.
    norm : bool
        Add ``BatchNorm2d`` after each conv (with seeded affine parameters and
        running statistics).
    dropout : float
        Dropout probability before the first linear layer (0: no dropout layer).
    frozen : sequence of str
        Names of parameters (``"0.weight"``, ...) with ``requires_grad=False``.
    device : str

    Returns
    -------
    torch.nn.Sequential
        In training mode, float32, on ``device``.
    """
    torch = _torch()
    from torch import nn

    h, w = (size, size) if np.isscalar(size) else tuple(size)
    if h % 4 or w % 4:
        raise ValueError(f"fixture_cnn: size {size} is not a multiple of 4")
    layers = [nn.Conv2d(in_channels, width, 3, padding=1)]
    if norm:
        layers.append(nn.BatchNorm2d(width))
    layers += [nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(width, 2 * width, 3, padding=1)]
    if norm:
        layers.append(nn.BatchNorm2d(2 * width))
    layers += [nn.ReLU(), nn.MaxPool2d(2), nn.Flatten()]
    if dropout:
        layers.append(nn.Dropout(float(dropout)))
    layers += [nn.Linear(2 * width * (h // 4) * (w // 4), hidden), nn.ReLU(),
               nn.Linear(hidden, num_classes)]
    model = nn.Sequential(*layers)
    g = torch.Generator().manual_seed(int(seed))
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                fan_in = module.weight[0].numel()
                module.weight.copy_(torch.randn(module.weight.shape, generator=g)
                                    * (1.5 / math.sqrt(fan_in)))
                module.bias.copy_(0.1 * torch.randn(module.bias.shape, generator=g))
            elif isinstance(module, nn.BatchNorm2d):
                c = module.num_features
                module.weight.copy_(1.0 + 0.2 * torch.randn(c, generator=g))
                module.bias.copy_(0.1 * torch.randn(c, generator=g))
                module.running_mean.copy_(0.1 * torch.randn(c, generator=g))
                module.running_var.copy_(0.5 + torch.rand(c, generator=g))
    names = set(frozen)
    unknown = names - {n for n, _ in model.named_parameters()}
    if unknown:
        raise ValueError(f"fixture_cnn: no parameters named {sorted(unknown)}")
    for name, p in model.named_parameters():
        if name in names:
            p.requires_grad_(False)
    return _on(model, device)


def fixture_linear(seed=0, in_channels=1, num_classes=10, size=16, device="cpu"):
    """A linear classifier ``flatten – linear`` with seeded weights (``N(0, 1)/sqrt(fan_in)``).

    Its class scores are ``s_k(x) = w_k · x + b_k``, so their gradients are known
    in closed form (``∂s_k/∂x = w_k``): the visible tests use it.
    """
    torch = _torch()
    from torch import nn

    h, w = (size, size) if np.isscalar(size) else tuple(size)
    d = int(in_channels) * int(h) * int(w)
    model = nn.Sequential(nn.Flatten(), nn.Linear(d, int(num_classes)))
    g = torch.Generator().manual_seed(int(seed))
    with torch.no_grad():
        model[1].weight.copy_(torch.randn((int(num_classes), d), generator=g) / math.sqrt(d))
        model[1].bias.copy_(0.1 * torch.randn(int(num_classes), generator=g))
    return _on(model, device)


def fixture_mlp(seed=0, in_channels=1, num_classes=10, size=16, hidden=8, device="cpu"):
    """``flatten – linear (W1, b1) – ReLU – linear (W2, b2)`` with seeded weights.

    One ``nn.ReLU`` module between two linear layers: small enough that its
    gradients can be written down by hand (the visible tests do).
    """
    torch = _torch()
    from torch import nn

    h, w = (size, size) if np.isscalar(size) else tuple(size)
    d = int(in_channels) * int(h) * int(w)
    model = nn.Sequential(nn.Flatten(), nn.Linear(d, int(hidden)), nn.ReLU(),
                          nn.Linear(int(hidden), int(num_classes)))
    g = torch.Generator().manual_seed(int(seed))
    with torch.no_grad():
        for lin in (model[1], model[3]):
            fan_in = lin.weight.shape[1]
            lin.weight.copy_(torch.randn(lin.weight.shape, generator=g) * (2.0 / math.sqrt(fan_in)))
            lin.bias.copy_(0.1 * torch.randn(lin.bias.shape, generator=g))
    return _on(model, device)


def fixture_shared(seed=0, channels=4, num_classes=3, device="cpu"):
    """A model that applies one ``Conv2d(channels, channels, 3, padding=1)`` twice (shared
    weights): ``conv(1→C) – ReLU – shared – ReLU – shared – ReLU – global avg pool – linear``."""
    torch = _torch()
    from torch import nn

    class Shared(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Conv2d(1, channels, 3, padding=1)
            self.shared = nn.Conv2d(channels, channels, 3, padding=1)
            self.relu = nn.ReLU()
            self.head = nn.Linear(channels, num_classes)

        def forward(self, x):
            x = self.relu(self.stem(x))
            x = self.relu(self.shared(x))
            x = self.relu(self.shared(x))
            return self.head(x.mean(dim=(2, 3)))

    with torch.random.fork_rng(devices=[]):   # leaves the global random state alone
        torch.manual_seed(int(seed))
        model = Shared()
    return _on(model, device)


def as_numpy(actual, what="output"):
    """A returned tensor (any device, with or without grad) as a float64 NumPy array.

    Fails with a message naming ``what`` when ``actual`` is not a tensor or an
    array of numbers.
    """
    if actual is None:
        raise AssertionError(f"{what}: got None; did you forget to return the result?")
    if hasattr(actual, "detach") and hasattr(actual, "cpu"):
        actual = actual.detach().cpu().numpy()
    try:
        arr = np.asarray(actual, dtype=np.float64)
    except (TypeError, ValueError):
        raise AssertionError(f"{what}: expected a tensor of numbers, got "
                             f"{type(actual).__name__}") from None
    return arr


def make_optimizer(model, name="sgd", lr=0.1, momentum=0.0, weight_decay=0.0):
    """An optimizer over the parameters of ``model`` that require gradients.

    Parameters
    ----------
    model : torch.nn.Module
    name : {"sgd", "adam", "adamw"}
    lr, momentum, weight_decay : float
        ``momentum`` is used by SGD only.
    """
    torch = _torch()
    params = [p for p in model.parameters() if p.requires_grad]
    name = str(name).lower()
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=momentum, weight_decay=weight_decay)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)
    raise ValueError(f"make_optimizer: unknown optimizer {name!r} (sgd, adam, adamw)")


def model_state(model):
    """Every parameter and buffer of ``model`` as a new CPU tensor: ``{name: tensor}``.

    The ``state_dict`` of the model, detached and copied (plain data).
    """
    return {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}


def load_state(model, state):
    """Copy the tensors of ``state`` (as from :func:`model_state`) into ``model``."""
    torch = _torch()
    own = model.state_dict()
    missing = set(own) - set(state)
    if missing:
        raise ValueError(f"load_state: missing {sorted(missing)}")
    with torch.no_grad():
        for k, v in own.items():
            v.copy_(torch.as_tensor(state[k]).to(v.device, v.dtype))
    return None


def _first_device(model):
    torch = _torch()
    for t in list(model.parameters()) + list(model.buffers()):
        return t.device
    return torch.device("cpu")


def describe_model(model, input_shape=None):
    """What a model is made of, as plain data (lists, strings, ints).

    Parameters
    ----------
    model : torch.nn.Module
    input_shape : tuple of int, optional
        When given, the model is run once on zeros of this shape, in eval mode
        and without gradients (its mode is restored), and the output shape is
        reported.

    Returns
    -------
    dict
        ``"types"``: the class name of every module (``model.modules()``
        order, the model itself first); ``"parameters"``: ``[name, shape,
        requires_grad]`` for every parameter; ``"buffers"``: ``[name, shape]``
        for every buffer; ``"training"``: the model's mode; and
        ``"output_shape"`` when ``input_shape`` is given.
    """
    torch = _torch()
    info = {"types": [type(m).__name__ for m in model.modules()],
            "parameters": [[n, list(p.shape), bool(p.requires_grad)]
                           for n, p in model.named_parameters()],
            "buffers": [[n, list(b.shape)] for n, b in model.named_buffers()],
            "training": bool(model.training)}
    if input_shape is not None:
        was = model.training
        model.eval()
        try:
            with torch.no_grad():
                out = model(torch.zeros(tuple(int(s) for s in input_shape),
                                        device=_first_device(model)))
            info["output_shape"] = list(out.shape)
        finally:
            model.train(was)
    return info


def count_hooks(model):
    """Number of forward, forward-pre and backward hooks still registered on the modules."""
    total = 0
    for m in model.modules():
        for attr in ("_forward_hooks", "_forward_pre_hooks", "_backward_hooks",
                     "_backward_pre_hooks"):
            total += len(getattr(m, attr, {}) or {})
    return total


def relu_modules(model):
    """Names of the ``nn.ReLU`` modules of ``model`` (plain data)."""
    from torch import nn

    return [n for n, m in model.named_modules() if isinstance(m, nn.ReLU)]


def block_weights(seed, channels):
    """The seeded weights :func:`load_block_weights` puts in a residual block.

    Returns
    -------
    dict of str to torch.Tensor
        ``"conv1"``, ``"conv2"``: ``(C, C, 3, 3)``; ``"bn1_weight"``,
        ``"bn1_bias"``, ``"bn1_mean"``, ``"bn1_var"`` and the same for ``bn2``:
        ``(C,)``. Float32, CPU.
    """
    torch = _torch()
    c = int(channels)
    g = torch.Generator().manual_seed(int(seed))
    out = {}
    for k in (1, 2):
        out[f"conv{k}"] = torch.randn((c, c, 3, 3), generator=g) / math.sqrt(9 * c)
        out[f"bn{k}_weight"] = 1.0 + 0.3 * torch.randn(c, generator=g)
        out[f"bn{k}_bias"] = 0.3 * torch.randn(c, generator=g)
        out[f"bn{k}_mean"] = 0.2 * torch.randn(c, generator=g)
        out[f"bn{k}_var"] = 0.5 + torch.rand(c, generator=g)
    return out


def _execution_order(model, x, types):
    """Modules of ``types`` in the order a forward pass on ``x`` calls them (eval mode)."""
    torch = _torch()
    seen = []
    handles = [m.register_forward_hook(lambda mod, i, o: seen.append(mod))
               for m in model.modules() if isinstance(m, types)]
    was = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(x)
    finally:
        model.train(was)
        for h in handles:
            h.remove()
    order = []
    for m in seen:
        if not any(m is o for o in order):
            order.append(m)
    return order


def load_block_weights(block, seed, channels, zero_last=False):
    """Put the weights of :func:`block_weights` into a residual block (for tests).

    The block's ``Conv2d`` and ``BatchNorm2d`` modules are found in the order
    its forward pass calls them (one pass on zeros in eval mode); the k-th conv
    gets ``conv{k}`` (a conv bias, if any, is set to 0) and the k-th batch norm
    gets ``bn{k}_*`` as weight, bias, running mean and running variance.
    With ``zero_last`` the second batch norm gets weight and bias 0, so that
    the residual branch ``F(x)`` is exactly 0.

    Returns
    -------
    list of str
        The class names of the modules found, in call order.

    Raises
    ------
    ValueError
        When the block does not call exactly two convs and two batch norms with
        the expected shapes.
    """
    torch = _torch()
    from torch import nn

    c = int(channels)
    x = torch.zeros((1, c, 6, 6), device=_first_device(block))
    order = _execution_order(block, x, (nn.Conv2d, nn.BatchNorm2d))
    convs = [m for m in order if isinstance(m, nn.Conv2d)]
    norms = [m for m in order if isinstance(m, nn.BatchNorm2d)]
    if len(convs) != 2 or len(norms) != 2:
        raise ValueError(f"expected the block to call 2 Conv2d and 2 BatchNorm2d modules, "
                         f"found {len(convs)} and {len(norms)}")
    w = block_weights(seed, c)
    with torch.no_grad():
        for k, conv in enumerate(convs, 1):
            if tuple(conv.weight.shape) != (c, c, 3, 3):
                raise ValueError(f"conv {k} has weight shape {tuple(conv.weight.shape)}, "
                                 f"expected {(c, c, 3, 3)}")
            conv.weight.copy_(w[f"conv{k}"])
            if conv.bias is not None:
                conv.bias.zero_()
        for k, bn in enumerate(norms, 1):
            if bn.num_features != c or bn.weight is None or bn.running_mean is None:
                raise ValueError(f"batch norm {k} is not an affine BatchNorm2d({c}) with "
                                 "running statistics")
            bn.weight.copy_(w[f"bn{k}_weight"])
            bn.bias.copy_(w[f"bn{k}_bias"])
            bn.running_mean.copy_(w[f"bn{k}_mean"])
            bn.running_var.copy_(w[f"bn{k}_var"])
        if zero_last:
            norms[1].weight.zero_()
            norms[1].bias.zero_()
    return [type(m).__name__ for m in order]


# --------------------------------------------------------------------------- shapes

def _probe_forward(model, input_shape, handles):
    """One forward pass of zeros in eval mode without gradients, for the forward ``handles``
    (hooks) to record; then the model's mode is restored and the hooks removed."""
    torch = _torch()
    was = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(torch.zeros(input_shape, device=_first_device(model)))
    finally:
        model.train(was)
        for h in handles:
            h.remove()


def _leaf_modules(model):
    return [(n, m) for n, m in model.named_modules() if not list(m.children())]


def layer_table(model, input_shape=(1, 1, 16, 16), count_fn=None, show=True):
    """Output shape (and parameter count) of every layer, in the order they run.

    Runs the model once on zeros of ``input_shape`` (eval mode, no gradients,
    mode restored) with a forward hook on every leaf module.

    Parameters
    ----------
    model : torch.nn.Module
    input_shape : tuple of int
    count_fn : callable, optional
        ``count_fn(module) -> int``, e.g. your ``count_parameters``; gives the
        parameter column (left out without it).
    show : bool
        Print the table.

    Returns
    -------
    list of dict
        ``{"name", "type", "output_shape", "params"}`` per call, in call order.
    """
    torch = _torch()
    rows = []
    names = {id(m): n for n, m in _leaf_modules(model)}
    counted = set()

    def hook(module, inputs, output):
        params = None
        if count_fn is not None and id(module) not in counted:
            counted.add(id(module))
            params = count_fn(module)
        shape = tuple(output.shape) if hasattr(output, "shape") else None
        rows.append({"name": names.get(id(module), "?"), "type": type(module).__name__,
                     "output_shape": shape, "params": params})

    handles = [m.register_forward_hook(hook) for _, m in _leaf_modules(model)]
    _probe_forward(model, input_shape, handles)
    if show:
        header = ["layer", "type", "output shape"] + (["parameters"] if count_fn else [])
        lines = [[r["name"], r["type"], " × ".join(map(str, r["output_shape"][1:]))
                  if r["output_shape"] else "-"]
                 + ([str(r["params"]) if r["params"] is not None else "(shared)"]
                    if count_fn else []) for r in rows]
        lines.insert(0, ["input", "", " × ".join(map(str, input_shape[1:]))]
                     + ([""] if count_fn else []))
        widths = [max(len(str(x)) for x in col) for col in zip(header, *lines)]
        print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
        print("  ".join("-" * w for w in widths))
        for line in lines:
            print("  ".join(str(x).ljust(w) for x, w in zip(line, widths)))
        if count_fn is not None:
            total = sum(r["params"] or 0 for r in rows)
            print(f"total over the layers: {total}")
    return rows


# --------------------------------------------------------------------------- training

class _ProgressLoader:
    """A loader that advances a progress bar for every batch it yields."""

    def __init__(self, loader, bar):
        self._loader, self._bar = loader, bar

    def __iter__(self):
        for batch in self._loader:
            yield batch
            self._bar.update(1)

    def __len__(self):
        return len(self._loader)

    def __getattr__(self, name):
        return getattr(self._loader, name)


def fit(model, loaders, train_epoch, evaluate, optimizer, epochs, device="cpu", scheduler=None,
        desc="training", progress_bar=True):
    """Train for ``epochs`` epochs with *your* ``train_epoch`` and ``evaluate``.

    Every epoch: ``train_loss = train_epoch(model, loaders["train"], optimizer,
    device)``, then ``scheduler.step()`` if given, then ``val_loss, val_acc =
    evaluate(model, loaders["val"], device)``. A ``tqdm`` bar advances with
    every training batch and shows the latest numbers.

    Returns
    -------
    dict
        ``"train_loss"``, ``"val_loss"``, ``"val_acc"``: one float per epoch;
        ``"seconds"``: total wall-clock time.
    """
    import time

    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    start = time.perf_counter()
    bar = progress(total=epochs * len(loaders["train"]), desc=desc, disable=not progress_bar)
    try:
        for _ in range(int(epochs)):
            train_loss = float(train_epoch(model, _ProgressLoader(loaders["train"], bar),
                                           optimizer, device))
            if scheduler is not None:
                scheduler.step()
            val_loss, val_acc = evaluate(model, loaders["val"], device)
            history["train_loss"].append(train_loss)
            history["val_loss"].append(float(val_loss))
            history["val_acc"].append(float(val_acc))
            bar.set_postfix({"train loss": f"{train_loss:.3f}", "val loss": f"{val_loss:.3f}",
                             "val acc": f"{val_acc:.3f}"})
    finally:
        bar.close()
    history["seconds"] = time.perf_counter() - start
    return history


def predict(model, X, device="cpu", batch_size=512):
    """``argmax`` of the model's logits for every image of ``X`` (eval mode, no gradients).

    Returns
    -------
    torch.Tensor of int64, shape ``(N,)``, on the CPU
    """
    torch = _torch()
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(X), batch_size):
            out.append(model(X[i:i + batch_size].to(device)).argmax(dim=1).cpu())
    return torch.cat(out) if out else torch.zeros(0, dtype=torch.int64)


def probabilities(model, X, device="cpu"):
    """Softmax of the model's logits for a batch ``X`` (eval mode, no gradients), on the CPU."""
    torch = _torch()
    model.eval()
    with torch.no_grad():
        return torch.softmax(model(X.to(device)), dim=1).cpu()


# --------------------------------------------------------------------------- figures

def _img(t):
    """A tensor ``(1, H, W)``, ``(C, H, W)`` or ``(H, W)`` as an array for ``imshow``."""
    a = t.detach().cpu().numpy() if hasattr(t, "detach") else np.asarray(t)
    if a.ndim == 3:
        a = a[0] if a.shape[0] == 1 else np.transpose(a, (1, 2, 0))
    return a


def show_digits(X, y, n=12, predicted=None, ncols=12, size=1.1):
    """Show the first ``n`` images of ``X`` ``(N, 1, H, W)`` with their labels (true → predicted)."""
    plt = _plt()
    n = min(n, len(X))
    ncols = min(ncols, n)
    nrows = int(math.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, 1.2 * size * nrows),
                             squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k >= n:
            continue
        ax.imshow(_img(X[k]), cmap="gray", vmin=0, vmax=1)
        title = str(int(y[k])) if predicted is None else f"{int(y[k])} → {int(predicted[k])}"
        color = "k" if predicted is None or int(y[k]) == int(predicted[k]) else "C3"
        ax.set_title(title, fontsize=9, color=color)
    fig.tight_layout()
    return fig


def plot_history(history, title=None):
    """Loss (train and validation) and validation accuracy per epoch, from :func:`fit`."""
    plt = _plt()
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
    epochs = np.arange(1, len(history["train_loss"]) + 1)
    axes[0].plot(epochs, history["train_loss"], "o-", label="train (mean over the epoch)")
    axes[0].plot(epochs, history["val_loss"], "o-", label="validation (end of epoch)")
    axes[0].set_yscale("log")
    axes[0].set_xlabel("epoch")
    axes[0].set_ylabel("cross-entropy")
    axes[0].legend()
    axes[1].plot(epochs, history["val_acc"], "o-", color="C1")
    axes[1].set_xlabel("epoch")
    axes[1].set_ylabel("validation accuracy")
    lo = min(history["val_acc"]) if history["val_acc"] else 0.0
    axes[1].set_ylim(max(0.0, min(0.9, lo - 0.02)), 1.0)
    for ax in axes:
        ax.grid(alpha=0.3)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_filters(weight, ncols=8, size=1.1, title=None):
    """Show conv filters ``(K, C, kh, kw)``: one panel per filter (channel 0 when C > 1, gray
    for C = 1), each with its own symmetric colour scale (red positive, blue negative)."""
    plt = _plt()
    w = weight.detach().cpu().numpy() if hasattr(weight, "detach") else np.asarray(weight)
    k = w.shape[0]
    ncols = min(ncols, k)
    nrows = int(math.ceil(k / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        if i >= k:
            ax.axis("off")
            continue
        f = w[i, 0]
        lim = np.abs(f).max() or 1.0
        ax.imshow(f, cmap="RdBu_r", vmin=-lim, vmax=lim)
        ax.set_title(f"{i}", fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def receptive_field(model, layer, input_shape=(1, 1, 16, 16)):
    """Size, stride and offset of the receptive field of the units of ``layer``'s output.

    Walks the ``Conv2d``, ``MaxPool2d`` and ``AvgPool2d`` modules in the order a
    forward pass calls them, up to and including ``layer``, with the notes'
    arithmetic: a layer with kernel ``k``, stride ``s`` and padding ``p``
    grows the field by ``(k − 1)·j`` and multiplies the jump ``j`` by ``s``.
    For a residual block this counts the longer (residual) path.

    Returns
    -------
    size : int
        Side of the receptive field in input pixels.
    jump : int
        Input pixels between two neighbouring units.
    start : float
        Input coordinate (row or column index) of the centre of unit 0.
    """
    torch = _torch()
    from torch import nn

    types = (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)
    order, done = [], [False]

    def pre(module, inputs):
        if not done[0] and isinstance(module, types) and not any(module is o for o in order):
            order.append(module)

    def post(module, inputs, output):
        if module is layer:
            done[0] = True

    handles = [m.register_forward_pre_hook(pre) for m in model.modules()]
    handles += [layer.register_forward_hook(post)]
    _probe_forward(model, input_shape, handles)

    def first(v):
        return v[0] if isinstance(v, (tuple, list)) else v

    size, jump, start = 1, 1, 0.0
    for m in order:
        k, s, p = first(m.kernel_size), first(m.stride), first(m.padding)
        d = first(getattr(m, "dilation", 1))
        k_eff = d * (k - 1) + 1
        start = start + ((k_eff - 1) / 2 - p) * jump
        size = size + (k_eff - 1) * jump
        jump = jump * s
    return size, jump, start


def top_activating_patches(model, layer, images, channels, k=6, device="cpu"):
    """For each channel of ``layer``'s output, the ``k`` input patches that excite it most.

    Every image goes through the model once (eval mode, no gradients); a forward
    hook keeps ``layer``'s output ``(N, K, h, w)``. For each channel, the unit
    with the largest activation is found in every image, the images are ranked
    by it and, for the ``k`` best, the receptive field of that unit
    (:func:`receptive_field`) is cut out of the input (zero outside the image).

    Returns
    -------
    patches : ndarray, shape ``(len(channels), k, r, r)``
    values : ndarray, shape ``(len(channels), k)``
        The activations.
    """
    torch = _torch()
    size, jump, start = receptive_field(model, layer, (1,) + tuple(images.shape[1:]))
    store = {}
    handle = layer.register_forward_hook(lambda m, i, o: store.__setitem__("out", o.detach()))
    model.eval()
    try:
        with torch.no_grad():
            model(images.to(device))
    finally:
        handle.remove()
    acts = store["out"].cpu()
    n, _, h, w = acts.shape
    img = images[:, 0].cpu().numpy()
    H, W = img.shape[1:]
    pad = size
    padded = np.pad(img, ((0, 0), (pad, pad), (pad, pad)))
    patches = np.zeros((len(channels), k, size, size))
    values = np.zeros((len(channels), k))
    for ci, c in enumerate(channels):
        flat = acts[:, c].reshape(n, -1)
        best, where = flat.max(dim=1)
        order = torch.argsort(best, descending=True)[:k]
        for r, idx in enumerate(order.tolist()):
            i, j = divmod(int(where[idx]), w)
            top = int(round(start + i * jump - (size - 1) / 2)) + pad
            left = int(round(start + j * jump - (size - 1) / 2)) + pad
            patches[ci, r] = padded[idx, top:top + size, left:left + size]
            values[ci, r] = float(best[idx])
    return patches, values


def show_patches(patches, values=None, channels=None, size=0.9, title=None):
    """Grid of patches ``(rows, k, r, r)`` from :func:`top_activating_patches`."""
    plt = _plt()
    rows, k = patches.shape[:2]
    fig, axes = plt.subplots(rows, k, figsize=(size * k + 0.8, size * rows), squeeze=False)
    for r in range(rows):
        for c in range(k):
            ax = axes[r, c]
            ax.imshow(patches[r, c], cmap="gray", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            if c == 0 and channels is not None:
                ax.set_ylabel(f"ch {channels[r]}", fontsize=8)
            if values is not None:
                ax.set_title(f"{values[r, c]:.1f}", fontsize=7)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_saliency(images, maps, titles=None, size=1.6, signed=()):
    """Images in the first column, one saliency map per further column.

    Parameters
    ----------
    images : sequence of tensors ``(C, H, W)``
    maps : dict of str to sequence of tensors ``(H, W)`` or ``(C, H, W)``
        Column title → one map per image (a ``(C, H, W)`` map is shown
        channel 0, or as RGB for 3 channels). Maps are upsampled to the image
        size (nearest) when smaller, e.g. occlusion maps.
    titles : sequence of str, optional
        Row titles (e.g. the labels).
    signed : sequence of str
        Column titles whose maps are signed: shown with a symmetric red–blue
        scale; the others with a sequential one from 0 to their maximum.
    """
    plt = _plt()
    n, cols = len(images), 1 + len(maps)
    fig, axes = plt.subplots(n, cols, figsize=(size * cols, size * n), squeeze=False)
    for r in range(n):
        img = _img(images[r])
        axes[r, 0].imshow(img, cmap="gray", vmin=0, vmax=1)
        if titles is not None:
            axes[r, 0].set_ylabel(titles[r], fontsize=9)
        for c, (name, col) in enumerate(maps.items(), 1):
            m = col[r]
            m = m.detach().cpu().numpy() if hasattr(m, "detach") else np.asarray(m)
            if m.ndim == 3:
                m = m[0]
            if m.shape != img.shape[:2]:
                m = np.kron(m, np.ones((max(1, img.shape[0] // m.shape[0]),
                                        max(1, img.shape[1] // m.shape[1]))))
            ax = axes[r, c]
            if name in signed:
                lim = np.abs(m).max() or 1.0
                ax.imshow(m, cmap="RdBu_r", vmin=-lim, vmax=lim)
            else:
                ax.imshow(m, cmap="hot", vmin=0, vmax=m.max() if m.max() > 0 else 1.0)
            if r == 0:
                ax.set_title(name, fontsize=9)
    for ax in axes.flat:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def show_images_row(images, titles=None, size=1.6, title=None, cmap="gray", signed=False):
    """Tensors ``(C, H, W)`` side by side, each on its own scale (``signed``: symmetric red–blue)."""
    plt = _plt()
    n = len(images)
    fig, axes = plt.subplots(1, n, figsize=(size * n, size + 0.4), squeeze=False)
    for k, ax in enumerate(axes[0]):
        a = _img(images[k])
        if signed:
            lim = np.abs(a).max() or 1.0
            ax.imshow(a, cmap="RdBu_r", vmin=-lim, vmax=lim)
        else:
            ax.imshow(a, cmap=cmap)
        ax.axis("off")
        if titles is not None:
            ax.set_title(titles[k], fontsize=9)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_adversarial(images, adversarial, labels, clean_pred, adv_pred, clean_prob=None,
                     adv_prob=None, size=1.6, title=None):
    """One row per example: the image, the perturbation (magnified), the adversarial image.

    The perturbation ``adversarial − image`` is shown on a symmetric red–blue
    scale stretched to its own maximum, so a change of ±ε looks as strong as
    the image itself; the title gives the true factor.
    """
    plt = _plt()
    n = len(images)
    fig, axes = plt.subplots(n, 3, figsize=(size * 3 + 0.6, size * n + 0.3), squeeze=False)
    for r in range(n):
        x, xa = _img(images[r]), _img(adversarial[r])
        delta = xa - x
        lim = float(np.abs(delta).max()) or 1.0
        axes[r, 0].imshow(x, cmap="gray", vmin=0, vmax=1)
        axes[r, 1].imshow(delta, cmap="RdBu_r", vmin=-lim, vmax=lim)
        axes[r, 2].imshow(xa, cmap="gray", vmin=0, vmax=1)
        p0 = "" if clean_prob is None else f" ({float(clean_prob[r]):.2f})"
        p1 = "" if adv_prob is None else f" ({float(adv_prob[r]):.2f})"
        axes[r, 0].set_title(f"label {int(labels[r])}, pred {int(clean_pred[r])}{p0}", fontsize=8)
        axes[r, 1].set_title(f"perturbation ×{1 / lim:.0f}", fontsize=8)
        color = "C3" if int(adv_pred[r]) != int(labels[r]) else "k"
        axes[r, 2].set_title(f"pred {int(adv_pred[r])}{p1}", fontsize=8, color=color)
    for ax in axes.flat:
        ax.set_xticks([])
        ax.set_yticks([])
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def fgsm_figure(fgsm_fn, model, images, labels, epsilon, index, device="cpu"):
    """Image ``index``, its FGSM perturbation (magnified) and the adversarial image at ``epsilon``,
    with the model's probabilities for all classes before and after."""
    torch = _torch()
    plt = _plt()
    x = images[index].to(device)
    label = int(labels[index])
    adv = fgsm_fn(model, x, label, float(epsilon))
    p_clean = probabilities(model, x[None], device)[0]
    p_adv = probabilities(model, adv[None].to(device), device)[0]
    fig, axes = plt.subplots(1, 4, figsize=(12, 2.9),
                             gridspec_kw={"width_ratios": [1, 1, 1, 1.8]})
    delta = (adv.detach().cpu() - x.cpu())[0].numpy()
    lim = float(np.abs(delta).max()) or 1.0
    axes[0].imshow(_img(x), cmap="gray", vmin=0, vmax=1)
    axes[0].set_title(f"label {label}: p = {float(p_clean[label]):.2f}", fontsize=9)
    axes[1].imshow(delta, cmap="RdBu_r", vmin=-lim, vmax=lim)
    axes[1].set_title(f"perturbation (±{float(epsilon):.3f}, shown ×{1 / lim:.0f})", fontsize=9)
    axes[2].imshow(_img(adv), cmap="gray", vmin=0, vmax=1)
    pred = int(torch.argmax(p_adv))
    axes[2].set_title(f"adversarial: pred {pred}, p = {float(p_adv[pred]):.2f}", fontsize=9,
                      color="C3" if pred != label else "k")
    for ax in axes[:3]:
        ax.set_xticks([])
        ax.set_yticks([])
    classes = np.arange(len(p_clean))
    axes[3].bar(classes - 0.2, p_clean.numpy(), width=0.4, label="clean")
    axes[3].bar(classes + 0.2, p_adv.numpy(), width=0.4, label="adversarial")
    axes[3].set_xticks(classes)
    axes[3].set_ylim(0, 1)
    axes[3].set_xlabel("class")
    axes[3].set_ylabel("probability")
    axes[3].legend(fontsize=8)
    fig.tight_layout()
    return fig


def fgsm_widget(fgsm_fn, model, images, labels, epsilon=0.1, max_epsilon=0.5, device="cpu"):
    """Interactive FGSM: sliders for ``epsilon`` and the image; redraws on release.

    The figure of :func:`fgsm_figure` is rendered to a PNG shown in an
    ``ipywidgets.Image`` (no ``Output`` capture: running the notebook headless
    never waits on it). An error in ``fgsm_fn`` is shown as text.

    Returns
    -------
    ipywidgets.VBox
    """
    import ipywidgets as widgets

    plt = _plt()
    style = {"description_width": "initial"}
    eps = widgets.FloatSlider(value=epsilon, min=0.0, max=max_epsilon, step=0.01,
                              description="epsilon", continuous_update=False, style=style,
                              readout_format=".2f")
    idx = widgets.IntSlider(value=0, min=0, max=len(images) - 1, description="image",
                            continuous_update=False, style=style)
    picture = widgets.Image(format="png")
    message = widgets.HTML()

    def draw(change=None):
        try:
            fig = fgsm_figure(fgsm_fn, model, images, labels, eps.value, idx.value, device)
        except NotImplementedError:
            message.value = "Not implemented yet: finish <code>fgsm_attack</code> above."
            return
        except Exception as err:  # show the student's error, keep the widget alive
            plt.close("all")
            message.value = f"<code>{type(err).__name__}: {err}</code>"
            return
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=72)
        plt.close(fig)
        picture.value = buffer.getvalue()
        message.value = ""

    eps.observe(draw, names="value")
    idx.observe(draw, names="value")
    draw()
    return widgets.VBox([widgets.HBox([eps, idx]), message, picture])


# --------------------------------------------------------------------------- transfer

def _reset_head(model):
    """Re-initialise the last ``nn.Linear`` of ``model``; return it (None if there is none)."""
    from torch import nn

    head = None
    for m in model.modules():
        if isinstance(m, nn.Linear):
            head = m
    if head is not None:
        head.reset_parameters()
    return head


def _keep_eval(module, inputs):
    module.training = False


def _freeze_all_but(model, head):
    """Freeze every parameter except ``head``'s; batch norms outside it stay in eval mode.

    A frozen batch norm keeps the source task's running statistics: a forward
    pre-hook switches it to eval mode on every call, even inside
    ``model.train()``, so the features are the same in training and evaluation.
    """
    from torch import nn

    head_params = {id(p) for p in head.parameters()}
    for p in model.parameters():
        p.requires_grad_(id(p) in head_params)
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.register_forward_pre_hook(_keep_eval)


def _train_steps(model, loader, train_epoch, optimizer, device, steps):
    epochs = max(1, int(math.ceil(steps / max(1, len(loader)))))
    for _ in range(epochs):
        train_epoch(model, loader, optimizer, device)


def transfer_experiment(build_model, train_epoch, evaluate, label_counts=(5, 10, 20, 50, 100),
                        pretrain_epochs=5, steps=40, batch_size=32, lr=3e-3, repeats=3,
                        device="cpu", seed=0, progress_bar=True):
    """Transfer from digits 0–4 to digits 5–9 with few labels, against training from scratch.

    1. **Source task.** ``build_model(num_classes=5)`` is trained on every
       training image of digits 0–4 (labels 0–4) for ``pretrain_epochs`` epochs
       with Adam.
    2. **Target task**: digits 5–9, relabelled 0–4. For every number of labels
       ``n`` in ``label_counts`` (``n/5`` per digit, drawn at random) and every
       repeat, three models are trained for about ``steps`` Adam steps and
       evaluated on all test images of digits 5–9 with your ``evaluate``:

       - ``"scratch"``: a fresh ``build_model(num_classes=5)``;
       - ``"fine-tune"``: a copy of the source model with its last
         ``nn.Linear`` re-initialised, every parameter trained (the notes'
         *fine-tuning*);
       - ``"features"``: the same, but only the new last layer is trained (the
         notes' *feature extraction*); the frozen batch norms keep the source
         task's running statistics (they run in eval mode).

    Parameters
    ----------
    build_model, train_epoch, evaluate : callable
        Your graded functions.
    label_counts : sequence of int
        Numbers of labelled target images (multiples of 5).
    pretrain_epochs, steps, batch_size : int
    lr : float
    repeats : int
        Random label subsets per count; accuracies are averaged.
    device : str
    seed : int
    progress_bar : bool

    Returns
    -------
    dict
        ``"labels"``: the counts; ``"scratch"``, ``"fine-tune"``,
        ``"features"``: mean test accuracy per count; ``"source_acc"``: the
        source model's accuracy on the test images of digits 0–4.
    """
    torch = _torch()
    X_train, y_train, X_val, y_val, X_test, y_test = load_digits_tensors()
    src_tr, src_te = y_train < 5, y_test < 5
    tgt_tr, tgt_te = y_train >= 5, y_test >= 5
    Xs, ys = X_train[src_tr], y_train[src_tr]
    Xt, yt = X_train[tgt_tr], y_train[tgt_tr] - 5
    test_src = make_loader(X_test[src_te], y_test[src_te], 256)
    test_tgt = make_loader(X_test[tgt_te], y_test[tgt_te] - 5, 256)

    total = 1 + len(label_counts) * repeats * 3
    bar = progress(total=total, desc="transfer", disable=not progress_bar)
    try:
        seed_everything(seed)
        source = build_model(num_classes=5).to(device)
        opt = make_optimizer(source, "adam", lr)
        loader = make_loader(Xs, ys, 64, shuffle=True, seed=seed)
        for _ in range(int(pretrain_epochs)):
            train_epoch(source, loader, opt, device)
        source_acc = float(evaluate(source, test_src, device)[1])
        bar.update(1)

        results = {"labels": [int(n) for n in label_counts], "scratch": [], "fine-tune": [],
                   "features": [], "source_acc": source_acc}
        for n in label_counts:
            accs = {"scratch": [], "fine-tune": [], "features": []}
            for r in range(int(repeats)):
                run_seed = seed + 1000 * r + int(n)
                Xn, yn = class_subset(Xt, yt, range(5), max(1, int(n) // 5), seed=run_seed)
                small = make_loader(Xn, yn, batch_size, shuffle=True, seed=run_seed)
                for mode in ("scratch", "fine-tune", "features"):
                    seed_everything(run_seed)
                    if mode == "scratch":
                        model = build_model(num_classes=5).to(device)
                    else:
                        model = copy.deepcopy(source)
                        head = _reset_head(model)
                        if mode == "features" and head is not None:
                            _freeze_all_but(model, head)
                    opt = make_optimizer(model, "adam", lr)
                    _train_steps(model, small, train_epoch, opt, device, steps)
                    accs[mode].append(float(evaluate(model, test_tgt, device)[1]))
                    bar.update(1)
            for mode, v in accs.items():
                results[mode].append(float(np.mean(v)))
            bar.set_postfix({"labels": n, **{k: f"{v[-1]:.2f}" for k, v in results.items()
                                             if isinstance(v, list) and k != "labels"}})
    finally:
        bar.close()
    return results


def plot_transfer(results, ax=None):
    """Test accuracy on digits 5–9 against the number of labels, from :func:`transfer_experiment`."""
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 4))
    n = results["labels"]
    styles = {"scratch": ("o-", "from scratch"),
              "fine-tune": ("s-", "pretrained on 0–4, fine-tuned"),
              "features": ("^--", "pretrained on 0–4, last layer only")}
    for key, (style, label) in styles.items():
        if key in results:
            ax.plot(n, results[key], style, label=label)
    ax.set_xscale("log")
    ax.set_xticks(n)
    ax.set_xticklabels([str(v) for v in n])
    ax.set_xlabel("labelled training images of digits 5–9")
    ax.set_ylabel("test accuracy on digits 5–9")
    ax.axhline(0.2, color="gray", lw=1, ls=":", label="chance")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend()
    return ax
