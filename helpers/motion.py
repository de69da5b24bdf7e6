"""HW4 helpers: synthetic video with exact ground truth, flow pictures, a frame player.

Nothing here implements a graded function of any homework. The sequences are
rendered from analytic motions (each pixel of frame ``t`` is looked up in the
texture of the layer that covers it, through the inverse of that layer's
motion), so their flow and masks are exact. The figures and the widget take
*your* results (flows, masks) as arrays.

Three groups:

- **data**: :func:`smooth_texture`, :func:`translating_pair` (one textured
  image moved by a known sub-pixel or multi-pixel translation),
  :func:`moving_bar` (the aperture problem), :func:`shapes_sequence` (a
  textured square translating behind a rotating textured disc over a textured
  background: flow, occlusion, per-object masks), :func:`oscillating_sequence`
  (a tiny oscillation for motion magnification), :func:`camera_pair` (a real
  image from ``skimage.data``, shifted);
- **flow pictures**: :func:`flow_to_color` (the standard colour wheel of the
  Middlebury benchmark), :func:`color_wheel`, :func:`show_flow` (colour plus
  arrows), :func:`plot_flow_arrows`;
- **video**: :func:`show_frames` (a film strip), :func:`overlay_mask`,
  :func:`frame_figure` and :func:`frame_slider` (an ipywidgets slider whose
  frames are drawn to a PNG, so it works headless), and the small
  self-supervised colorization network of the notes (:func:`train_colorizer`,
  :func:`colorizer_features`).
"""

import io
import math

import numpy as np

#: Frame size of the default synthetic sequences: non-square, (H, W).
DEFAULT_SHAPE = (48, 64)


def _plt():
    import matplotlib.pyplot as plt

    return plt


def _ndimage():
    import scipy.ndimage

    return scipy.ndimage


# --------------------------------------------------------------------------- data

def smooth_texture(shape, seed=0, sigma=2.0, channels=None):
    """A smooth random texture in [0, 1]: Gaussian-filtered white noise, stretched.

    Parameters
    ----------
    shape : (int, int)
        ``(H, W)``.
    seed : int
        Seed of ``numpy.random.default_rng``.
    sigma : float
        Smoothness in pixels (the blur of the noise, periodic border).
    channels : int, optional
        When given, an ``(H, W, channels)`` texture (each channel independent).

    Returns
    -------
    ndarray, float64, shape ``(H, W)`` or ``(H, W, channels)``
    """
    nd = _ndimage()
    r = np.random.default_rng(seed)
    full = tuple(shape) + ((channels,) if channels else ())
    noise = r.standard_normal(full)
    blur = (sigma, sigma) + ((0,) if channels else ())
    tex = nd.gaussian_filter(noise, blur, mode="wrap")
    lo = tex.min(axis=(0, 1), keepdims=True)
    hi = tex.max(axis=(0, 1), keepdims=True)
    return (tex - lo) / np.maximum(hi - lo, 1e-12)


def _sample(texture, rows, cols):
    """Texture (H, W[, C]) sampled at float coordinates with cubic splines, periodic."""
    nd = _ndimage()
    if texture.ndim == 2:
        return nd.map_coordinates(texture, [rows, cols], order=3, mode="grid-wrap")
    return np.stack([nd.map_coordinates(texture[..., c], [rows, cols], order=3,
                                        mode="grid-wrap")
                     for c in range(texture.shape[2])], axis=-1)


def translating_pair(shape=DEFAULT_SHAPE, motion=(1.0, 0.5), seed=0, sigma=2.0):
    """Two gray frames of one smooth texture, the second moved by ``motion``.

    ``frame1(x + u, y + v) = frame0(x, y)`` exactly (the texture is periodic and
    sampled analytically), so the ground-truth flow is ``(u, v)`` everywhere.

    Parameters
    ----------
    shape : (int, int)
        ``(H, W)``.
    motion : (float, float)
        ``(u, v)``: displacement along x (columns, right) and y (rows, down).
    seed, sigma : see :func:`smooth_texture`.

    Returns
    -------
    frame0, frame1 : ndarray, float64, shape (H, W), in [0, 1]
    flow : ndarray, float64, shape (H, W, 2)
        ``flow[..., 0] = u``, ``flow[..., 1] = v``.
    """
    h, w = shape
    pad = 4 * int(math.ceil(max(abs(motion[0]), abs(motion[1])) + 4 * sigma))
    tex = smooth_texture((h + pad, w + pad), seed=seed, sigma=sigma)
    ys, xs = np.indices((h, w), dtype=float)
    frame0 = np.clip(_sample(tex, ys, xs), 0.0, 1.0)
    frame1 = np.clip(_sample(tex, ys - motion[1], xs - motion[0]), 0.0, 1.0)
    flow = np.zeros((h, w, 2))
    flow[..., 0], flow[..., 1] = motion
    return frame0, frame1, flow


def camera_pair(size=256, motion=(1.0, 0.5)):
    """The cameraman of ``skimage.data`` (``size × size``, gray) and a copy moved by ``motion``.

    The move is sampled with cubic splines (``scipy.ndimage.map_coordinates``);
    pixels that come from outside the image repeat the border.

    Returns
    -------
    frame0, frame1 : ndarray, float64, shape (size, size)
    """
    from helpers.images import load_image

    nd = _ndimage()
    frame0 = load_image("camera", size=size)
    rows, cols = np.mgrid[0:size, 0:size].astype(float)
    frame1 = nd.map_coordinates(frame0, [rows - motion[1], cols - motion[0]], order=3,
                                mode="nearest")
    return frame0, np.clip(frame1, 0.0, 1.0)


def moving_bar(shape=(32, 40), width=8, motion=(1.0, 1.0), smooth=1.5):
    """A bright vertical bar (soft edges) on a dark background, moved by ``motion``.

    The bar spans every row, so only its motion across the edges (along x) can
    be seen: the aperture problem. The vertical part of ``motion`` changes
    nothing in the frames.

    Returns
    -------
    frame0, frame1 : ndarray, float64, shape (H, W)
    flow : ndarray, float64, shape (H, W, 2)
        The true motion ``(u, v)`` on the bar (and its blurred edges), 0 elsewhere.
    """
    h, w = shape
    x = np.arange(w, dtype=float)

    def profile(shift):
        left = (w - width) / 2.0 + shift
        s = 1.0 / (1.0 + np.exp(-(x - left) / smooth)) - 1.0 / (1.0 + np.exp(-(x - left - width) / smooth))
        return 0.1 + 0.8 * s

    frame0 = np.tile(profile(0.0), (h, 1))
    frame1 = np.tile(profile(motion[0]), (h, 1))
    flow = np.zeros((h, w, 2))
    on = frame0 > 0.15
    flow[on, 0], flow[on, 1] = motion
    return frame0, frame1, flow


def oscillating_sequence(shape=(40, 64), n_frames=16, amplitude=0.15, period=8, seed=3):
    """A texture that oscillates horizontally by ``amplitude`` pixels (for motion magnification).

    Returns
    -------
    frames : ndarray, float64, shape (T, H, W)
    displacement : ndarray, float64, shape (T,)
        The horizontal displacement of each frame, ``amplitude·sin(2πt/period)``.
    """
    h, w = shape
    tex = smooth_texture((h + 16, w + 16), seed=seed, sigma=3.0)
    ys, xs = np.indices((h, w), dtype=float)
    disp = amplitude * np.sin(2 * np.pi * np.arange(n_frames) / period)
    frames = np.stack([_sample(tex, ys, xs - d) for d in disp])
    return np.clip(frames, 0.0, 1.0), disp


def _tinted(tex, color, contrast=0.6):
    """An RGB texture: a base colour modulated by a gray texture (H, W)."""
    color = np.asarray(color, dtype=float)
    return np.clip(color * (1 - contrast / 2 + contrast * tex[..., None]), 0.0, 1.0)


def shapes_sequence(shape=DEFAULT_SHAPE, n_frames=8, seed=0, square_motion=(1.5, 0.5),
                    disc_rotation=0.08, disc_motion=(-0.5, 0.25), colors="distinct"):
    """RGB video of two textured objects over a textured background, with exact ground truth.

    Layers from back to front: the background (static), a square (translating
    by ``square_motion`` per frame), a disc (rotating by ``disc_rotation``
    radians per frame about its centre, which moves by ``disc_motion``). The
    square passes under the disc: occlusion. Every pixel of frame ``t`` takes
    the colour of the front-most layer that covers it, looked up through the
    inverse of that layer's motion, so the flow and the masks are exact.

    Parameters
    ----------
    shape : (int, int)
        ``(H, W)`` of every frame.
    n_frames : int
    seed : int
        Textures and start positions.
    square_motion, disc_motion : (float, float)
        ``(u, v)`` per frame, x then y.
    disc_rotation : float
        Radians per frame (counter-clockwise on the screen is negative here:
        y points down).
    colors : ``"distinct"`` or ``"similar"``
        ``"similar"`` gives the three layers nearly the same colours, so only
        their textures tell them apart.

    Returns
    -------
    dict with
        ``frames`` : ndarray, float64, shape (T, H, W, 3), in [0, 1];
        ``flow`` : ndarray, float64, shape (T-1, H, W, 2), the forward flow
        ``(u, v)`` of every pixel of frame ``t`` to frame ``t+1`` (the motion of
        the layer in front there);
        ``labels`` : ndarray, int64, shape (T, H, W): 0 background, 1 square, 2 disc;
        ``masks`` : dict ``{"square": (T, H, W) bool, "disc": (T, H, W) bool}`` (visible parts).
    """
    h, w = shape
    r = np.random.default_rng(seed)
    big = (h + 2 * w, 2 * w + h)
    if colors == "distinct":
        tints = [(0.55, 0.6, 0.75), (0.9, 0.45, 0.3), (0.35, 0.8, 0.4)]
        sigmas = [2.5, 1.5, 1.5]
    elif colors == "similar":
        tints = [(0.6, 0.55, 0.5), (0.62, 0.53, 0.5), (0.58, 0.56, 0.52)]
        sigmas = [4.0, 1.0, 1.0]
    else:
        raise ValueError("colors must be 'distinct' or 'similar'")
    texs = [_tinted(smooth_texture(big, seed=seed * 10 + k, sigma=sigmas[k]), tints[k])
            for k in range(3)]
    side = 0.35 * min(h, w)
    sq0 = np.array([0.2 * w + r.uniform(-1, 1), 0.3 * h + r.uniform(-1, 1)])  # x, y top-left
    radius = 0.3 * min(h, w)
    dc0 = np.array([0.62 * w + r.uniform(-1, 1), 0.55 * h + r.uniform(-1, 1)])
    su = np.asarray(square_motion, float)
    du = np.asarray(disc_motion, float)
    ys, xs = np.mgrid[0:h, 0:w].astype(float)
    frames, labels, flows = [], [], []
    for t in range(n_frames):
        sq = sq0 + t * su
        dc = dc0 + t * du
        ang = t * disc_rotation
        in_sq = (xs >= sq[0]) & (xs < sq[0] + side) & (ys >= sq[1]) & (ys < sq[1] + side)
        rx, ry = xs - dc[0], ys - dc[1]
        in_dc = rx ** 2 + ry ** 2 < radius ** 2
        lab = np.zeros((h, w), dtype=np.int64)
        lab[in_sq] = 1
        lab[in_dc] = 2
        # colours: each layer's texture at the pre-image of the pixel
        off = np.array([w, w])  # texture coordinates of the frame's (0, 0): centred in big
        img = _sample(texs[0], ys + off[1] * 0.5, xs + off[0] * 0.5)
        sq_img = _sample(texs[1], ys - t * su[1] + off[1] * 0.5, xs - t * su[0] + off[0] * 0.5)
        c, s = math.cos(-ang), math.sin(-ang)  # inverse rotation
        px = dc0[0] + c * rx - s * ry
        py = dc0[1] + s * rx + c * ry
        dc_img = _sample(texs[2], py + off[1] * 0.5, px + off[0] * 0.5)
        img = np.where((lab == 1)[..., None], sq_img, img)
        img = np.where((lab == 2)[..., None], dc_img, img)
        frames.append(np.clip(img, 0.0, 1.0))
        labels.append(lab)
        if t < n_frames - 1:
            fl = np.zeros((h, w, 2))
            fl[lab == 1] = su
            cr, sr = math.cos(disc_rotation), math.sin(disc_rotation)
            nx = dc[0] + du[0] + cr * rx - sr * ry
            ny = dc[1] + du[1] + sr * rx + cr * ry
            fl[..., 0] = np.where(lab == 2, nx - xs, fl[..., 0])
            fl[..., 1] = np.where(lab == 2, ny - ys, fl[..., 1])
            flows.append(fl)
    labels = np.stack(labels)
    return {"frames": np.stack(frames), "flow": np.stack(flows), "labels": labels,
            "masks": {"square": labels == 1, "disc": labels == 2}}


# --------------------------------------------------------------------------- flow pictures

def _wheel():
    """The Middlebury colour wheel (Baker et al. 2011): 55 hues, RY GY GC CB BM MR."""
    ry, yg, gc, cb, bm, mr = 15, 6, 4, 11, 13, 6
    cols = []
    for n, start, end in ((ry, (255, 0, 0), (255, 255, 0)), (yg, (255, 255, 0), (0, 255, 0)),
                          (gc, (0, 255, 0), (0, 255, 255)), (cb, (0, 255, 255), (0, 0, 255)),
                          (bm, (0, 0, 255), (255, 0, 255)), (mr, (255, 0, 255), (255, 0, 0))):
        k = np.arange(n)[:, None] / n
        cols.append(np.asarray(start) * (1 - k) + np.asarray(end) * k)
    return np.concatenate(cols) / 255.0


def flow_to_color(flow, max_magnitude=None):
    """Colour-code a flow field with the standard (Middlebury) colour wheel.

    The hue gives the direction of ``(u, v)`` (right is red, down is
    yellow-green... the wheel of :func:`color_wheel`), the saturation its
    length relative to ``max_magnitude``; zero flow is white.

    Parameters
    ----------
    flow : ndarray, shape (H, W, 2)
        ``(u, v)``: x (right) then y (down).
    max_magnitude : float, optional
        Length shown fully saturated (default: the largest length in ``flow``).

    Returns
    -------
    ndarray, float64, shape (H, W, 3), RGB in [0, 1]
    """
    flow = np.asarray(flow, dtype=float)
    u, v = flow[..., 0], flow[..., 1]
    mag = np.hypot(u, v)
    if max_magnitude is None:
        max_magnitude = float(mag.max()) if mag.size else 1.0
    max_magnitude = max(max_magnitude, 1e-9)
    wheel = _wheel()
    n = len(wheel)
    angle = np.arctan2(-v, -u) / np.pi          # in [-1, 1]
    fk = (angle + 1) / 2 * (n - 1)
    k0 = np.floor(fk).astype(int)
    k1 = (k0 + 1) % n
    f = (fk - k0)[..., None]
    col = (1 - f) * wheel[k0] + f * wheel[k1]
    rad = np.clip(mag / max_magnitude, 0, 1)[..., None]
    col = 1 - rad * (1 - col)
    return np.clip(col, 0.0, 1.0)


def color_wheel(size=64):
    """The colour key of :func:`flow_to_color`: each pixel coloured by its offset from the centre."""
    c = (size - 1) / 2.0
    ys, xs = np.mgrid[0:size, 0:size].astype(float)
    flow = np.stack([xs - c, ys - c], axis=-1)
    img = flow_to_color(flow, max_magnitude=c)
    img[np.hypot(xs - c, ys - c) > c] = 1.0
    return img


def plot_flow_arrows(ax, flow, step=6, color="k", scale=1.0):
    """Draw the flow as arrows on ``ax`` every ``step`` pixels (image coordinates, y down)."""
    flow = np.asarray(flow, dtype=float)
    h, w = flow.shape[:2]
    ys, xs = np.mgrid[step // 2:h:step, step // 2:w:step]
    u, v = flow[ys, xs, 0], flow[ys, xs, 1]
    ax.quiver(xs, ys, u, v, color=color, angles="xy", scale_units="xy", scale=1.0 / scale,
              width=0.006)
    ax.set_xlim(-0.5, w - 0.5)
    ax.set_ylim(h - 0.5, -0.5)


def show_flow(flows, titles=None, image=None, step=6, max_magnitude=None, size=2.8,
              arrows=True, wheel=True):
    """Flow fields side by side: the colour wheel coding with arrows on top.

    Parameters
    ----------
    flows : sequence of ndarray (H, W, 2)
        Shown with one common ``max_magnitude`` (default: the largest length).
    titles : sequence of str, optional
    image : ndarray, optional
        A frame shown first, for reference.
    step : int
        Arrow spacing in pixels.
    arrows, wheel : bool
        Draw arrows; add the colour key as the last panel.

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = _plt()
    flows = [np.asarray(f, dtype=float) for f in flows]
    if max_magnitude is None:
        max_magnitude = max(float(np.hypot(f[..., 0], f[..., 1]).max()) for f in flows)
    panels = ([("frame", image)] if image is not None else []) + [
        ("flow", f) for f in flows] + ([("wheel", None)] if wheel else [])
    h, w = flows[0].shape[:2]
    fig, axes = plt.subplots(1, len(panels), figsize=(size * len(panels) * max(w / h, 0.6) * 0.8,
                                                      size), squeeze=False)
    k = 0
    for ax, (kind, data) in zip(axes[0], panels):
        ax.set_xticks([])
        ax.set_yticks([])
        if kind == "frame":
            ax.imshow(np.clip(data, 0, 1), cmap="gray", vmin=0, vmax=1)
            ax.set_title("frame", fontsize=9)
        elif kind == "flow":
            ax.imshow(flow_to_color(data, max_magnitude))
            if arrows:
                plot_flow_arrows(ax, data, step=step)
            if titles is not None and k < len(titles):
                ax.set_title(titles[k], fontsize=9)
            k += 1
        else:
            ax.imshow(color_wheel())
            ax.set_title(f"key (|flow| = {max_magnitude:.2g} at the rim)", fontsize=8)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- video

def overlay_mask(frame, mask, color=(1.0, 0.2, 0.2), alpha=0.45):
    """An RGB copy of ``frame`` (gray or RGB) with ``mask`` tinted in ``color``."""
    frame = np.asarray(frame, dtype=float)
    rgb = np.repeat(frame[..., None], 3, axis=-1) if frame.ndim == 2 else frame.copy()
    m = np.asarray(mask, dtype=bool)[..., None]
    return np.clip(np.where(m, (1 - alpha) * rgb + alpha * np.asarray(color), rgb), 0, 1)


def show_frames(frames, masks=None, every=1, titles=None, size=1.8, max_frames=8):
    """A film strip: frames ``0, every, 2·every, ...`` in one row, masks tinted red.

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = _plt()
    idx = list(range(0, len(frames), every))[:max_frames]
    h, w = np.asarray(frames[0]).shape[:2]
    fig, axes = plt.subplots(1, len(idx), figsize=(size * len(idx) * w / h, size),
                             squeeze=False)
    for k, (ax, t) in enumerate(zip(axes[0], idx)):
        img = frames[t] if masks is None else overlay_mask(frames[t], masks[t])
        ax.imshow(np.clip(img, 0, 1), cmap="gray", vmin=0, vmax=1)
        ax.set_title(titles[k] if titles else f"t = {t}", fontsize=9)
        ax.axis("off")
    fig.tight_layout()
    return fig


def frame_figure(frames, t, flows=None, masks=None, gt_masks=None, size=2.6):
    """One time step: the frame, its flow to the next frame, and the masks.

    Parameters
    ----------
    frames : ndarray, shape (T, H, W[, 3])
    t : int
    flows : ndarray, shape (T-1, H, W, 2), optional
        Flow from frame ``t`` to ``t+1`` (the last frame shows none).
    masks : ndarray, shape (T, H, W), bool, optional
        Propagated masks (red).
    gt_masks : ndarray, shape (T, H, W), bool, optional
        Ground truth, drawn as a green contour.

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = _plt()
    frames = np.asarray(frames)
    h, w = frames.shape[1:3]
    n = 1 + (flows is not None) + (masks is not None)
    fig, axes = plt.subplots(1, n, figsize=(size * n * w / h, size), squeeze=False)
    axes = list(axes[0])
    ax = axes.pop(0)
    ax.imshow(np.clip(frames[t], 0, 1), cmap="gray", vmin=0, vmax=1)
    ax.set_title(f"frame {t}", fontsize=9)
    if flows is not None:
        ax = axes.pop(0)
        flows = np.asarray(flows)
        vmax = float(np.hypot(flows[..., 0], flows[..., 1]).max()) or 1.0
        if t < len(flows):
            ax.imshow(flow_to_color(flows[t], vmax))
            plot_flow_arrows(ax, flows[t], step=max(4, min(h, w) // 8))
            ax.set_title(f"flow {t} → {t + 1}", fontsize=9)
        else:
            ax.imshow(np.ones((h, w, 3)))
            ax.set_title("(last frame)", fontsize=9)
    if masks is not None:
        ax = axes.pop(0)
        ax.imshow(overlay_mask(frames[t], masks[t]))
        if gt_masks is not None:
            ax.contour(np.asarray(gt_masks[t], dtype=float), levels=[0.5], colors="lime",
                       linewidths=1.0)
        ax.set_title("mask (red), truth (green)", fontsize=9)
    for ax in fig.axes:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def frame_slider(frames, flows=None, masks=None, gt_masks=None, size=2.6):
    """An ipywidgets slider over the frames, showing :func:`frame_figure` for each.

    Like HW1's hybrid widget, the figure is rendered to a PNG shown in an
    ``ipywidgets.Image`` and redrawn when the slider moves: it never blocks and
    works when the notebook runs headless. Frames are pre-rendered once.

    Returns
    -------
    ipywidgets.VBox
    """
    import ipywidgets as widgets

    plt = _plt()
    n = len(frames)
    cache = {}

    def render(t):
        if t not in cache:
            fig = frame_figure(frames, t, flows=flows, masks=masks, gt_masks=gt_masks, size=size)
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=72)
            plt.close(fig)
            cache[t] = buffer.getvalue()
        return cache[t]

    slider = widgets.IntSlider(value=0, min=0, max=n - 1, step=1, description="frame",
                               continuous_update=True)
    picture = widgets.Image(format="png", value=render(0))

    def draw(change=None):
        picture.value = render(slider.value)

    slider.observe(draw, names="value")
    return widgets.VBox([slider, picture])


def plot_series(x, series, xlabel="", ylabel="", title=None, ax=None, logy=False):
    """Line plot of several named series (dict name → values) against ``x``."""
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(5.2, 3.2))
    for name, ys in series.items():
        ax.plot(x, ys, marker="o", ms=3, label=name)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.figure.tight_layout()
    return ax.figure


# --------------------------------------------------------------------------- colorization net

def _colorizer(channels=16, seed=0):
    import torch
    import torch.nn as nn

    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
        nn.Conv2d(16, 16, 3, padding=2, dilation=2), nn.ReLU(),
        nn.Conv2d(16, channels, 3, padding=1))


def _normalized(feats):
    return feats / (feats.norm(dim=1, keepdim=True) + 1e-6)


def train_colorizer(videos, steps=200, channels=16, temperature=0.05, lr=3e-3, crop=32, seed=0,
                    log_every=50):
    """Train a small CNN by colorization on ``videos``, the self-supervised recipe of the notes.

    The network sees only the gray frames. For a pair (reference frame ``r``,
    target frame ``t``) of one video, cropped to the same ``crop × crop``
    window, it computes a feature vector ``f`` of unit length for every pixel;
    the colours of the target are predicted as a softmax-weighted copy of the
    reference colours, ``ĉ_j = Σ_i A_ij c_i`` with ``A`` the softmax over the
    reference pixels of ``f_i·f_j / τ``, and the loss is the squared error to
    the true target colours (RGB; the network never sees them). To copy the
    right colour, the features must find the corresponding pixel: tracking
    emerges without labels.

    Parameters
    ----------
    videos : sequence of ndarray (T, H, W, 3)
        RGB training videos (the notebook makes them with :func:`shapes_sequence`).
    steps : int
        Adam steps, one random frame pair per step (seconds on a CPU).
    channels : int
        Feature dimension.
    temperature : float
        ``τ`` of the softmax during training.
    crop : int
        Side of the random crop (frames must be at least that large).

    Returns
    -------
    model : torch.nn.Module
        In eval mode; use :func:`colorizer_features`.
    losses : list of float
    """
    import torch

    rng = np.random.default_rng(seed)
    model = _colorizer(channels, seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    gray_w = torch.tensor([0.299, 0.587, 0.114], dtype=torch.float32)
    vids = [torch.as_tensor(np.asarray(v), dtype=torch.float32) for v in videos]
    losses = []
    model.train()
    for step in range(steps):
        v = vids[rng.integers(len(vids))]
        t0 = int(rng.integers(len(v) - 1))
        t1 = t0 + 1 + int(rng.integers(min(2, len(v) - 1 - t0)))
        y0 = int(rng.integers(v.shape[1] - crop + 1))
        x0 = int(rng.integers(v.shape[2] - crop + 1))
        pair = v[[t0, t1], y0:y0 + crop, x0:x0 + crop]       # (2, crop, crop, 3)
        gray = (pair @ gray_w)[:, None]                      # (2, 1, crop, crop)
        feats = _normalized(model(gray - 0.5))               # (2, C, crop, crop)
        fr = feats[0].flatten(1).T                           # (N, C)
        ft = feats[1].flatten(1).T
        weights = torch.softmax(ft @ fr.T / temperature, dim=1)   # (N_tgt, N_ref)
        pred = weights @ pair[0].reshape(-1, 3)
        loss = ((pred - pair[1].reshape(-1, 3)) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss.detach()))
        if log_every and (step + 1) % log_every == 0:
            print(f"step {step + 1:4d}  colorization loss {np.mean(losses[-log_every:]):.5f}")
    model.eval()
    return model, losses


def colorizer_features(model, frames):
    """Per-pixel features (unit length) of the trained colorizer for RGB ``frames`` (T, H, W, 3).

    Returns
    -------
    ndarray, float64, shape (T, H, W, C)
    """
    import torch

    x = torch.as_tensor(np.asarray(frames), dtype=torch.float32)
    gray = (x @ torch.tensor([0.299, 0.587, 0.114]))[:, None]
    with torch.no_grad():
        f = _normalized(model(gray - 0.5))
    return f.permute(0, 2, 3, 1).double().numpy()
