"""HW0 helpers: practice kernels, synthetic test images, figures and the kernel explorer.

What students are given, never what they must write: nothing here filters an
image. The figures and the explorer take your own functions (or their results)
as arguments.
"""

import numpy as np

from .plotting import show_kernel

# ----------------------------------------------------------------------------------------
# Practice kernels (lecture notes 001, "Practice with linear filters")
# ----------------------------------------------------------------------------------------


def practice_kernels():
    """The 3x3 practice kernels of the lecture notes, as float64 arrays.

    Returns
    -------
    dict of str to ndarray, shape (3, 3)
        ``"identity"``: a single 1 at the centre;
        ``"shift"``: a single 1 right of the centre;
        ``"sharpen"``: twice the identity minus the 3x3 average, ``2·e − (1/9)·1``.
    """
    identity = np.zeros((3, 3))
    identity[1, 1] = 1.0
    shift = np.zeros((3, 3))
    shift[1, 2] = 1.0
    sharpen = 2.0 * identity - np.full((3, 3), 1.0 / 9.0)
    return {"identity": identity, "shift": shift, "sharpen": sharpen}


# ----------------------------------------------------------------------------------------
# Synthetic images (float64 in [0, 1])
# ----------------------------------------------------------------------------------------


def impulse(shape=(9, 9), position=None):
    """An image of zeros with a single 1 (the unit impulse ``e``).

    Parameters
    ----------
    shape : (int, int)
    position : (int, int), optional
        Row and column of the 1 (default: the centre ``(H // 2, W // 2)``).
    """
    image = np.zeros(shape)
    if position is None:
        position = (shape[0] // 2, shape[1] // 2)
    image[position] = 1.0
    return image


def notes_square():
    """The 10x10 example of the notes: a bright square with a dark hole, an isolated dot.

    The notes use intensities 0 and 90; here they are 0 and 1.
    """
    image = np.zeros((10, 10))
    image[2:8, 3:8] = 1.0
    image[6, 4] = 0.0
    image[8, 2] = 1.0
    return image


def checkerboard(shape=(64, 64), tile=8):
    """Alternating ``tile x tile`` squares of 0 and 1, starting with 1 at the top left."""
    rows = np.arange(shape[0])[:, None] // tile
    cols = np.arange(shape[1])[None, :] // tile
    return ((rows + cols) % 2 == 0).astype(np.float64)


def step_edge(shape=(32, 32), column=None, low=0.2, high=0.8):
    """A vertical step edge: ``low`` left of ``column``, ``high`` from it on."""
    image = np.full(shape, float(low))
    column = shape[1] // 2 if column is None else column
    image[:, column:] = high
    return image


def ramp(shape=(32, 32), slope_x=1.0, slope_y=0.0):
    """A linear ramp ``slope_x·j + slope_y·i`` (not clipped)."""
    i, j = np.indices(shape, dtype=np.float64)
    return slope_x * j + slope_y * i


def noisy(image, sigma, rng):
    """``image`` plus Gaussian noise of standard deviation ``sigma``, clipped to [0, 1].

    Parameters
    ----------
    rng : numpy.random.Generator
    """
    return np.clip(image + sigma * rng.standard_normal(np.shape(image)), 0.0, 1.0)


# ----------------------------------------------------------------------------------------
# Figures
# ----------------------------------------------------------------------------------------


def _plt():
    import matplotlib.pyplot as plt

    return plt


def _imshow(ax, image, title=None, signed=False, cmap="gray"):
    image = np.asarray(image, dtype=float)
    if image.ndim == 3:
        ax.imshow(np.clip(image, 0, 1))
    elif signed:
        lim = np.abs(image).max() or 1.0
        ax.imshow(image, cmap="RdBu_r", vmin=-lim, vmax=lim)
    else:
        ax.imshow(image, cmap=cmap, vmin=min(0.0, image.min()), vmax=max(1.0, image.max()))
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=10)


def show_filtering(image, kernels, results, titles=None, signed=False, size=2.6):
    """One row per kernel: input, kernel (values written in), output.

    Parameters
    ----------
    image : ndarray, (H, W)
    kernels, results : sequence of ndarray
        Kernels and the filtered images you computed with them.
    titles : sequence of str, optional
        One per kernel.
    signed : bool
        Show outputs with a diverging colour map centred at 0 (for derivatives).

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = _plt()
    n = len(kernels)
    fig, axes = plt.subplots(n, 3, figsize=(3 * size, n * size), squeeze=False)
    for k in range(n):
        name = titles[k] if titles else f"kernel {k}"
        _imshow(axes[k, 0], image, "input F")
        show_kernel(kernels[k], ax=axes[k, 1], title=f"H: {name}")
        _imshow(axes[k, 2], results[k], "output G", signed=signed)
    fig.tight_layout()
    return fig


def show_padding_artifact(results, corner=40, size=2.8):
    """Filtered images side by side (top) and their top-left corners enlarged (bottom).

    Parameters
    ----------
    results : dict of str to ndarray
        Padding name to the image filtered with it.
    corner : int
        Side of the enlarged top-left corner, in pixels.

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = _plt()
    n = len(results)
    fig, axes = plt.subplots(2, n, figsize=(n * size, 2 * size), squeeze=False)
    for k, (name, image) in enumerate(results.items()):
        _imshow(axes[0, k], image, f"padding={name!r}")
        axes[1, k].imshow(np.clip(image[:corner, :corner], 0, 1), cmap="gray", vmin=0, vmax=1,
                          interpolation="nearest")
        axes[1, k].set_xticks([])
        axes[1, k].set_yticks([])
        axes[1, k].set_title(f"top-left {corner}x{corner}", fontsize=10)
    fig.tight_layout()
    return fig


def show_padding_modes(padded, pad, size=2.6):
    """Padded images side by side, the original region outlined.

    Parameters
    ----------
    padded : dict of str to ndarray
        Mode name to the image padded with it.
    pad : (int, int)
        ``(pad_h, pad_w)`` used, to draw the outline of the original image.
    """
    plt = _plt()
    from matplotlib.patches import Rectangle

    n = len(padded)
    fig, axes = plt.subplots(1, n, figsize=(n * size, size), squeeze=False)
    for ax, (name, image) in zip(axes[0], padded.items()):
        ax.imshow(np.clip(image, 0, 1), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        h, w = image.shape[:2]
        ax.add_patch(Rectangle((pad[1] - 0.5, pad[0] - 0.5), w - 2 * pad[1], h - 2 * pad[0],
                               fill=False, edgecolor="tab:red", linewidth=1.5))
        ax.set_title(f"mode={name!r}", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def plot_blur_timing(kernel_sizes, times, ax=None):
    """Log-log plot of run time against kernel size ``m``, with ``m²`` and ``m`` guides.

    Parameters
    ----------
    kernel_sizes : sequence of int
        Kernel side ``m`` of each measurement.
    times : dict of str to sequence of float
        Seconds per call for each method, in the order of ``kernel_sizes``. The
        ``m²`` guide goes through the last point of the first method, the ``m``
        guide through the last point of the second.

    Returns
    -------
    matplotlib.axes.Axes
    """
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    m = np.asarray(kernel_sizes, dtype=float)
    for (name, ts), colour in zip(times.items(), ("tab:blue", "tab:orange", "tab:green")):
        ts = np.asarray(ts, dtype=float)
        ax.plot(m, ts, "o-", color=colour, label=name)
    guides = {"∝ m² (slope 2)": 2, "∝ m (slope 1)": 1}
    anchor = {name: np.asarray(ts, dtype=float)[-1] for name, ts in times.items()}
    for (label, power), ref in zip(guides.items(), anchor.values()):
        ax.plot(m, ref * (m / m[-1]) ** power, "k--" if power == 2 else "k:", alpha=0.6,
                label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(m)
    ax.set_xticklabels([str(int(v)) for v in m])
    ax.minorticks_off()
    ax.set_xlabel("kernel size m (m x m kernel)")
    ax.set_ylabel("seconds per image")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    return ax


def show_gradients(image, dx, dy, magnitude, orientation, size=2.8):
    """Input, ``dx``, ``dy``, gradient magnitude and orientation (hue, shown where strong).

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = _plt()
    fig, axes = plt.subplots(1, 5, figsize=(5 * size, size))
    _imshow(axes[0], image, "F")
    _imshow(axes[1], dx, "dx = ∂F/∂x (columns)", signed=True)
    _imshow(axes[2], dy, "dy = ∂F/∂y (rows)", signed=True)
    mag = np.asarray(magnitude, dtype=float)
    _imshow(axes[3], mag / (mag.max() or 1.0), "magnitude (scaled)")
    strong = mag > np.percentile(mag, 75)
    hue = np.ma.masked_where(~strong, orientation)
    axes[4].imshow(np.zeros_like(mag), cmap="gray", vmin=0, vmax=1)
    shown = axes[4].imshow(hue, cmap="hsv", vmin=-np.pi, vmax=np.pi, interpolation="nearest")
    axes[4].set_xticks([])
    axes[4].set_yticks([])
    axes[4].set_title("orientation (strongest 25%)", fontsize=10)
    fig.colorbar(shown, ax=axes[4], fraction=0.046, ticks=[-np.pi, 0, np.pi]).ax.set_yticklabels(
        ["−π", "0", "π"])
    fig.tight_layout()
    return fig


def property_table(rows):
    """Print a small table of numerical checks.

    Parameters
    ----------
    rows : sequence of (str, float, float)
        Property, max abs difference for convolution, for cross-correlation.
    """
    width = max(len(r[0]) for r in rows) + 2
    print(f"{'property':<{width}}{'convolution ⋆':>16}{'correlation ⊗':>16}")
    for name, conv, corr in rows:
        cells = [f"{v:.1e}" if v is not None else "—" for v in (conv, corr)]
        print(f"{name:<{width}}{cells[0]:>16}{cells[1]:>16}")
    print("(max |left − right|; ~1e-16 means the property holds, O(0.1) means it does not)")


# ----------------------------------------------------------------------------------------
# Kernel explorer
# ----------------------------------------------------------------------------------------


def kernel_explorer(image, kernel_makers, filter_fn, paddings=("zero", "reflect", "replicate"),
                    max_size=31):
    """An interactive widget: pick a kernel and its parameters, see the filtered image.

    Parameters
    ----------
    image : ndarray, (H, W)
        Gray image to filter (keep it small, e.g. 256 x 256).
    kernel_makers : dict of str to callable
        Kernel name to ``make(size, sigma) -> ndarray (kh, kw)``; build them from your
        own functions (``box_kernel``, ``gaussian_kernel``, ...). A maker may ignore
        ``size`` or ``sigma``.
    filter_fn : callable
        ``filter_fn(image, kernel, padding) -> ndarray``, e.g. your ``cross_correlate2d``.
    paddings : sequence of str
        Choices offered for ``padding``.
    max_size : int
        Largest kernel size on the slider (odd sizes only).

    Returns
    -------
    ipywidgets.VBox
        Display it (it is the last expression of a cell, or ``display(...)``).
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    from .widgets import interactive_figure

    names = list(kernel_makers)
    controls = {
        "kernel": widgets.Dropdown(options=names, value=names[0], description="kernel"),
        "size": widgets.IntSlider(value=5, min=1, max=max_size, step=2, description="size",
                                  continuous_update=False),
        "sigma": widgets.FloatSlider(value=1.0, min=0.3, max=8.0, step=0.1, description="σ",
                                     continuous_update=False),
        "padding": widgets.Dropdown(options=list(paddings), value=paddings[0],
                                    description="padding"),
    }

    def draw(kernel, size, sigma, padding):
        weights = np.asarray(kernel_makers[kernel](size, sigma), dtype=float)
        result = np.asarray(filter_fn(image, weights, padding), dtype=float)
        signed = result.min() < -1e-6
        fig, axes = plt.subplots(1, 3, figsize=(10, 3.4),
                                 gridspec_kw={"width_ratios": [1, 0.8, 1]})
        _imshow(axes[0], image, "input")
        show_kernel(weights, ax=axes[1], title=f"{kernel} {weights.shape[0]}x{weights.shape[1]}",
                    annotate=weights.size <= 49)
        _imshow(axes[2], result, f"output {result.shape[0]}x{result.shape[1]}", signed=signed)
        fig.tight_layout()

    return interactive_figure(draw, controls)
