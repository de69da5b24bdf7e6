"""HW5 helpers, part 2 (3-D vision): stereo data, shapes, cameras, scenes, 3-D plots, widgets.

Nothing here implements a graded function of any homework. The NeRF training and
rendering loops take *your* ``positional_encoding``, ``sample_along_rays`` and
``volume_render`` as arguments; the PointNet trainer takes your model; the SDF
shading takes your ``sphere_trace`` results; the widgets take your functions.

- **stereo**: random-dot stereograms with a known disparity
  (:func:`random_dot_stereogram`), the motorcycle pair of scikit-image with its
  ground-truth disparity and calibration (:func:`motorcycle_pair`);
- **shapes**: sphere, cube, cylinder and cone sampled as point clouds
  (:func:`sample_shape`, :func:`shape_dataset`), :func:`train_pointnet`;
- **cameras**: intrinsics, look-at poses on an orbit, one ray per pixel
  (:func:`camera_matrix`, :func:`orbit_pose`, :func:`camera_rays`);
- **scenes**: coloured spheres rendered *analytically* (ray–sphere intersection,
  :func:`render_spheres`), the NeRF data set made from them (:func:`nerf_dataset`),
  a small NeRF MLP (:class:`TinyNeRF`) with its training and rendering loops, an
  SDF scene for sphere tracing (:func:`sdf_scene`, :func:`shade_sdf`);
- **figures and widgets**: point clouds and voxels in 3-D, a camera-orbit slider
  and a block-matching window slider drawn as PNG images (headless-safe).
"""

import io
import math

import numpy as np

from helpers.generative import as_numpy, cpu_single_thread, make_generator, seed_everything  # noqa: F401
from helpers.training import progress

#: Class names of :func:`shape_dataset`, in label order.
SHAPES = ("sphere", "cube", "cylinder", "cone")

#: Calibration of ``skimage.data.stereo_motorcycle`` (Middlebury 2014, down-sampled by 4).
MOTORCYCLE_CALIBRATION = {"focal_length": 994.978, "baseline": 193.001, "cx": 311.193,
                          "cy": 254.877, "doffs": 31.086}


def _torch():
    import torch

    return torch


def _plt():
    import matplotlib.pyplot as plt

    return plt


# --------------------------------------------------------------------------- stereo

def random_dot_stereogram(shape=(100, 140), background=4, foreground=12, kind="square",
                          density=0.5, seed=0):
    """A random-dot stereogram (Julesz): a shape visible only through its disparity.

    The left image is random black and white dots. The right image shows the same
    dots, each pixel ``(i, j)`` of the left image moved to ``(i, j − d[i, j])``:
    the background by ``background`` pixels, a hidden shape (``"square"``,
    ``"disk"`` or ``"ring"``) in front of it by ``foreground`` pixels. Pixels the
    shape uncovers get fresh random dots. Neither image alone shows the shape.

    Returns
    -------
    left, right : ndarray (H, W) float64 in {0, 1}
    disparity : ndarray (H, W) int64
        The true disparity of every left pixel (left image as reference).
    """
    rng = np.random.default_rng(seed)
    h, w = shape
    left = (rng.random(shape) < density).astype(np.float64)
    right = (rng.random(shape) < density).astype(np.float64)
    ii, jj = np.mgrid[:h, :w]
    ci, cj = h / 2, w / 2
    if kind == "square":
        mask = (np.abs(ii - ci) < h / 4) & (np.abs(jj - cj) < h / 4)
    elif kind == "disk":
        mask = (ii - ci) ** 2 + (jj - cj) ** 2 < (h / 3.5) ** 2
    elif kind == "ring":
        r2 = (ii - ci) ** 2 + (jj - cj) ** 2
        mask = (r2 < (h / 3) ** 2) & (r2 > (h / 6) ** 2)
    else:
        raise ValueError(f"unknown kind {kind!r}: 'square', 'disk' or 'ring'")
    disparity = np.where(mask, foreground, background).astype(np.int64)
    for layer in (~mask, mask):          # far first, the near shape paints over it
        i, j = np.nonzero(layer)
        target = j - disparity[i, j]
        ok = target >= 0
        right[i[ok], target[ok]] = left[i[ok], j[ok]]
    return left, right, disparity


def motorcycle_pair(scale=1):
    """The motorcycle stereo pair of ``skimage.data`` in gray, with its ground truth.

    Parameters
    ----------
    scale : int
        Down-sampling factor (local mean); disparities and the calibration's pixel
        quantities are divided by it.

    Returns
    -------
    left, right : ndarray (H, W) float64 in [0, 1]
    disparity : ndarray (H, W) float64
        Ground-truth disparity of the left image, NaN where unknown (occlusions).
    calibration : dict
        ``focal_length`` (pixels), ``baseline`` (mm), ``cx``, ``cy``, ``doffs``: the
        depth is ``focal_length · baseline / (disparity + doffs)`` (``doffs``: the
        difference of the two principal points).
    """
    from skimage import data
    from skimage.color import rgb2gray
    from skimage.transform import downscale_local_mean

    left, right, disp = data.stereo_motorcycle()
    left, right = rgb2gray(left), rgb2gray(right)
    disp = np.where(np.isfinite(disp), disp, np.nan).astype(np.float64)
    calib = dict(MOTORCYCLE_CALIBRATION)
    if scale != 1:
        left = downscale_local_mean(left, (scale, scale))
        right = downscale_local_mean(right, (scale, scale))
        disp = disp[::scale, ::scale][:left.shape[0], :left.shape[1]] / scale
        for key in ("focal_length", "cx", "cy", "doffs"):
            calib[key] = calib[key] / scale
    return left, right, disp, calib


def show_disparities(maps, titles, vmax=None, cmap="magma", size=3.2, suptitle=None):
    """Disparity maps side by side, on one colour scale (NaN shown in gray)."""
    plt = _plt()
    fig, axes = plt.subplots(1, len(maps), figsize=(size * len(maps), size * 0.8), squeeze=False)
    finite = [np.asarray(m, dtype=float)[np.isfinite(m)] for m in maps]
    vmax = vmax if vmax is not None else max(float(f.max()) for f in finite if f.size)
    cm = plt.get_cmap(cmap).copy()
    cm.set_bad("0.6")
    for ax, m, t in zip(axes[0], maps, titles):
        im = ax.imshow(np.ma.masked_invalid(np.asarray(m, dtype=float)), cmap=cm, vmin=0, vmax=vmax)
        ax.set_title(t, fontsize=9)
        ax.axis("off")
    fig.colorbar(im, ax=list(axes[0]), shrink=0.8)
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def disparity_window_figure(block_matching_fn, left, right, max_disparity, window,
                            truth=None):
    """Your block matching on a pair for one window size, beside the truth if given."""
    d = np.asarray(block_matching_fn(left, right, max_disparity, window), dtype=float)
    maps, titles = [left, d], ["left image", f"block matching, window {window}"]
    if truth is not None:
        maps.append(truth)
        titles.append("ground truth")
    plt = _plt()
    fig, axes = plt.subplots(1, len(maps), figsize=(3.2 * len(maps), 2.8))
    for k, (ax, m, t) in enumerate(zip(axes, maps, titles)):
        if k == 0:
            ax.imshow(m, cmap="gray")
        else:
            ax.imshow(np.ma.masked_invalid(m), cmap="magma", vmin=0, vmax=max_disparity)
        ax.set_title(t, fontsize=9)
        ax.axis("off")
    fig.tight_layout()
    return fig


def _png(fig):
    plt = _plt()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=72)
    plt.close(fig)
    return buffer.getvalue()


def disparity_window_widget(block_matching_fn, left, right, max_disparity, truth=None,
                            window=5, max_window=21):
    """A slider for the block-matching window; the figure is redrawn as a PNG on release.

    Returns an ``ipywidgets.VBox``; it draws once when created and never blocks.
    """
    import ipywidgets as widgets

    slider = widgets.IntSlider(value=window, min=1, max=max_window, step=2, description="window",
                               continuous_update=False)
    picture = widgets.Image(format="png")

    def draw(change=None):
        picture.value = _png(disparity_window_figure(block_matching_fn, left, right,
                                                     max_disparity, slider.value, truth))

    slider.observe(draw, names="value")
    draw()
    return widgets.VBox([slider, picture])


# --------------------------------------------------------------------------- shapes

def _random_rotation(rng):
    q, r = np.linalg.qr(rng.standard_normal((3, 3)))
    q = q * np.sign(np.diag(r))
    if np.linalg.det(q) < 0:
        q[:, 0] = -q[:, 0]
    return q


def sample_shape(kind, n_points, rng, rotate=True, noise=0.01):
    """``n_points`` points ``(n, 3)`` sampled uniformly on the surface of a unit shape.

    ``kind``: ``"sphere"`` (radius 1), ``"cube"`` (side 2), ``"cylinder"`` (radius
    1, height 2, with its caps), ``"cone"`` (base radius 1, height 2, with its
    base). With ``rotate`` the shape is turned by a random rotation and stretched
    by a random factor in [0.8, 1.2] per axis; Gaussian ``noise`` is added.
    """
    n = int(n_points)
    if kind == "sphere":
        p = rng.standard_normal((n, 3))
        p /= np.linalg.norm(p, axis=1, keepdims=True)
    elif kind == "cube":
        p = rng.uniform(-1, 1, (n, 3))
        axis = rng.integers(0, 3, n)
        p[np.arange(n), axis] = rng.choice([-1.0, 1.0], n)
    elif kind == "cylinder":
        theta = rng.uniform(0, 2 * np.pi, n)
        side = rng.random(n) < 2 / 3            # lateral area 4π, caps 2π
        r = np.where(side, 1.0, np.sqrt(rng.random(n)))
        z = np.where(side, rng.uniform(-1, 1, n), rng.choice([-1.0, 1.0], n))
        p = np.stack([r * np.cos(theta), r * np.sin(theta), z], axis=1)
    elif kind == "cone":
        theta = rng.uniform(0, 2 * np.pi, n)
        side = rng.random(n) < np.sqrt(5) / (np.sqrt(5) + 1)   # lateral π√5, base π
        s = np.sqrt(rng.random(n))                              # radius grows from the apex
        z = np.where(side, 1 - 2 * s, -1.0)
        p = np.stack([s * np.cos(theta), s * np.sin(theta), z], axis=1)
    else:
        raise ValueError(f"unknown shape {kind!r}; one of {SHAPES}")
    if rotate:
        p = (p * rng.uniform(0.8, 1.2, 3)) @ _random_rotation(rng).T
    return p + noise * rng.standard_normal(p.shape)


def shape_dataset(n_per_class, n_points=256, seed=0):
    """Point clouds of the four :data:`SHAPES`, shuffled.

    Returns
    -------
    X : torch.Tensor (M, n_points, 3) float32
        One cloud per row, points as rows (the layout ``PointNet`` takes).
    y : torch.Tensor (M,) int64
        Index into :data:`SHAPES`.
    """
    torch = _torch()
    rng = np.random.default_rng(seed)
    X, y = [], []
    for label, kind in enumerate(SHAPES):
        for _ in range(n_per_class):
            X.append(sample_shape(kind, n_points, rng))
            y.append(label)
    perm = rng.permutation(len(X))
    return (torch.tensor(np.array(X)[perm], dtype=torch.float32),
            torch.tensor(np.array(y)[perm], dtype=torch.int64))


@cpu_single_thread
def train_pointnet(net, n_per_class=64, n_points=128, steps=150, batch_size=32, lr=2e-3, seed=0,
                   device="cpu", show_progress=False):
    """Train a classifier of point clouds ``(B, N, 3) → (B, 4)`` on :func:`shape_dataset`.

    Adam on the cross-entropy of the logits, ``steps`` mini-batches drawn with a
    seeded generator. Returns the list of losses.
    """
    torch = _torch()
    F = torch.nn.functional
    seed_everything(seed)
    X, y = shape_dataset(n_per_class, n_points, seed=seed)
    X, y = X.to(device), y.to(device)
    net.to(device).train()
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    losses = []
    for _ in progress(range(steps), desc="PointNet steps", disable=not show_progress):
        idx = torch.randint(0, len(X), (batch_size,), generator=g).to(device)
        loss = F.cross_entropy(net(X[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    net.eval()
    return losses


# --------------------------------------------------------------------------- cameras

def camera_matrix(fx, fy, cx, cy):
    """The pinhole intrinsics ``K = [[fx, 0, cx], [0, fy, cy], [0, 0, 1]]`` (float64)."""
    return np.array([[fx, 0.0, cx], [0.0, fy, cy], [0.0, 0.0, 1.0]])


def look_at(eye, target=(0.0, 0.0, 0.0), up=(0.0, 0.0, 1.0)):
    """Camera-to-world pose ``(4, 4)`` of a camera at ``eye`` looking at ``target``.

    Camera axes as in OpenCV and the pinhole ``K``: ``x`` right, ``y`` down, ``z``
    forward. The columns of the rotation are these axes in world coordinates.
    """
    eye, target, up = (np.asarray(v, dtype=np.float64) for v in (eye, target, up))
    forward = target - eye
    forward /= np.linalg.norm(forward)
    right = np.cross(forward, up)
    right /= np.linalg.norm(right)
    down = np.cross(forward, right)
    pose = np.eye(4)
    pose[:3, 0], pose[:3, 1], pose[:3, 2], pose[:3, 3] = right, down, forward, eye
    return pose


def orbit_pose(azimuth, elevation=30.0, radius=4.0):
    """Pose of a camera on a sphere around the origin (angles in degrees), looking at it."""
    a, e = np.radians(azimuth), np.radians(elevation)
    eye = radius * np.array([np.cos(e) * np.cos(a), np.cos(e) * np.sin(a), np.sin(e)])
    return look_at(eye)


def camera_rays(pose, height, width, focal):
    """One ray per pixel centre of a pinhole camera: ``(origins, directions)``, each ``(H·W, 3)``.

    Row-major pixel order; the principal point is the image centre; directions
    have unit length. NumPy float64.
    """
    i, j = np.mgrid[:height, :width]
    cam = np.stack([(j + 0.5 - width / 2) / focal, (i + 0.5 - height / 2) / focal,
                    np.ones((height, width))], axis=-1).reshape(-1, 3)
    dirs = cam @ np.asarray(pose)[:3, :3].T
    dirs /= np.linalg.norm(dirs, axis=1, keepdims=True)
    origins = np.broadcast_to(np.asarray(pose)[:3, 3], dirs.shape).copy()
    return origins, dirs


# --------------------------------------------------------------------------- analytic scene

#: The NeRF scene: (centre, radius, colour) of each sphere; the background is black.
SPHERES = (((0.55, 0.0, 0.0), 0.55, (0.9, 0.2, 0.15)),
           ((-0.45, 0.45, 0.05), 0.45, (0.15, 0.75, 0.25)),
           ((-0.2, -0.6, 0.35), 0.35, (0.2, 0.35, 0.95)))
LIGHT = np.array([0.4, -0.5, 0.77]) / np.linalg.norm([0.4, -0.5, 0.77])


def render_spheres(pose, height, width, focal, spheres=SPHERES):
    """Render the scene of coloured spheres exactly, by ray–sphere intersection.

    Each pixel's ray ``o + t·d`` meets a sphere ``|p − c| = r`` where
    ``t² + 2t d·(o − c) + |o − c|² − r² = 0``; the nearest positive root over all
    spheres wins. Lambertian shading ``albedo · (0.45 + 0.55·max(0, n·l))``, black
    background.

    Returns
    -------
    image : ndarray (H, W, 3) float64 in [0, 1]
    depth : ndarray (H, W) float64
        Distance along the ray to the surface, ``inf`` for the background.
    """
    origins, dirs = camera_rays(pose, height, width, focal)
    best = np.full(len(dirs), np.inf)
    color = np.zeros((len(dirs), 3))
    for center, radius, albedo in spheres:
        oc = origins - np.asarray(center)
        b = np.sum(dirs * oc, axis=1)
        c = np.sum(oc * oc, axis=1) - radius ** 2
        disc = b * b - c
        t = np.where(disc >= 0, -b - np.sqrt(np.maximum(disc, 0)), np.inf)
        t = np.where(t > 0, t, np.inf)
        closer = t < best
        p = origins + np.where(np.isfinite(t), t, 0)[:, None] * dirs
        n = (p - np.asarray(center)) / radius
        shade = 0.45 + 0.55 * np.clip(n @ LIGHT, 0, None)
        color[closer] = (shade[:, None] * np.asarray(albedo))[closer]
        best = np.where(closer, t, best)
    return color.reshape(height, width, 3).clip(0, 1), best.reshape(height, width)


def nerf_dataset(n_views=30, size=32, focal=None, radius=4.0, seed=0):
    """Views of :data:`SPHERES` from cameras on an orbit, rendered by :func:`render_spheres`.

    Returns
    -------
    dict
        ``images`` (V, H, W, 3) float32 tensor, ``poses`` (V, 4, 4) float32 tensor,
        ``focal`` (pixels), ``size``, ``azimuths`` and ``elevations`` (degrees).
    """
    torch = _torch()
    rng = np.random.default_rng(seed)
    focal = focal if focal is not None else 2.0 * size
    az = np.sort(rng.uniform(0, 360, n_views))
    el = rng.uniform(15, 60, n_views)
    poses = np.stack([orbit_pose(a, e, radius) for a, e in zip(az, el)])
    images = np.stack([render_spheres(p, size, size, focal)[0] for p in poses])
    return {"images": torch.tensor(images, dtype=torch.float32),
            "poses": torch.tensor(poses, dtype=torch.float32), "focal": focal, "size": size,
            "azimuths": az, "elevations": el}


class TinyNeRF(__import__("torch").nn.Module):
    """An MLP from encoded 3-D points ``(..., in_features)`` to ``(sigma, rgb)``.

    ``sigma (...,)`` ≥ 0 (a softplus, which never stops learning as a ReLU can), ``rgb (..., 3)`` in (0, 1) (a sigmoid). The input
    is *your* positional encoding of the points: ``in_features = 3·(1 + 2L)``.
    (The scene is Lambertian, so the colour does not depend on the view direction.)
    """

    def __init__(self, in_features, hidden=64):
        nn = __import__("torch").nn
        super().__init__()
        self.net = nn.Sequential(nn.Linear(in_features, hidden), nn.ReLU(),
                                 nn.Linear(hidden, hidden), nn.ReLU(),
                                 nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 4))

    def forward(self, x):
        torch = __import__("torch")
        out = self.net(x)
        return torch.nn.functional.softplus(out[..., 0] - 1.0), torch.sigmoid(out[..., 1:])


def render_rays(model, origins, directions, encode, sample, render, near=2.5, far=5.5,
                n_samples=32, generator=None):
    """Colours ``(R, 3)`` of rays through a NeRF, with your three functions.

    ``points, t = sample(origins, directions, near, far, n_samples, generator)``;
    ``sigma, rgb = model(encode(points))``; the distances between samples are
    ``deltas = t[:, 1:] − t[:, :-1]`` (times ``|d|``) with ``1e10`` for the last
    sample; ``rgb_map, weights = render(sigma, rgb, deltas)``.
    """
    torch = _torch()
    points, t = sample(origins, directions, near, far, n_samples, generator)
    sigma, rgb = model(encode(points))
    deltas = torch.cat([t[:, 1:] - t[:, :-1], torch.full_like(t[:, :1], 1e10)], dim=1)
    deltas = deltas * directions.norm(dim=1, keepdim=True)
    return render(sigma, rgb, deltas)[0]


@cpu_single_thread
def train_nerf(model, data, encode, sample, render, steps=300, batch_rays=512, lr=5e-3,
               near=2.5, far=5.5, n_samples=24, seed=0, device="cpu", show_progress=True):
    """Fit ``model`` to the images of :func:`nerf_dataset` (mean squared error, Adam).

    Each step takes ``batch_rays`` random pixels of random views, renders them with
    :func:`render_rays` (stratified samples drawn with a seeded generator) and
    takes a step. Returns the list of PSNRs (dB) per step.
    """
    torch = _torch()
    g = torch.Generator().manual_seed(seed)
    size, focal = data["size"], data["focal"]
    rays_o, rays_d = [], []
    for pose in data["poses"].numpy():
        o, d = camera_rays(pose, size, size, focal)
        rays_o.append(o)
        rays_d.append(d)
    rays_o = torch.tensor(np.concatenate(rays_o), dtype=torch.float32, device=device)
    rays_d = torch.tensor(np.concatenate(rays_d), dtype=torch.float32, device=device)
    target = data["images"].reshape(-1, 3).to(device)
    model.to(device).train()
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    psnr = []
    for _ in progress(range(steps), desc="NeRF steps", disable=not show_progress):
        idx = torch.randint(0, len(target), (batch_rays,), generator=g).to(device)
        rgb = render_rays(model, rays_o[idx], rays_d[idx], encode, sample, render, near, far,
                          n_samples, generator=g)
        loss = torch.mean((rgb - target[idx]) ** 2)
        opt.zero_grad()
        loss.backward()
        opt.step()
        psnr.append(-10 * math.log10(max(loss.item(), 1e-12)))
    model.eval()
    return psnr


def render_view(model, pose, encode, sample, render, size=32, focal=None, near=2.5, far=5.5,
                n_samples=48, device="cpu", chunk=4096):
    """Render a whole ``(size, size, 3)`` NumPy image of a NeRF from ``pose`` (evenly spaced samples)."""
    torch = _torch()
    focal = focal if focal is not None else 2.0 * size
    o, d = camera_rays(np.asarray(pose), size, size, focal)
    o = torch.tensor(o, dtype=torch.float32, device=device)
    d = torch.tensor(d, dtype=torch.float32, device=device)
    out = []
    with torch.no_grad():
        for s in range(0, len(o), chunk):
            out.append(render_rays(model, o[s:s + chunk], d[s:s + chunk], encode, sample, render,
                                   near, far, n_samples).cpu())
    return torch.cat(out).reshape(size, size, 3).clamp(0, 1).numpy()


def psnr(image, target):
    """Peak signal-to-noise ratio (dB) of images in [0, 1]."""
    mse = np.mean((np.asarray(image, dtype=float) - np.asarray(target, dtype=float)) ** 2)
    return float(10 * np.log10(1.0 / max(mse, 1e-12)))


def orbit_widget(render_fn, elevation=30.0, azimuth=0.0):
    """A camera-orbit slider: ``render_fn(pose)`` → list of images, redrawn as a PNG on release.

    ``render_fn`` takes a ``(4, 4)`` pose from :func:`orbit_pose` and returns
    ``{title: (H, W, 3) image}``. Returns an ``ipywidgets.VBox`` (draws once; never blocks).
    """
    import ipywidgets as widgets

    plt = _plt()
    slider = widgets.FloatSlider(value=azimuth, min=0, max=360, step=15, description="azimuth",
                                 continuous_update=False)
    picture = widgets.Image(format="png")

    def draw(change=None):
        images = render_fn(orbit_pose(slider.value, elevation))
        fig, axes = plt.subplots(1, len(images), figsize=(2.6 * len(images), 2.8), squeeze=False)
        for ax, (title, img) in zip(axes[0], images.items()):
            ax.imshow(np.clip(img, 0, 1))
            ax.set_title(title, fontsize=9)
            ax.axis("off")
        fig.tight_layout()
        picture.value = _png(fig)

    slider.observe(draw, names="value")
    draw()
    return widgets.VBox([slider, picture])


# --------------------------------------------------------------------------- SDF scene

def sdf_scene(points):
    """Signed distance ``(N,)`` from points ``(N, 3)`` to a small scene (NumPy).

    The union (minimum) of a sphere of radius 0.7 at ``(0, 0, 0)``, a box of
    half-sides ``(0.4, 0.4, 0.6)`` at ``(1.3, 0.3, −0.1)`` and the ground plane
    ``z = −0.7``. Each piece is an exact distance, so the minimum is a valid SDF:
    ``|sdf(p)|`` never exceeds the distance to the surface.
    """
    p = np.asarray(points, dtype=np.float64)
    sphere = np.linalg.norm(p, axis=-1) - 0.7
    q = np.abs(p - np.array([1.3, 0.3, -0.1])) - np.array([0.4, 0.4, 0.6])
    box = np.linalg.norm(np.maximum(q, 0), axis=-1) + np.minimum(q.max(axis=-1), 0)
    plane = p[..., 2] + 0.7
    return np.minimum(np.minimum(sphere, box), plane)


def sdf_normals(sdf, points, h=1e-4):
    """Unit normals ``(N, 3)``: the normalised central-difference gradient of ``sdf``."""
    p = np.asarray(points, float)
    grad = np.stack([sdf(p + h * e) - sdf(p - h * e) for e in np.eye(3)], axis=-1)
    return grad / np.maximum(np.linalg.norm(grad, axis=-1, keepdims=True), 1e-12)


def shade_sdf(sdf, origins, directions, hit, t, height, width, light=LIGHT):
    """An image ``(H, W, 3)`` from sphere-tracing results: Lambertian shading of the hits.

    Hit points are ``o + t·d/|d|``; misses are sky blue. Also returns the depth map
    (``inf`` on misses).
    """
    d = np.asarray(directions, dtype=np.float64)
    d = d / np.linalg.norm(d, axis=1, keepdims=True)
    hit, t = np.asarray(hit, dtype=bool), np.asarray(t, dtype=np.float64)
    p = np.asarray(origins) + np.where(hit, t, 0)[:, None] * d
    n = sdf_normals(sdf, p)
    shade = 0.2 + 0.8 * np.clip(n @ light, 0, None)
    color = np.where(hit[:, None], shade[:, None] * np.array([0.95, 0.85, 0.7]),
                     np.array([0.55, 0.7, 0.9]))
    depth = np.where(hit, t, np.inf)
    return color.reshape(height, width, 3), depth.reshape(height, width)


# --------------------------------------------------------------------------- 3-D figures

def plot_point_cloud(points, colors=None, ax=None, title=None, max_points=6000, s=1.0,
                     elev=20, azim=-60, seed=0):
    """Scatter a point cloud ``(N, 3)`` in 3-D (a random subset of ``max_points``)."""
    plt = _plt()
    points = as_numpy(points).reshape(-1, 3)
    keep = np.all(np.isfinite(points), axis=1)
    idx = np.nonzero(keep)[0]
    if len(idx) > max_points:
        idx = np.sort(np.random.default_rng(seed).choice(idx, max_points, replace=False))
    if ax is None:
        fig = plt.figure(figsize=(4.5, 4.5))
        ax = fig.add_subplot(projection="3d")
    c = None if colors is None else np.asarray(colors).reshape(len(points), -1)[idx]
    ax.scatter(points[idx, 0], points[idx, 1], points[idx, 2], c=c, s=s, depthshade=False)
    ax.view_init(elev=elev, azim=azim)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_zlabel("z")
    if title:
        ax.set_title(title, fontsize=9)
    return ax


def plot_shapes(X, y, n=4, size=2.6):
    """One point cloud of each class of :func:`shape_dataset` in 3-D."""
    plt = _plt()
    X, y = as_numpy(X), np.asarray(y)
    fig = plt.figure(figsize=(size * n, size))
    for k in range(n):
        ax = fig.add_subplot(1, n, k + 1, projection="3d")
        i = int(np.nonzero(y == k % len(SHAPES))[0][0])
        plot_point_cloud(X[i], ax=ax, title=SHAPES[int(y[i])], s=2)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_zticks([])
    fig.tight_layout()
    return fig


def plot_voxels(grid, ax=None, title=None, color="tab:orange"):
    """Draw a boolean occupancy grid ``(X, Y, Z)`` with ``Axes3D.voxels``."""
    plt = _plt()
    if ax is None:
        fig = plt.figure(figsize=(4, 4))
        ax = fig.add_subplot(projection="3d")
    ax.voxels(np.asarray(grid, dtype=bool), facecolors=color, edgecolor="k", linewidth=0.2)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_zlabel("z")
    if title:
        ax.set_title(title, fontsize=9)
    return ax
