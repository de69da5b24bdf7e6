"""Image loading: every image ships with scikit-image, nothing is downloaded."""

import numpy as np

#: Names accepted by :func:`load_image`, all from ``skimage.data``.
IMAGE_NAMES = ("camera", "astronaut", "chelsea", "coffee", "brick", "moon", "coins",
               "text", "grass", "gravel", "rocket", "checkerboard")


def to_float(image):
    """Return ``image`` as float64 in [0, 1] (uint8 is scaled by 1/255).

    Parameters
    ----------
    image : ndarray
        uint8 or float image of any shape.

    Returns
    -------
    ndarray, float64
    """
    image = np.asarray(image)
    if image.dtype == np.uint8:
        return image.astype(np.float64) / 255.0
    return image.astype(np.float64)


def resize(image, shape):
    """Resize the first two axes of ``image`` to ``shape`` (anti-aliased, float64)."""
    from skimage.transform import resize as _resize

    out_shape = tuple(shape) + image.shape[2:]
    return _resize(to_float(image), out_shape, anti_aliasing=True, mode="reflect")


def load_image(name, size=None, gray=False):
    """Load one of the images in :data:`IMAGE_NAMES` as float64 in [0, 1].

    Parameters
    ----------
    name : str
        An image from ``skimage.data`` (see :data:`IMAGE_NAMES`).
    size : int or (int, int), optional
        Output ``(H, W)``; an int scales the shorter side to ``size``.
    gray : bool
        Convert RGB to gray with weights 0.299, 0.587, 0.114.

    Returns
    -------
    ndarray, float64, shape ``(H, W)`` or ``(H, W, 3)``
    """
    import skimage.data

    if name not in IMAGE_NAMES:
        raise ValueError(f"unknown image {name!r}; choose one of {', '.join(IMAGE_NAMES)}")
    image = to_float(getattr(skimage.data, name)())
    if image.ndim == 3 and image.shape[2] == 4:
        image = image[..., :3]
    if gray and image.ndim == 3:
        image = image @ np.array([0.299, 0.587, 0.114])
    if size is not None:
        if np.isscalar(size):
            h, w = image.shape[:2]
            scale = size / min(h, w)
            size = (max(1, round(h * scale)), max(1, round(w * scale)))
        image = resize(image, size)
    return np.clip(image, 0.0, 1.0)
