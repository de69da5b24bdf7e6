"""Figures: image grids, kernels shown as heat maps, simple line plots."""

import numpy as np


def _plt():
    import matplotlib.pyplot as plt

    return plt


def show_images(images, titles=None, ncols=None, cmap="gray", size=3.0, vmin=None, vmax=None,
                suptitle=None):
    """Show images side by side in a grid.

    Parameters
    ----------
    images : sequence of ndarray
        Gray ``(H, W)`` or RGB ``(H, W, 3)`` images. Gray images are shown with
        ``cmap``; floats are clipped to [0, 1] unless ``vmin``/``vmax`` are given.
    titles : sequence of str, optional
    ncols : int, optional
        Columns of the grid (default: all in one row, at most 6).
    size : float
        Inches per panel.

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = _plt()
    images = list(images)
    n = len(images)
    ncols = ncols or min(n, 6)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows), squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k >= n:
            continue
        img = np.asarray(images[k])
        if img.ndim == 3:
            ax.imshow(np.clip(img, 0, 1) if vmin is None else img)
        else:
            ax.imshow(img, cmap=cmap, vmin=0 if vmin is None and img.min() >= 0 and img.max() <= 1 else vmin,
                      vmax=1 if vmax is None and img.min() >= 0 and img.max() <= 1 else vmax)
        if titles is not None and k < len(titles):
            ax.set_title(titles[k], fontsize=10)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


def show_kernel(kernel, ax=None, title=None, annotate=True):
    """Show a small 2-D kernel as a heat map with its values written in the cells."""
    plt = _plt()
    kernel = np.asarray(kernel, dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(0.5 * kernel.shape[1] + 1.5, 0.5 * kernel.shape[0] + 1.0))
    lim = np.abs(kernel).max() or 1.0
    ax.imshow(kernel, cmap="RdBu_r", vmin=-lim, vmax=lim)
    if annotate and kernel.size <= 81:
        for (i, j), v in np.ndenumerate(kernel):
            ax.text(j, i, f"{v:.2g}", ha="center", va="center", fontsize=8)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    return ax


def plot_lines(x, series, xlabel="", ylabel="", title=None, logy=False, ax=None, marker="o"):
    """Plot several named series against ``x``.

    Parameters
    ----------
    x : sequence of float
    series : dict of str to sequence of float
    """
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    for name, ys in series.items():
        ax.plot(x, ys, marker=marker, label=name)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend()
    ax.grid(alpha=0.3)
    return ax
