"""HW1 helpers: a reference Gaussian blur, aligned face pairs for hybrid images, and figures.

Nothing here implements a graded function of HW1: the figures that need a
spectrum, a log magnitude or a hybrid image take the student's function as an
argument.
"""

import math

import numpy as np

from helpers.images import load_image, resize


# --------------------------------------------------------------------------- blur

def gaussian_blur(image, sigma):
    """Blur an image with a Gaussian: the reference blur of HW1 (given, not graded).

    A thin wrapper around ``scipy.ndimage.gaussian_filter``: the Gaussian is
    truncated at 3 sigma (kernel size ``2 * ceil(3 sigma) + 1``, samples
    normalised to sum 1) and the image is extended by reflection about the
    edge pixel, without repeating it: ``np.pad(mode="reflect")``, which SciPy
    calls ``mode="mirror"`` (SciPy's ``"reflect"`` repeats the edge pixel, like
    ``np.pad(mode="symmetric")``). Multi-channel images are blurred channel by
    channel (only the first two axes are filtered).

    Parameters
    ----------
    image : ndarray, shape ``(H, W)`` or ``(H, W, C)``
        Gray or multi-channel image (any real dtype).
    sigma : float
        Standard deviation in pixels, > 0.

    Returns
    -------
    ndarray, float64, same shape as ``image``
        A new array; ``image`` is not modified.

    Raises
    ------
    ValueError
        If ``image`` is not 2-D or 3-D, or ``sigma`` is not positive.
    """
    from scipy.ndimage import gaussian_filter

    image = np.asarray(image, dtype=np.float64)
    if image.ndim not in (2, 3):
        raise ValueError(f"image must have shape (H, W) or (H, W, C), got {image.shape}")
    if not np.isscalar(sigma) or not np.isfinite(sigma) or sigma <= 0:
        raise ValueError(f"sigma must be a positive number, got {sigma!r}")
    return gaussian_filter(image, float(sigma), mode="mirror", radius=int(math.ceil(3.0 * sigma)),
                           axes=(0, 1))


# --------------------------------------------------------------------------- images

#: Eye positions ``(x, y)`` (column, row) in the full ``skimage.data`` images,
#: used to align faces for hybrid images.
FACE_LANDMARKS = {
    "astronaut": ((203.0, 103.0), (245.0, 102.0)),
    "chelsea": ((170.0, 112.0), (318.0, 130.0)),
}


def aligned_face(name, size=192, gray=False):
    """A face from ``skimage.data``, rotated and scaled so that the eyes land on fixed pixels.

    The eyes go to columns ``0.25 size`` and ``0.75 size`` of row ``0.38 size``, so
    any two faces returned for the same ``size`` are aligned.

    Parameters
    ----------
    name : {"astronaut", "chelsea"}
    size : int
        Output is ``(size, size)`` (gray) or ``(size, size, 3)``.
    gray : bool

    Returns
    -------
    ndarray, float64 in [0, 1]
    """
    from skimage.transform import SimilarityTransform, warp

    if name not in FACE_LANDMARKS:
        raise ValueError(f"no face landmarks for {name!r}; choose one of {sorted(FACE_LANDMARKS)}")
    image = load_image(name, gray=gray)
    src = np.array(FACE_LANDMARKS[name])
    dst = np.array([(0.25 * size, 0.38 * size), (0.75 * size, 0.38 * size)])
    tform = SimilarityTransform.from_estimate(src, dst) if hasattr(
        SimilarityTransform, "from_estimate") else None
    if tform is None or not tform:
        tform = SimilarityTransform()
        tform.estimate(src, dst)
    # warp maps output coordinates to input coordinates: pass the inverse.
    out = warp(image, tform.inverse, output_shape=(size, size), mode="edge", order=1)
    return np.clip(out, 0.0, 1.0)


def hybrid_pairs(size=192, gray=False):
    """Aligned image pairs for hybrid images.

    Returns
    -------
    dict of str to (ndarray, ndarray)
        ``{"astronaut + cat": (astronaut, cat), "cat + astronaut": (cat, astronaut)}``:
        the first image of a pair is meant for the low frequencies, the second
        for the high ones. Same shape, float64 in [0, 1]. The astronaut's face is
        small in the original photograph, so its crop is upsampled and smooth: it
        makes the better low-frequency image.
    """
    astronaut = aligned_face("astronaut", size, gray)
    cat = aligned_face("chelsea", size, gray)
    return {"astronaut + cat": (astronaut, cat), "cat + astronaut": (cat, astronaut)}


# --------------------------------------------------------------------------- figures

def _plt():
    import matplotlib.pyplot as plt

    return plt


def show_spectrum(images, spectrum_fn, magnitude_fn, titles=None, size=2.6):
    """Show images with the log magnitude and the phase of their centred spectra.

    One row per image: the image, ``magnitude_fn(spectrum_fn(image))`` and
    ``np.angle(spectrum_fn(image))`` (gray = 0, black = -pi, white = pi, as in
    the notes). The zero frequency is marked with a red dot.

    Parameters
    ----------
    images : ndarray or sequence of ndarray
        Gray images ``(H, W)``.
    spectrum_fn : callable
        ``spectrum_fn(image) -> complex (H, W)``, e.g. your ``centered_spectrum``.
    magnitude_fn : callable
        ``magnitude_fn(spectrum) -> (H, W)``, e.g. your ``log_magnitude``.
    titles : sequence of str, optional
        One per image.

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = _plt()
    if isinstance(images, np.ndarray) and images.ndim == 2:
        images = [images]
    images = list(images)
    titles = list(titles) if titles is not None else [""] * len(images)
    fig, axes = plt.subplots(len(images), 3, figsize=(3 * size, size * len(images)),
                             squeeze=False)
    for row, (img, title) in enumerate(zip(images, titles)):
        spec = np.asarray(spectrum_fn(img))
        panels = [(img, "gray", 0, 1, f"{title} image".strip()),
                  (np.asarray(magnitude_fn(spec)), "gray", None, None, "log magnitude"),
                  (np.angle(spec), "gray", -np.pi, np.pi, "phase")]
        for ax, (data, cmap, vmin, vmax, name) in zip(axes[row], panels):
            ax.imshow(data, cmap=cmap, vmin=vmin, vmax=vmax)
            ax.set_title(name, fontsize=10)
            ax.axis("off")
        h, w = img.shape
        for ax in axes[row, 1:]:
            ax.plot([w // 2], [h // 2], "r.", markersize=4)
    fig.tight_layout()
    return fig


def view_from_afar(image, levels=5, scale=0.5, ax=None):
    """Show an image at shrinking sizes side by side: a hybrid image seen from further away.

    Parameters
    ----------
    image : ndarray, ``(H, W)`` or ``(H, W, 3)``, values in [0, 1]
    levels : int
        Number of copies; copy ``k`` is resized (anti-aliased) by ``scale**k``.
    scale : float
        Size ratio between neighbouring copies.

    Returns
    -------
    matplotlib.axes.Axes
    """
    plt = _plt()
    image = np.clip(np.asarray(image, dtype=np.float64), 0.0, 1.0)
    h, w = image.shape[:2]
    copies = [image]
    for k in range(1, levels):
        shape = (max(1, round(h * scale ** k)), max(1, round(w * scale ** k)))
        copies.append(np.clip(resize(image, shape), 0.0, 1.0))
    gap = max(2, w // 16)
    total_w = sum(c.shape[1] for c in copies) + gap * (levels - 1)
    canvas = np.ones((h, total_w) + image.shape[2:])
    x = 0
    for c in copies:
        canvas[h - c.shape[0]:, x:x + c.shape[1]] = c   # bottom-aligned
        x += c.shape[1] + gap
    if ax is None:
        _, ax = plt.subplots(figsize=(min(14.0, 2.2 * total_w / h), 2.4))
    ax.imshow(canvas, cmap="gray", vmin=0, vmax=1)
    ax.axis("off")
    return ax


def hybrid_figure(hybrid_fn, img_low, img_high, sigma_low, sigma_high, levels=5):
    """Figure of ``hybrid_fn(img_low, img_high, sigma_low, sigma_high)``: parts and pyramid.

    Top row: the low-pass part, the high-pass part (shown as ``high + 0.5``)
    and the hybrid. Bottom row: :func:`view_from_afar` of the hybrid.

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = _plt()
    low, high, hybrid = hybrid_fn(img_low, img_high, sigma_low, sigma_high)
    fig = plt.figure(figsize=(9, 5.4))
    grid = fig.add_gridspec(2, 3, height_ratios=[1.5, 1.0])
    panels = [(low, f"low: blur(img_low), σ={sigma_low:.1f}"),
              (np.asarray(high) + 0.5, f"high + 0.5, σ={sigma_high:.1f}"),
              (hybrid, "hybrid")]
    for k, (img, title) in enumerate(panels):
        ax = fig.add_subplot(grid[0, k])
        ax.imshow(np.clip(img, 0, 1), cmap="gray", vmin=0, vmax=1)
        ax.set_title(title, fontsize=10)
        ax.axis("off")
    view_from_afar(hybrid, levels=levels, ax=fig.add_subplot(grid[1, :]))
    fig.tight_layout()
    return fig


def hybrid_widget(hybrid_fn, img_low, img_high, sigma_low=6.0, sigma_high=3.0, max_sigma=12.0):
    """Interactive hybrid image: two sliders for ``sigma_low`` and ``sigma_high``.

    The figure of :func:`hybrid_figure` is rendered to a PNG shown in an
    ``ipywidgets.Image``, redrawn when a slider is released. (No ``Output``
    widget capture: executing the notebook headless never waits on it.)

    Parameters
    ----------
    hybrid_fn : callable
        Your ``hybrid_image(img_low, img_high, sigma_low, sigma_high)``.
    img_low, img_high : ndarray
        Same shape, gray or RGB.
    sigma_low, sigma_high : float
        Initial slider values.

    Returns
    -------
    ipywidgets.VBox
        Display it (it is the last expression of a cell, or pass it to
        ``display``). It draws once when created; it never blocks.
    """
    import io

    import ipywidgets as widgets

    plt = _plt()
    style = {"description_width": "initial"}
    low = widgets.FloatSlider(value=sigma_low, min=0.5, max=max_sigma, step=0.5,
                              description="sigma_low", continuous_update=False, style=style)
    high = widgets.FloatSlider(value=sigma_high, min=0.5, max=max_sigma, step=0.5,
                               description="sigma_high", continuous_update=False, style=style)
    picture = widgets.Image(format="png")

    def draw(change=None):
        fig = hybrid_figure(hybrid_fn, img_low, img_high, low.value, high.value)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=72)
        plt.close(fig)
        picture.value = buffer.getvalue()

    low.observe(draw, names="value")
    high.observe(draw, names="value")
    draw()
    return widgets.VBox([widgets.HBox([low, high]), picture])


def show_filter_bank(kernels, row_labels=None, col_labels=None, size=1.4, cmap="RdBu_r",
                     suptitle=None):
    """Show a grid of filters (e.g. a Gabor bank: one row per wavelength, one column per angle).

    Each kernel has its own symmetric colour scale: red positive, blue negative,
    white zero.

    Parameters
    ----------
    kernels : sequence of sequence of ndarray
        ``kernels[r][c]`` is shown in row ``r``, column ``c``.
    row_labels, col_labels : sequence of str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = _plt()
    nrows, ncols = len(kernels), max(len(r) for r in kernels)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols + 0.6, size * nrows + 0.4),
                             squeeze=False)
    for r in range(nrows):
        for c in range(ncols):
            ax = axes[r, c]
            ax.set_xticks([])
            ax.set_yticks([])
            if c >= len(kernels[r]):
                ax.axis("off")
                continue
            k = np.asarray(kernels[r][c], dtype=np.float64)
            lim = np.abs(k).max() or 1.0
            ax.imshow(k, cmap=cmap, vmin=-lim, vmax=lim)
            if r == 0 and col_labels is not None:
                ax.set_title(col_labels[c], fontsize=9)
            if c == 0 and row_labels is not None:
                ax.set_ylabel(row_labels[r], fontsize=9)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


def first_crossover(sizes, slow, fast):
    """The smallest size from which ``fast`` stays faster than ``slow`` (None if it never is).

    Timings of FFTs jump around with the factorisation of the padded size, so a
    single lucky size does not count: every larger size must be faster too.
    """
    cross = None
    for s, a, b in reversed(list(zip(sizes, slow, fast))):
        if b >= a:
            break
        cross = s
    return cross


def plot_timing_crossover(sizes, times, slow, fast, xlabel="kernel size", ax=None):
    """Plot timings (log scale) and mark the size from which ``fast`` stays below ``slow``.

    Parameters
    ----------
    sizes : sequence of int
    times : dict of str to sequence of float
        Seconds per call, e.g. from :func:`helpers.timing.time_sweep`.
    slow, fast : str
        Keys of ``times``.

    Returns
    -------
    (matplotlib.axes.Axes, size or None)
        The axes and the crossover size.
    """
    from helpers.plotting import plot_lines

    ms = {name: [1e3 * t for t in ts] for name, ts in times.items()}
    ax = plot_lines(sizes, ms, xlabel=xlabel, ylabel="time per call (ms)", logy=True, ax=ax)
    cross = first_crossover(sizes, times[slow], times[fast])
    if cross is not None:
        ax.axvline(cross, color="k", linestyle="--", alpha=0.6)
        ax.annotate(f"crossover ≈ {cross}", (cross, ax.get_ylim()[1]), textcoords="offset points",
                    xytext=(4, -14), fontsize=9)
    return ax, cross
