"""HW5 helpers, part 1 (generative models): data, models, training loops and figures.

Nothing here implements a graded function of any homework. The training loops
take *your* ``reparameterize``, ``vae_loss``, ``discriminator_loss``,
``generator_loss`` and ``nt_xent_loss`` as arguments; the figures take what your
functions returned.

- **data**: the 8×8 digits of ``sklearn.datasets.load_digits`` as tensors in
  [0, 1] (:func:`load_digits_tensors`), a ring-shaped 2-D mixture of Gaussians
  (:func:`gaussian_mixture`), random augmentations of digit images
  (:func:`augment_digits`);
- **models**: a small fully connected VAE (:class:`DigitsVAE`), the GAN's
  generator and discriminator (:func:`make_gan`), a contrastive encoder
  (:func:`make_encoder`);
- **training loops** (ungraded): :func:`train_vae`, :func:`train_gan`,
  :func:`train_contrastive`;
- **figures**: digit grids, reconstructions, latent interpolations, GAN samples
  over training, loss curves, a 2-D latent space;
- **test fixtures**: :func:`seed_everything`, :func:`make_generator`,
  :func:`as_numpy`.
"""

import functools

import numpy as np

from helpers.training import progress


def _torch():
    import torch

    return torch


def _plt():
    import matplotlib.pyplot as plt

    return plt


# --------------------------------------------------------------------------- fixtures

class single_thread:
    """Context manager: torch on one CPU thread (faster for tiny models on a busy machine)."""

    def __enter__(self):
        torch = _torch()
        self.threads = torch.get_num_threads()
        torch.set_num_threads(1)
        return self

    def __exit__(self, *exc):
        _torch().set_num_threads(self.threads)
        return False


def cpu_single_thread(fn):
    """Decorator: run a training loop of tiny models on one CPU thread (GPU runs unchanged)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if str(kwargs.get("device", "cpu")).startswith("cuda"):
            return fn(*args, **kwargs)
        with single_thread():
            return fn(*args, **kwargs)

    return wrapper


# The seeding fixtures are HW3's (one definition; tests call them by this module's name).
from helpers.cnn import make_generator, seed_everything  # noqa: E402,F401


def as_numpy(actual, what="output"):
    """A returned tensor or array (any device, with or without grad) as float64 NumPy.

    Fails with a message naming ``what`` when ``actual`` is None or not numbers.
    """
    if actual is None:
        raise AssertionError(f"{what}: got None; did you forget to return the result?")
    if hasattr(actual, "detach") and hasattr(actual, "cpu"):
        actual = actual.detach().cpu().numpy()
    try:
        return np.asarray(actual, dtype=np.float64)
    except (TypeError, ValueError):
        raise AssertionError(f"{what}: expected a tensor of numbers, got "
                             f"{type(actual).__name__}") from None


# --------------------------------------------------------------------------- data

@functools.lru_cache(maxsize=2)
def _digits(seed):
    from sklearn.datasets import load_digits

    digits = load_digits()
    X = (digits.images / 16.0).astype(np.float32)[:, None]
    y = digits.target.astype(np.int64)
    perm = np.random.default_rng(seed).permutation(len(X))
    return X[perm], y[perm]


def load_digits_tensors(seed=0, n_test=297):
    """The 1797 digits of ``sklearn.datasets.load_digits`` as tensors, split in two.

    Returns
    -------
    X_train, y_train, X_test, y_test
        Images ``(N, 1, 8, 8)`` float32 in [0, 1] (the 0–16 gray levels divided
        by 16), labels ``(N,)`` int64. 1500 training and 297 test images, in a
        fixed order that depends on ``seed``.
    """
    torch = _torch()
    X, y = _digits(int(seed))
    X, y = torch.from_numpy(X.copy()), torch.from_numpy(y.copy())
    return X[n_test:], y[n_test:], X[:n_test], y[:n_test]


def mixture_centers(n_modes=8, radius=2.0):
    """The ``(n_modes, 2)`` centres of :func:`gaussian_mixture`, evenly spaced on a circle."""
    angles = 2 * np.pi * np.arange(n_modes) / n_modes
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def gaussian_mixture(n, n_modes=8, radius=2.0, std=0.05, seed=0):
    """``n`` samples ``(n, 2)`` float32 from a ring of ``n_modes`` equal Gaussians.

    The classic mode-collapse benchmark: a generator that covers one or two of the
    modes fools a weak discriminator for a while.
    """
    torch = _torch()
    rng = np.random.default_rng(seed)
    centers = mixture_centers(n_modes, radius)
    which = rng.integers(0, n_modes, size=n)
    points = centers[which] + std * rng.standard_normal((n, 2))
    return torch.tensor(points, dtype=torch.float32)


def augment_digits(x, generator=None, max_shift=1, noise=0.1, drop=0.15):
    """A random view of a batch of digits ``(N, 1, H, W)``: a small random zoom and turn,
    dropped pixels, noise.

    Each image is scaled by a factor in [0.85, 1.15] and turned by up to 15° about its
    centre (``torch.nn.functional.grid_sample``, zeros outside; ``max_shift`` pixels of
    random offset at most), a fraction ``drop`` of its pixels is set to 0 and Gaussian
    noise of standard deviation ``noise`` is added; values are clipped to [0, 1]. Two
    calls give two *views* of the same digits, the positive pairs of contrastive learning.
    """
    torch = _torch()
    import torch.nn.functional as F

    n, _, h, w = x.shape
    scale = 0.85 + 0.3 * torch.rand(n, generator=generator)
    angle = (torch.rand(n, generator=generator) - 0.5) * (torch.pi / 6)
    offset = (torch.rand(n, 2, generator=generator) - 0.5) * 2 * max_shift
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin, offset[:, 0] * 2 / w], 1),
                         torch.stack([sin, cos, offset[:, 1] * 2 / h], 1)], 1)
    grid = F.affine_grid(theta.to(x.dtype).to(x.device), list(x.shape), align_corners=False)
    out = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    keep = (torch.rand(x.shape, generator=generator) >= drop).to(x.dtype)
    out = out * keep.to(x.device) + noise * torch.randn(x.shape, generator=generator).to(x.device)
    return out.clamp(0.0, 1.0)


# --------------------------------------------------------------------------- models

def _nn():
    import torch.nn as nn

    return nn


class DigitsVAE(_nn().Module):
    """A fully connected VAE for 8×8 digits.

    ``encode(x)`` maps images ``(N, 1, 8, 8)`` to ``(mu, logvar)``, each
    ``(N, latent_dim)``; ``decode(z)`` maps latents to pixel *logits*
    ``(N, 1, 8, 8)`` (apply ``torch.sigmoid`` for the image). The sampling step in
    between is yours: ``z = reparameterize(mu, logvar, eps)``.
    """

    def __init__(self, latent_dim=2, hidden=128):
        nn = _nn()
        super().__init__()
        self.latent_dim = latent_dim
        self.encoder = nn.Sequential(nn.Flatten(), nn.Linear(64, hidden), nn.ReLU(),
                                     nn.Linear(hidden, hidden), nn.ReLU(),
                                     nn.Linear(hidden, 2 * latent_dim))
        self.decoder = nn.Sequential(nn.Linear(latent_dim, hidden), nn.ReLU(),
                                     nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 64))

    def encode(self, x):
        h = self.encoder(x)
        return h[:, :self.latent_dim], h[:, self.latent_dim:]

    def decode(self, z):
        return self.decoder(z).view(-1, 1, 8, 8)


def make_gan(latent_dim=2, hidden=64, seed=0, device="cpu"):
    """``(generator, discriminator)``: two small MLPs for 2-D data.

    The generator maps noise ``(N, latent_dim)`` to points ``(N, 2)``; the
    discriminator maps points to one *logit* each, shape ``(N,)``.
    """
    torch = _torch()
    nn = _nn()
    torch.manual_seed(seed)

    class Discriminator(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(nn.Linear(2, hidden), nn.LeakyReLU(0.2),
                                     nn.Linear(hidden, hidden), nn.LeakyReLU(0.2),
                                     nn.Linear(hidden, 1))

        def forward(self, x):
            return self.net(x)[:, 0]

    gen = nn.Sequential(nn.Linear(latent_dim, hidden), nn.ReLU(), nn.Linear(hidden, hidden),
                        nn.ReLU(), nn.Linear(hidden, 2))
    return gen.to(device), Discriminator().to(device)


def make_encoder(dim=16, hidden=128, seed=0, device="cpu"):
    """A small MLP encoder for 8×8 digits: ``(N, 1, 8, 8)`` → embeddings ``(N, dim)``."""
    torch = _torch()
    nn = _nn()
    torch.manual_seed(seed)
    return nn.Sequential(nn.Flatten(), nn.Linear(64, hidden), nn.ReLU(),
                         nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, dim)).to(device)


# --------------------------------------------------------------------------- training loops

@cpu_single_thread
def train_vae(model, X, reparameterize, vae_loss, epochs=30, batch_size=100, lr=2e-3,
              seed=0, device="cpu", show_progress=True):
    """Train a :class:`DigitsVAE` with your ``reparameterize`` and ``vae_loss``.

    Each step encodes a batch, samples ``eps`` (a seeded standard normal of the
    shape of ``mu``), decodes ``z = reparameterize(mu, logvar, eps)`` and takes an
    Adam step on the ``total`` returned by ``vae_loss(x, logits, mu, logvar)``.

    Returns
    -------
    dict of lists
        ``"total"``, ``"recon"``, ``"kl"``: the mean of each loss per epoch.
    """
    torch = _torch()
    gen = torch.Generator().manual_seed(seed)
    model.to(device).train()
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    X = X.to(device)
    history = {"total": [], "recon": [], "kl": []}
    for _ in progress(range(epochs), desc="VAE epochs", disable=not show_progress):
        perm = torch.randperm(len(X), generator=gen).to(device)
        sums = np.zeros(3)
        for start in range(0, len(X), batch_size):
            x = X[perm[start:start + batch_size]]
            mu, logvar = model.encode(x)
            eps = torch.randn(mu.shape, generator=gen).to(device)
            z = reparameterize(mu, logvar, eps)
            total, recon, kl = vae_loss(x, model.decode(z), mu, logvar)
            opt.zero_grad()
            total.backward()
            opt.step()
            sums += len(x) * np.array([total.item(), recon.item(), kl.item()])
        for key, value in zip(history, sums / len(X)):
            history[key].append(value)
    model.eval()
    return history


@cpu_single_thread
def train_gan(discriminator_loss, generator_loss, non_saturating=True, steps=2000,
              batch_size=128, lr_g=1e-3, lr_d=1e-3, latent_dim=2, snapshots=(0, 250, 500, 1000, 2000),
              n_modes=8, std=0.05, hidden=64, seed=0, device="cpu", show_progress=True):
    """Train :func:`make_gan`'s pair on :func:`gaussian_mixture` with your losses.

    Alternates one discriminator step on ``discriminator_loss(D(x), D(G(z)))`` (the
    fakes detached) and one generator step on
    ``generator_loss(D(G(z)), non_saturating=non_saturating)``, with Adam
    (``betas=(0.5, 0.999)``).

    Returns
    -------
    dict
        ``"samples"``: ``{step: (1000, 2) ndarray}`` of generator samples at the
        ``snapshots`` steps (the same noise every time); ``"d_loss"``, ``"g_loss"``:
        lists of the losses per step; ``"real"``: 1000 real samples.
    """
    torch = _torch()
    gen_model, disc = make_gan(latent_dim=latent_dim, hidden=hidden, seed=seed, device=device)
    opt_g = torch.optim.Adam(gen_model.parameters(), lr=lr_g, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(disc.parameters(), lr=lr_d, betas=(0.5, 0.999))
    g = torch.Generator().manual_seed(seed)
    data = gaussian_mixture(steps * batch_size, n_modes=n_modes, std=std, seed=seed).to(device)
    fixed = torch.randn((1000, latent_dim), generator=g).to(device)
    out = {"samples": {}, "d_loss": [], "g_loss": [],
           "real": gaussian_mixture(1000, n_modes=n_modes, std=std, seed=seed + 1).numpy()}
    snapshots = set(snapshots)
    for step in progress(range(steps + 1), desc="GAN steps", disable=not show_progress):
        if step in snapshots:
            with torch.no_grad():
                out["samples"][step] = gen_model(fixed).cpu().numpy()
        if step == steps:
            break
        real = data[step * batch_size:(step + 1) * batch_size]
        z = torch.randn((batch_size, latent_dim), generator=g).to(device)
        fake = gen_model(z)
        d_loss = discriminator_loss(disc(real), disc(fake.detach()))
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        g_loss = generator_loss(disc(fake), non_saturating=non_saturating)
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
        out["d_loss"].append(d_loss.item())
        out["g_loss"].append(g_loss.item())
    return out


def modes_covered(samples, n_modes=8, radius=2.0, std=0.05, within=4.0, min_fraction=0.02):
    """How many modes of the ring hold at least ``min_fraction`` of ``samples``.

    A sample belongs to a mode when it lies within ``within·std`` of its centre.
    Also returns the fraction of samples near *some* mode ("quality").
    """
    centers = mixture_centers(n_modes, radius)
    d = np.linalg.norm(np.asarray(samples)[:, None, :] - centers[None], axis=2)
    nearest, close = d.argmin(axis=1), d.min(axis=1) < within * std
    counts = np.bincount(nearest[close], minlength=n_modes)
    return int(np.sum(counts >= min_fraction * len(samples))), float(close.mean())


@cpu_single_thread
def train_contrastive(encoder, X, nt_xent_loss, steps=300, batch_size=128, temperature=0.5,
                      lr=1e-3, seed=0, device="cpu", show_progress=True):
    """Train ``encoder`` with your ``nt_xent_loss`` on pairs of :func:`augment_digits` views.

    Returns the list of losses, one per step.
    """
    torch = _torch()
    g = torch.Generator().manual_seed(seed)
    encoder.to(device).train()
    opt = torch.optim.Adam(encoder.parameters(), lr=lr)
    losses = []
    for _ in progress(range(steps), desc="contrastive steps", disable=not show_progress):
        idx = torch.randint(0, len(X), (batch_size,), generator=g)
        x = X[idx]
        v1 = augment_digits(x, generator=g).to(device)
        v2 = augment_digits(x, generator=g).to(device)
        loss = nt_xent_loss(encoder(v1), encoder(v2), temperature)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    encoder.eval()
    return losses


def knn_accuracy(train_features, y_train, test_features, y_test, k=5):
    """Accuracy of a ``k``-nearest-neighbour classifier with cosine similarity on features."""
    torch = _torch()
    a = torch.nn.functional.normalize(torch.as_tensor(train_features, dtype=torch.float32), dim=1)
    b = torch.nn.functional.normalize(torch.as_tensor(test_features, dtype=torch.float32), dim=1)
    nearest = (b @ a.T).topk(k, dim=1).indices
    votes = torch.as_tensor(y_train)[nearest]
    predicted = torch.mode(votes, dim=1).values
    return float((predicted == torch.as_tensor(y_test)).float().mean())


# --------------------------------------------------------------------------- figures

def _img(t):
    if hasattr(t, "detach"):
        t = t.detach().cpu().numpy()
    return np.asarray(t, dtype=float).reshape(-1, *np.asarray(t).shape[-2:])


def show_digit_grid(images, ncols=10, size=0.8, title=None, labels=None):
    """A grid of gray images ``(N, 1, H, W)`` or ``(N, H, W)`` in [0, 1]."""
    plt = _plt()
    images = _img(images)
    n = len(images)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + (0.3 if title else 0)),
                             squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k < n:
            ax.imshow(images[k], cmap="gray", vmin=0, vmax=1)
            if labels is not None:
                ax.set_title(str(labels[k]), fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_reconstructions(originals, reconstructions, titles=("input", "reconstruction"), n=10,
                         size=0.8):
    """Rows of images: originals on top, each row of ``reconstructions`` below.

    ``reconstructions`` is one batch or a dict ``{row title: batch}``.
    """
    plt = _plt()
    rows = {titles[0]: _img(originals)[:n]}
    if isinstance(reconstructions, dict):
        rows.update({k: _img(v)[:n] for k, v in reconstructions.items()})
    else:
        rows[titles[1]] = _img(reconstructions)[:n]
    fig, axes = plt.subplots(len(rows), n, figsize=(size * n + 1.2, size * len(rows)), squeeze=False)
    for r, (name, imgs) in enumerate(rows.items()):
        for c in range(n):
            ax = axes[r, c]
            ax.imshow(imgs[c], cmap="gray", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
        axes[r, 0].set_ylabel(name, rotation=0, ha="right", va="center", fontsize=9)
    fig.tight_layout()
    return fig


def plot_history(history, title=None, logy=False):
    """Loss curves: a dict ``{name: list of values}`` on one set of axes."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(5.5, 3))
    for name, values in history.items():
        ax.plot(np.arange(1, len(values) + 1), values, label=name)
    ax.set_xlabel("epoch / step")
    ax.set_ylabel("loss")
    if logy:
        ax.set_yscale("log")
    ax.legend()
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_latent_space(mu, labels, title="VAE latent means of the test digits"):
    """Scatter of 2-D latent codes coloured by digit label."""
    plt = _plt()
    mu = np.asarray(mu.detach().cpu() if hasattr(mu, "detach") else mu)
    fig, ax = plt.subplots(figsize=(4.5, 4))
    sc = ax.scatter(mu[:, 0], mu[:, 1], c=np.asarray(labels), cmap="tab10", s=8)
    fig.colorbar(sc, ax=ax, ticks=range(10))
    ax.set_xlabel("$z_1$")
    ax.set_ylabel("$z_2$")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_gan_samples(runs, real=None, n_modes=8, std=0.05, size=2.2):
    """Generator samples over training, one row per run.

    ``runs`` is ``{row title: train_gan result}``; each column is a snapshot step;
    the centres of the mixture are marked with red crosses.
    """
    plt = _plt()
    names = list(runs)
    steps = sorted(runs[names[0]]["samples"])
    fig, axes = plt.subplots(len(names), len(steps), figsize=(size * len(steps), size * len(names)),
                             squeeze=False)
    centers = mixture_centers(n_modes)
    for r, name in enumerate(names):
        for c, step in enumerate(steps):
            ax = axes[r, c]
            s = runs[name]["samples"][step]
            if real is not None:
                ax.scatter(real[:, 0], real[:, 1], s=2, c="0.8")
            ax.scatter(s[:, 0], s[:, 1], s=2, c="tab:blue")
            ax.scatter(centers[:, 0], centers[:, 1], marker="x", c="red", s=20)
            ax.set_xlim(-3, 3)
            ax.set_ylim(-3, 3)
            ax.set_xticks([])
            ax.set_yticks([])
            covered, _ = modes_covered(s, n_modes, std=std)
            ax.set_title(f"step {step}: {covered}/{n_modes} modes", fontsize=8)
        axes[r, 0].set_ylabel(name, fontsize=9)
    fig.tight_layout()
    return fig
