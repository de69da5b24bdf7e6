"""HW4 (motion and tracking): plausible wrong answers and correct alternatives.

Every ``WRONG`` variant must lose points under the tests of
``solutions/hw4/hw4.ipynb``; every ``ALTERNATIVE`` must keep all 100.
"""

from tests.catalog import Variant

_LAB = "answer_rgb_to_lab"
_DER = "answer_image_derivatives"
_LK = "answer_lucas_kanade"
_WARP = "answer_warp_backward"
_EPE = "answer_endpoint_error"
_PYR = "answer_pyramid_lucas_kanade"
_ATT = "answer_attention_weights"
_PROP = "answer_propagate_labels"
_TRK = "answer_track_masks"
_IOU = "answer_mask_iou"
_POIN = "answer_poincare_distance"

_LK_CHECKS = '''    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) \\
            or window < 1 or window % 2 == 0:
        raise ValueError(f"window must be a positive odd integer, got {window!r}")
    if not min_eigenvalue >= 0:
        raise ValueError(f"min_eigenvalue must be >= 0, got {min_eigenvalue!r}")
    Ix, Iy, It = image_derivatives(frame0, frame1)
'''

_LK_SOLVE_TAIL = '''    smaller = (sxx + syy) / 2.0 - np.sqrt(((sxx - syy) / 2.0) ** 2 + sxy ** 2)
    ok = (smaller >= min_eigenvalue) & (smaller > 0)
    det = np.where(ok, sxx * syy - sxy ** 2, 1.0)
    u = np.where(ok, (syy * bx - sxy * by) / det, 0.0)
    v = np.where(ok, (sxx * by - sxy * bx) / det, 0.0)
    return np.stack([u, v], axis=-1)
'''


def _lk_with_sums(sums_code):
    return ("def lucas_kanade(frame0, frame1, window=5, min_eigenvalue=1e-4):\n" + _LK_CHECKS
            + sums_code + _LK_SOLVE_TAIL)


_WARP_CHECKS = '''    image = np.asarray(image, dtype=np.float64)
    flow = np.asarray(flow, dtype=np.float64)
    if image.ndim not in (2, 3):
        raise ValueError("image must be (H, W) or (H, W, C)")
    h, w = image.shape[:2]
    if flow.shape != (h, w, 2):
        raise ValueError("flow must be (H, W, 2)")
'''

_TRK_HEAD = '''def track_masks(frames, first_mask, features=None, temperature=1.0, topk=None, radius=None):
    frames = np.asarray(frames, dtype=np.float64)
    mask = np.asarray(first_mask)
    if frames.ndim != 4 or frames.shape[-1] != 3:
        raise ValueError("frames must be (T, H, W, 3)")
    T, H, W = frames.shape[:3]
    if mask.shape != (H, W):
        raise ValueError("first_mask must be (H, W)")
    feats = rgb_to_lab(frames) if features is None else np.asarray(features, dtype=np.float64)
    if feats.ndim != 4 or feats.shape[:3] != (T, H, W):
        raise ValueError("features must be (T, H, W, C)")
    if not temperature > 0:
        raise ValueError("temperature must be > 0")
    if topk is not None and topk < 1:
        raise ValueError("topk must be >= 1")
    if radius is not None and radius < 0:
        raise ValueError("radius must be >= 0")
'''

WRONG = [
    # ------------------------------------------------------------------ rgb_to_lab
    Variant("lab_no_gamma", _LAB,
            replace=[("linear = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)",
                      "linear = rgb")],
            why="skips the sRGB gamma linearization"),
    Variant("lab_gamma_22", _LAB,
            replace=[("linear = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)",
                      "linear = rgb ** 2.2")],
            why="a plain 2.2 power instead of the piecewise sRGB curve"),
    Variant("lab_gamma_threshold", _LAB,
            replace=[("rgb > 0.04045", "rgb > 0.0031308")],
            why="the threshold of the forward sRGB curve (0.0031308) instead of 0.04045"),
    Variant("lab_white_d50", _LAB,
            replace=[("np.array([0.95047, 1.0, 1.08883])", "np.array([0.96422, 1.0, 0.82521])")],
            why="D50 white point instead of D65"),
    Variant("lab_no_white", _LAB,
            replace=[("t = xyz / np.array([0.95047, 1.0, 1.08883])", "t = xyz")],
            why="forgets to normalise by the white point"),
    Variant("lab_f_threshold", _LAB,
            replace=[("t > 0.008856", "t > 0.08856")],
            why="wrong threshold of f(t)"),
    Variant("lab_f_cbrt_only", _LAB,
            replace=[("f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16.0 / 116.0)",
                      "f = np.cbrt(t)")],
            why="no linear part of f(t) for small t"),
    Variant("lab_uint8_noscale", _LAB,
            replace=[("rgb = image.astype(np.float64) / 255.0", "rgb = image.astype(np.float64)")],
            why="does not scale uint8 by 1/255"),
    Variant("lab_L_no_offset", _LAB,
            replace=[("L = 116.0 * f[..., 1] - 16.0", "L = 116.0 * f[..., 1]")],
            why="forgets the -16 of L"),
    Variant("lab_matrix_transposed", _LAB,
            replace=[("xyz = linear @ xyz_from_rgb.T", "xyz = linear @ xyz_from_rgb")],
            why="multiplies by the transposed RGB-to-XYZ matrix"),
    # ------------------------------------------------------------------ image_derivatives
    Variant("der_forward", _DER,
            replace=[("Ix = (padded[1:-1, 2:] - padded[1:-1, :-2]) / 2.0",
                      "Ix = padded[1:-1, 2:] - padded[1:-1, 1:-1]"),
                     ("Iy = (padded[2:, 1:-1] - padded[:-2, 1:-1]) / 2.0",
                      "Iy = padded[2:, 1:-1] - padded[1:-1, 1:-1]")],
            why="forward instead of central differences"),
    Variant("der_swapped", _DER,
            replace=[("return Ix, Iy, It", "return Iy, Ix, It")],
            why="Ix and Iy swapped"),
    Variant("der_it_sign", _DER,
            replace=[("It = frame1 - frame0", "It = frame0 - frame1")],
            why="the sign of It reversed"),
    Variant("der_wrap", _DER,
            replace=[('padded = np.pad(frame0, 1, mode="edge")', 'padded = np.pad(frame0, 1, mode="wrap")')],
            why="wrap-around at the border"),
    Variant("der_zero_pad", _DER,
            replace=[('padded = np.pad(frame0, 1, mode="edge")', 'padded = np.pad(frame0, 1)')],
            why="zero padding instead of replicate"),
    Variant("der_no_half", _DER,
            replace=[("Ix = (padded[1:-1, 2:] - padded[1:-1, :-2]) / 2.0",
                      "Ix = padded[1:-1, 2:] - padded[1:-1, :-2]"),
                     ("Iy = (padded[2:, 1:-1] - padded[:-2, 1:-1]) / 2.0",
                      "Iy = padded[2:, 1:-1] - padded[:-2, 1:-1]")],
            why="central differences without the 1/2"),
    Variant("der_np_gradient", _DER, source='''def image_derivatives(frame0, frame1):
    frame0 = np.asarray(frame0, dtype=np.float64)
    frame1 = np.asarray(frame1, dtype=np.float64)
    if frame0.ndim != 2 or frame0.shape != frame1.shape:
        raise ValueError("frames must be 2-D and of the same shape")
    Iy, Ix = np.gradient(frame0)
    return Ix, Iy, frame1 - frame0
''', why="np.gradient: one-sided full differences at the border, not replicate padding"),
    # ------------------------------------------------------------------ lucas_kanade
    Variant("lk_uv_swapped", _LK,
            replace=[("return np.stack([u, v], axis=-1)", "return np.stack([v, u], axis=-1)")],
            why="u and v swapped"),
    Variant("lk_sign", _LK,
            replace=[("bx, by = -window_sum(Ix * It), -window_sum(Iy * It)",
                      "bx, by = window_sum(Ix * It), window_sum(Iy * It)")],
            why="the sign of A^T b reversed"),
    Variant("lk_no_threshold", _LK,
            replace=[("ok = (smaller >= min_eigenvalue) & (smaller > 0)",
                      "ok = np.ones(smaller.shape, dtype=bool)")],
            why="no eigenvalue threshold"),
    Variant("lk_threshold_larger", _LK,
            replace=[("smaller = (sxx + syy) / 2.0 - np.sqrt(", "smaller = (sxx + syy) / 2.0 + np.sqrt(")],
            why="threshold on the larger eigenvalue"),
    Variant("lk_threshold_det", _LK,
            replace=[("ok = (smaller >= min_eigenvalue) & (smaller > 0)",
                      "ok = (sxx * syy - sxy ** 2) > min_eigenvalue")],
            why="threshold on the determinant instead of the smaller eigenvalue"),
    Variant("lk_threshold_mean", _LK,
            replace=[("ok = (smaller >= min_eigenvalue) & (smaller > 0)",
                      "ok = (smaller / window ** 2 >= min_eigenvalue) & (smaller > 0)")],
            why="threshold on the window average instead of the sums"),
    Variant("lk_window_radius", _LK,
            replace=[("r = window // 2", "r = window")],
            why="window of side 2*window+1"),
    Variant("lk_window_fixed", _LK,
            replace=[("r = window // 2", "r = 2")],
            why="ignores the window argument (always 5x5)"),
    Variant("lk_frames_reversed", _LK,
            replace=[("Ix, Iy, It = image_derivatives(frame0, frame1)",
                      "Ix, Iy, It = image_derivatives(frame1, frame0)")],
            why="flow from frame1 to frame0"),
    Variant("lk_uniform_reflect", _LK, source=_lk_with_sums('''    import scipy.ndimage
    box = lambda a: scipy.ndimage.uniform_filter(a, window) * window ** 2
    sxx, sxy, syy = box(Ix * Ix), box(Ix * Iy), box(Iy * Iy)
    bx, by = -box(Ix * It), -box(Iy * It)
'''), why="uniform_filter with its default reflect border: the window is wrong at the border"),
    # ------------------------------------------------------------------ warp_backward
    Variant("warp_nearest", _WARP, source='''def warp_backward(image, flow):
''' + _WARP_CHECKS + '''    rows, cols = np.mgrid[0:h, 0:w]
    x = np.clip(np.rint(cols + flow[..., 0]), 0, w - 1).astype(int)
    y = np.clip(np.rint(rows + flow[..., 1]), 0, h - 1).astype(int)
    return image[y, x]
''', why="nearest neighbour instead of bilinear"),
    Variant("warp_forward_sign", _WARP,
            replace=[("x = np.clip(cols + flow[..., 0], 0, w - 1)", "x = np.clip(cols - flow[..., 0], 0, w - 1)"),
                     ("y = np.clip(rows + flow[..., 1], 0, h - 1)", "y = np.clip(rows - flow[..., 1], 0, h - 1)")],
            why="forward warping: samples at (x - u, y - v)"),
    Variant("warp_xy_swapped", _WARP,
            replace=[("x = np.clip(cols + flow[..., 0], 0, w - 1)", "x = np.clip(cols + flow[..., 1], 0, w - 1)"),
                     ("y = np.clip(rows + flow[..., 1], 0, h - 1)", "y = np.clip(rows + flow[..., 0], 0, h - 1)")],
            why="x and y of the flow swapped"),
    Variant("warp_zero_border", _WARP, source='''def warp_backward(image, flow):
''' + _WARP_CHECKS + '''    import scipy.ndimage
    rows, cols = np.mgrid[0:h, 0:w].astype(float)
    coords = [rows + flow[..., 1], cols + flow[..., 0]]
    if image.ndim == 2:
        return scipy.ndimage.map_coordinates(image, coords, order=1, mode="constant")
    return np.stack([scipy.ndimage.map_coordinates(image[..., c], coords, order=1, mode="constant")
                     for c in range(image.shape[2])], axis=-1)
''', why="zero instead of replicate border"),
    Variant("warp_forward_splat", _WARP, source='''def warp_backward(image, flow):
''' + _WARP_CHECKS + '''    out = image.copy()
    rows, cols = np.mgrid[0:h, 0:w]
    x = np.clip(np.rint(cols + flow[..., 0]), 0, w - 1).astype(int)
    y = np.clip(np.rint(rows + flow[..., 1]), 0, h - 1).astype(int)
    out[y, x] = image[rows, cols]
    return out
''', why="forward splatting: pushes pixels to where they go"),
    # ------------------------------------------------------------------ endpoint_error
    Variant("epe_rms", _EPE,
            replace=[("return float(np.mean(np.sqrt(np.sum((flow - gt) ** 2, axis=-1))))",
                      "return float(np.sqrt(np.mean(np.sum((flow - gt) ** 2, axis=-1))))")],
            why="root-mean-square instead of the mean length"),
    Variant("epe_squared", _EPE,
            replace=[("return float(np.mean(np.sqrt(np.sum((flow - gt) ** 2, axis=-1))))",
                      "return float(np.mean(np.sum((flow - gt) ** 2, axis=-1)))")],
            why="mean squared error"),
    Variant("epe_l1", _EPE,
            replace=[("return float(np.mean(np.sqrt(np.sum((flow - gt) ** 2, axis=-1))))",
                      "return float(np.mean(np.sum(np.abs(flow - gt), axis=-1)))")],
            why="L1 instead of Euclidean lengths"),
    Variant("epe_mean_over_components", _EPE,
            replace=[("return float(np.mean(np.sqrt(np.sum((flow - gt) ** 2, axis=-1))))",
                      "return float(np.mean(np.abs(flow - gt)))")],
            why="mean absolute difference over both components"),
    # ------------------------------------------------------------------ pyramid_lucas_kanade
    Variant("pyr_no_doubling", _PYR,
            replace=[("return 2.0 * ((1 - fy) * top + fy * bottom)", "return (1 - fy) * top + fy * bottom")],
            why="forgets to double the flow at the finer level"),
    Variant("pyr_quadrupling", _PYR,
            replace=[("return 2.0 * ((1 - fy) * top + fy * bottom)", "return 4.0 * ((1 - fy) * top + fy * bottom)")],
            why="multiplies the flow by 4"),
    Variant("pyr_no_warp", _PYR,
            replace=[("warped = warp_backward(pyramid1[level], flow)", "warped = pyramid1[level]")],
            why="never warps frame1: re-estimates the whole motion at each level"),
    Variant("pyr_single_level", _PYR,
            replace=[("pyramid0, pyramid1 = [frame0], [frame1]", "levels = 1\n    pyramid0, pyramid1 = [frame0], [frame1]")],
            why="ignores levels: single-level Lucas-Kanade"),
    Variant("pyr_subtract", _PYR,
            replace=[("flow = flow + lucas_kanade(", "flow = flow - lucas_kanade(")],
            why="subtracts the refinement"),
    # ------------------------------------------------------------------ attention_weights
    Variant("att_axis0", _ATT,
            replace=[("logits = logits - logits.max(axis=1, keepdims=True)",
                      "logits = logits - logits.max(axis=0, keepdims=True)"),
                     ("return weights / weights.sum(axis=1, keepdims=True)",
                      "return weights / weights.sum(axis=0, keepdims=True)")],
            why="softmax over the target axis"),
    Variant("att_temp_mult", _ATT,
            replace=[("logits = tgt @ ref.T / temperature", "logits = tgt @ ref.T * temperature")],
            why="multiplies by the temperature"),
    Variant("att_no_temperature", _ATT,
            replace=[("logits = tgt @ ref.T / temperature", "logits = tgt @ ref.T")],
            why="ignores the temperature"),
    Variant("att_overflow", _ATT,
            replace=[("logits = logits - logits.max(axis=1, keepdims=True)\n", "")],
            why="no max subtraction: overflows on large features"),
    Variant("att_transposed", _ATT,
            replace=[("return weights / weights.sum(axis=1, keepdims=True)",
                      "return (weights / weights.sum(axis=1, keepdims=True)).T")],
            why="returns (N_ref, N_tgt)"),
    Variant("att_cosine", _ATT,
            replace=[("logits = tgt @ ref.T / temperature",
                      "logits = (tgt / np.linalg.norm(tgt, axis=1, keepdims=True)) @ "
                      "(ref / np.linalg.norm(ref, axis=1, keepdims=True)).T / temperature")],
            why="cosine similarity instead of the dot product"),
    # ------------------------------------------------------------------ propagate_labels
    Variant("prop_argmax", _PROP,
            replace=[("return weights @ labels", "return labels[np.argmax(weights, axis=1)]")],
            why="copies the label of the largest weight only"),
    Variant("prop_transposed", _PROP,
            replace=[("return weights @ labels", "return (weights @ labels).T")],
            why="returns (K, N_tgt)"),
    Variant("prop_renormalized_columns", _PROP,
            replace=[("return weights @ labels",
                      "return (weights / weights.sum(axis=0, keepdims=True)) @ labels")],
            why="normalises the weights over the target axis"),
    # ------------------------------------------------------------------ track_masks
    Variant("trk_from_first", _TRK,
            replace=[("ref, tgt = feats[t - 1], feats[t]", "ref, tgt = feats[0], feats[t]"),
                     ("prev = out[t - 1].astype(np.float64)", "prev = out[0].astype(np.float64)")],
            why="propagates from the first frame each time, not frame to frame"),
    Variant("trk_no_topk", _TRK,
            replace=[("if topk is not None and topk < sims.shape[-1]:", "if False:")],
            why="ignores topk"),
    Variant("trk_circle", _TRK,
            replace=[("                    s = np.sum(ref_p",
                      "                    if (dy - r) ** 2 + (dx - r) ** 2 > r * r:\n"
                      "                        continue\n"
                      "                    s = np.sum(ref_p")],
            why="a round window instead of the square |dy|, |dx| <= radius"),
    Variant("trk_outside_candidates", _TRK,
            replace=[("sims.append(np.where(inside[dy:dy + H, dx:dx + W], s, -np.inf))", "sims.append(s)")],
            why="zero-padded pixels outside the frame count as candidates"),
    Variant("trk_rgb_default", _TRK,
            replace=[("feats = rgb_to_lab(frames) if features is None", "feats = frames if features is None")],
            why="uses RGB instead of Lab when no features are given"),
    Variant("trk_temp_mult", _TRK,
            replace=[("/ temperature).reshape(H, W, H * W)", "* temperature).reshape(H, W, H * W)"),
                     ("s = np.sum(ref_p[dy:dy + H, dx:dx + W] * tgt, axis=-1) / temperature",
                      "s = np.sum(ref_p[dy:dy + H, dx:dx + W] * tgt, axis=-1) * temperature")],
            why="multiplies by the temperature"),
    Variant("trk_softmax_before_topk", _TRK,
            replace=[("            sims = np.where(sims >= kth, sims, -np.inf)\n"
                      "        sims = sims - sims.max(axis=-1, keepdims=True)\n"
                      "        weights = np.exp(sims)\n"
                      "        weights /= weights.sum(axis=-1, keepdims=True)\n",
                      "            keep = sims >= kth\n"
                      "        else:\n"
                      "            keep = True\n"
                      "        sims = sims - sims.max(axis=-1, keepdims=True)\n"
                      "        weights = np.exp(sims)\n"
                      "        weights /= weights.sum(axis=-1, keepdims=True)\n"
                      "        weights = weights * keep\n")],
            why="softmax over all candidates, then drops all but the top k (no renormalisation)"),
    # ------------------------------------------------------------------ mask_iou
    Variant("iou_dice", _IOU,
            replace=[("return float(np.count_nonzero(pred & gt) / union)",
                      "return float(2 * np.count_nonzero(pred & gt) / (np.count_nonzero(pred) + np.count_nonzero(gt)))")],
            why="Dice coefficient instead of IoU"),
    Variant("iou_empty_zero", _IOU,
            replace=[("        return 1.0\n", "        return 0.0\n")],
            why="two empty masks get 0"),
    Variant("iou_recall", _IOU,
            replace=[("return float(np.count_nonzero(pred & gt) / union)",
                      "return float(np.count_nonzero(pred & gt) / max(np.count_nonzero(gt), 1))")],
            why="intersection over the ground truth"),
    # ------------------------------------------------------------------ poincare_distance
    Variant("poin_no_two", _POIN,
            replace=[("1.0 + 2.0 * d2", "1.0 + d2")],
            why="forgets the factor 2"),
    Variant("poin_no_square_diff", _POIN,
            replace=[("d2 = np.sum((a - b) ** 2, axis=-1)", "d2 = np.sqrt(np.sum((a - b) ** 2, axis=-1))")],
            why="|a - b| instead of |a - b|^2"),
    Variant("poin_norms_not_squared", _POIN,
            replace=[("norm_a = np.sum(a * a, axis=-1)", "norm_a = np.sqrt(np.sum(a * a, axis=-1))"),
                     ("norm_b = np.sum(b * b, axis=-1)", "norm_b = np.sqrt(np.sum(b * b, axis=-1))")],
            why="(1 - |a|)(1 - |b|) instead of the squared norms"),
    Variant("poin_arcsinh", _POIN,
            replace=[("return np.arccosh(", "return np.arcsinh(")],
            why="arcsinh instead of arccosh"),
    Variant("poin_no_check", _POIN,
            replace=[("    if np.any(norm_a >= 1) or np.any(norm_b >= 1):\n"
                      "        raise ValueError(\"points must lie strictly inside the unit ball (norm < 1)\")\n", "")],
            why="accepts points outside the disc"),
]

ALTERNATIVE = [
    Variant("lab_masks_like_skimage", _LAB, source='''def rgb_to_lab(image):
    arr = np.asarray(image)
    if arr.shape[-1:] != (3,):
        raise ValueError("need 3 channels")
    arr = arr / 255.0 if arr.dtype == np.uint8 else arr.astype(float)
    arr = arr.copy()
    mask = arr > 0.04045
    arr[mask] = ((arr[mask] + 0.055) / 1.055) ** 2.4
    arr[~mask] /= 12.92
    M = np.array([[0.412453, 0.357580, 0.180423],
                  [0.212671, 0.715160, 0.072169],
                  [0.019334, 0.119193, 0.950227]])
    xyz = np.einsum("ij,...j->...i", M, arr) / np.array([0.95047, 1.0, 1.08883])
    mask = xyz > 0.008856
    xyz[mask] = xyz[mask] ** (1.0 / 3.0)
    xyz[~mask] = 7.787 * xyz[~mask] + 16.0 / 116.0
    x, y, z = xyz[..., 0], xyz[..., 1], xyz[..., 2]
    return np.stack([116 * y - 16, 500 * (x - y), 200 * (y - z)], axis=-1)
''', why="boolean masks and einsum, as skimage does it"),
    Variant("der_np_gradient_padded", _DER, source='''def image_derivatives(frame0, frame1):
    f0 = np.asarray(frame0, dtype=float)
    f1 = np.asarray(frame1, dtype=float)
    if f0.ndim != 2 or f1.ndim != 2 or f0.shape != f1.shape:
        raise ValueError("two 2-D frames of the same shape are needed")
    gy, gx = np.gradient(np.pad(f0, 1, mode="edge"))
    return gx[1:-1, 1:-1], gy[1:-1, 1:-1], f1 - f0
''', why="np.gradient of the replicate-padded frame, cropped"),
    Variant("der_correlate1d", _DER, source='''def image_derivatives(frame0, frame1):
    import scipy.ndimage
    f0 = np.asarray(frame0, dtype=float)
    f1 = np.asarray(frame1, dtype=float)
    if f0.ndim != 2 or f0.shape != np.shape(f1):
        raise ValueError("two 2-D frames of the same shape are needed")
    k = np.array([-0.5, 0.0, 0.5])
    Ix = scipy.ndimage.correlate1d(f0, k, axis=1, mode="nearest")
    Iy = scipy.ndimage.correlate1d(f0, k, axis=0, mode="nearest")
    return Ix, Iy, f1 - f0
''', why="scipy.ndimage.correlate1d with mode='nearest'"),
    Variant("lk_uniform_filter", _LK, source=_lk_with_sums('''    import scipy.ndimage
    box = lambda a: scipy.ndimage.uniform_filter(a, window, mode="constant") * window ** 2
    sxx, sxy, syy = box(Ix * Ix), box(Ix * Iy), box(Iy * Iy)
    bx, by = -box(Ix * It), -box(Iy * It)
'''), why="box sums by scipy.ndimage.uniform_filter with zero border"),
    Variant("lk_offset_loops", _LK, source=_lk_with_sums('''    r = window // 2
    h, w = Ix.shape
    def box(a):
        p = np.pad(a, r)
        out = np.zeros((h, w))
        for dy in range(window):
            for dx in range(window):
                out += p[dy:dy + h, dx:dx + w]
        return out
    sxx, sxy, syy = box(Ix * Ix), box(Ix * Iy), box(Iy * Iy)
    bx, by = -box(Ix * It), -box(Iy * It)
'''), why="explicit loops over the window offsets"),
    Variant("lk_convolve2d", _LK, source=_lk_with_sums('''    import scipy.signal
    ones = np.ones((window, window))
    box = lambda a: scipy.signal.convolve2d(a, ones, mode="same")
    sxx, sxy, syy = box(Ix * Ix), box(Ix * Iy), box(Iy * Iy)
    bx, by = -box(Ix * It), -box(Iy * It)
'''), why="scipy.signal.convolve2d with a box of ones"),
    Variant("lk_linalg_solve", _LK, source='''def lucas_kanade(frame0, frame1, window=5, min_eigenvalue=1e-4):
    import scipy.ndimage
    if isinstance(window, bool) or int(window) != window or window < 1 or window % 2 == 0:
        raise ValueError("window must be odd and positive")
    if min_eigenvalue < 0:
        raise ValueError("min_eigenvalue must be >= 0")
    Ix, Iy, It = image_derivatives(frame0, frame1)
    box = lambda a: scipy.ndimage.uniform_filter(a, window, mode="constant", cval=0.0) * window ** 2
    M = np.empty(Ix.shape + (2, 2))
    M[..., 0, 0] = box(Ix * Ix)
    M[..., 0, 1] = M[..., 1, 0] = box(Ix * Iy)
    M[..., 1, 1] = box(Iy * Iy)
    rhs = -np.stack([box(Ix * It), box(Iy * It)], axis=-1)
    lam = np.linalg.eigvalsh(M)[..., 0]
    ok = lam >= max(min_eigenvalue, 1e-300)
    flow = np.zeros(Ix.shape + (2,))
    flow[ok] = np.linalg.solve(M[ok], rhs[ok][..., None])[..., 0]
    return flow
''', why="np.linalg.eigvalsh and a batched np.linalg.solve"),
    Variant("warp_map_coordinates", _WARP, source='''def warp_backward(image, flow):
''' + _WARP_CHECKS + '''    import scipy.ndimage
    rows, cols = np.mgrid[0:h, 0:w].astype(float)
    coords = [np.clip(rows + flow[..., 1], 0, h - 1), np.clip(cols + flow[..., 0], 0, w - 1)]
    if image.ndim == 2:
        return scipy.ndimage.map_coordinates(image, coords, order=1)
    return np.stack([scipy.ndimage.map_coordinates(image[..., c], coords, order=1)
                     for c in range(image.shape[2])], axis=-1)
''', why="scipy.ndimage.map_coordinates on clamped coordinates"),
    Variant("warp_map_coordinates_nearest_mode", _WARP, source='''def warp_backward(image, flow):
''' + _WARP_CHECKS + '''    from scipy.ndimage import map_coordinates
    rows, cols = np.mgrid[0:h, 0:w].astype(float)
    coords = [rows + flow[..., 1], cols + flow[..., 0]]
    chans = image[..., None] if image.ndim == 2 else image
    out = np.stack([map_coordinates(chans[..., c], coords, order=1, mode="nearest")
                    for c in range(chans.shape[-1])], axis=-1)
    return out[..., 0] if image.ndim == 2 else out
''', why="map_coordinates with mode='nearest' (replicate) instead of clamping"),
    Variant("epe_linalg_norm", _EPE, source='''def endpoint_error(flow, gt):
    flow, gt = np.asarray(flow, float), np.asarray(gt, float)
    if flow.shape != gt.shape or flow.shape[-1] != 2:
        raise ValueError("flows must have the same shape (..., 2)")
    return np.linalg.norm(flow - gt, axis=-1).mean()
''', why="np.linalg.norm"),
    Variant("pyr_gaussian_repeat", _PYR, source='''def pyramid_lucas_kanade(frame0, frame1, levels=3, window=5, iterations=1, min_eigenvalue=1e-4):
    import scipy.ndimage
    f0 = np.asarray(frame0, dtype=float)
    f1 = np.asarray(frame1, dtype=float)
    if f0.ndim != 2 or f0.shape != f1.shape:
        raise ValueError("frames must be 2-D and of the same shape")
    if int(levels) != levels or levels < 1 or int(iterations) != iterations or iterations < 1:
        raise ValueError("levels and iterations must be positive integers")
    p0, p1 = [f0], [f1]
    for _ in range(levels - 1):
        p0.append(scipy.ndimage.gaussian_filter(p0[-1], 1.0, mode="nearest")[::2, ::2])
        p1.append(scipy.ndimage.gaussian_filter(p1[-1], 1.0, mode="nearest")[::2, ::2])
    flow = np.zeros(p0[-1].shape + (2,))
    for level in reversed(range(levels)):
        h, w = p0[level].shape
        if flow.shape[:2] != (h, w):
            flow = 2 * np.repeat(np.repeat(flow, 2, axis=0), 2, axis=1)[:h, :w]
        for _ in range(iterations):
            flow = flow + lucas_kanade(p0[level], warp_backward(p1[level], flow), window, min_eigenvalue)
    return flow
''', why="Gaussian-filtered pyramid, nearest-neighbour (np.repeat) upsampling"),
    Variant("pyr_skimage_resize", _PYR, source='''def pyramid_lucas_kanade(frame0, frame1, levels=3, window=5, iterations=1, min_eigenvalue=1e-4):
    from skimage.transform import pyramid_reduce, resize
    f0 = np.asarray(frame0, dtype=float)
    f1 = np.asarray(frame1, dtype=float)
    if f0.ndim != 2 or f0.shape != f1.shape:
        raise ValueError("frames must be 2-D and of the same shape")
    if int(levels) != levels or levels < 1 or int(iterations) != iterations or iterations < 1:
        raise ValueError("levels and iterations must be positive integers")
    p0, p1 = [f0], [f1]
    for _ in range(levels - 1):
        p0.append(pyramid_reduce(p0[-1], 2))
        p1.append(pyramid_reduce(p1[-1], 2))
    flow = np.zeros(p0[-1].shape + (2,))
    for level in range(levels - 1, -1, -1):
        shape = p0[level].shape
        if flow.shape[:2] != shape:
            flow = 2 * resize(flow, shape + (2,), order=1, mode="edge", anti_aliasing=False)
        for _ in range(iterations):
            flow = flow + lucas_kanade(p0[level], warp_backward(p1[level], flow), window, min_eigenvalue)
    return flow
''', why="skimage's pyramid_reduce and resize"),
    Variant("att_scipy_softmax", _ATT, source='''def attention_weights(ref_feats, tgt_feats, temperature=1.0):
    from scipy.special import softmax
    ref, tgt = np.asarray(ref_feats, float), np.asarray(tgt_feats, float)
    if ref.ndim != 2 or tgt.ndim != 2 or ref.shape[1] != tgt.shape[1]:
        raise ValueError("features must be (N, C) with the same C")
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    return softmax(np.einsum("jc,ic->ji", tgt, ref) / temperature, axis=1)
''', why="scipy.special.softmax and einsum"),
    Variant("att_logsumexp", _ATT, source='''def attention_weights(ref_feats, tgt_feats, temperature=1.0):
    from scipy.special import logsumexp
    ref, tgt = np.asarray(ref_feats, float), np.asarray(tgt_feats, float)
    if ref.ndim != 2 or tgt.ndim != 2 or ref.shape[1] != tgt.shape[1]:
        raise ValueError("features must be (N, C) with the same C")
    if not temperature > 0:
        raise ValueError("temperature must be positive")
    s = tgt @ ref.T / temperature
    return np.exp(s - logsumexp(s, axis=1, keepdims=True))
''', why="log-sum-exp"),
    Variant("prop_einsum", _PROP, source='''def propagate_labels(ref_labels, weights):
    labels, weights = np.asarray(ref_labels, float), np.asarray(weights, float)
    if weights.ndim != 2 or labels.ndim not in (1, 2) or len(labels) != weights.shape[1]:
        raise ValueError("shapes do not match")
    return np.einsum("ji,i...->j...", weights, labels)
''', why="einsum"),
    Variant("trk_dense_radius_mask", _TRK, source=_TRK_HEAD + '''    C = feats.shape[-1]
    ys, xs = np.divmod(np.arange(H * W), W)
    if radius is None:
        near = np.ones((H * W, H * W), dtype=bool)
    else:
        near = (np.abs(ys[:, None] - ys[None, :]) <= radius) & (np.abs(xs[:, None] - xs[None, :]) <= radius)
    out = [mask.astype(bool)]
    for t in range(1, T):
        s = feats[t].reshape(-1, C) @ feats[t - 1].reshape(-1, C).T / temperature
        s = np.where(near, s, -np.inf)
        if topk is not None and topk < s.shape[1]:
            order = np.argsort(-s, axis=1)[:, :topk]
            keep = np.zeros_like(near)
            np.put_along_axis(keep, order, True, axis=1)
            s = np.where(keep & near, s, -np.inf)
        w = np.exp(s - s.max(axis=1, keepdims=True))
        w /= w.sum(axis=1, keepdims=True)
        out.append((propagate_labels(out[-1].reshape(-1).astype(float), w) > 0.5).reshape(H, W))
    return np.stack(out)
''', why="dense (HW x HW) similarities with a radius mask, argsort for topk, propagate_labels"),
    Variant("iou_sums", _IOU, source='''def mask_iou(pred, gt):
    p, g = np.asarray(pred) != 0, np.asarray(gt) != 0
    if p.shape != g.shape:
        raise ValueError("masks differ in shape")
    inter, union = np.logical_and(p, g).sum(), np.logical_or(p, g).sum()
    return 1.0 if union == 0 else inter / union
''', why="np.logical_and / np.logical_or sums"),
    Variant("poin_log_form", _POIN, source='''def poincare_distance(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape[-1] != b.shape[-1]:
        raise ValueError("dimensions differ")
    na, nb = (a ** 2).sum(-1), (b ** 2).sum(-1)
    if (na >= 1).any() or (nb >= 1).any():
        raise ValueError("points must be inside the unit ball")
    x = 1 + 2 * ((a - b) ** 2).sum(-1) / ((1 - na) * (1 - nb))
    return np.log(x + np.sqrt(x * x - 1))
''', why="arccosh written as a logarithm"),
]
