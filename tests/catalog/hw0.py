"""HW0 catalog: plausible wrong answers (each must lose points) and correct ones in other styles.

``replace`` edits apply to the reference answer of ``solutions/hw0/hw0.ipynb`` (the
answer cell with the ``### BEGIN/END SOLUTION`` lines removed).
"""

from tests.catalog import Variant

# =========================================================================================
# WRONG: every one must lose points
# =========================================================================================

WRONG = [
    # ---------------------------------------------------------------- rgb_to_gray
    Variant("rgb_bgr_weights", "answer_rgb_to_gray",
            replace=[("np.array([0.299, 0.587, 0.114])", "np.array([0.114, 0.587, 0.299])")],
            why="weights in BGR order (OpenCV habit)"),
    Variant("rgb_uint8_not_scaled", "answer_rgb_to_gray",
            replace=[("image = image.astype(np.float64) / 255.0", "image = image.astype(np.float64)")],
            why="forgets to scale uint8 by 1/255"),
    Variant("rgb_mean", "answer_rgb_to_gray",
            replace=[("return image @ weights", "return image.mean(axis=2)")],
            why="plain mean of the channels instead of the luma weights"),
    Variant("rgb_scales_float_too", "answer_rgb_to_gray", source='''
def rgb_to_gray(image):
    image = np.asarray(image, dtype=np.float64) / 255.0
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError("expected an (H, W, 3) image")
    return 0.299 * image[..., 0] + 0.587 * image[..., 1] + 0.114 * image[..., 2]
''', why="divides float images in [0, 1] by 255 as well"),
    Variant("rgb_uint16_overflow", "answer_rgb_to_gray", source='''
def rgb_to_gray(image):
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError("expected an (H, W, 3) image")
    if image.dtype == np.uint8:
        wide = image.astype(np.uint16)      # integer luma in thousandths
        total = 299 * wide[..., 0] + 587 * wide[..., 1] + 114 * wide[..., 2]
        return total / 1000.0 / 255.0
    return image.astype(np.float64) @ np.array([0.299, 0.587, 0.114])
''', why="integer arithmetic in uint16 overflows for bright pixels"),
    Variant("rgb_quantized", "answer_rgb_to_gray",
            replace=[("return image @ weights", "return np.round(255 * (image @ weights)) / 255")],
            why="rounds the result to 8-bit levels"),
    Variant("rgb_in_place", "answer_rgb_to_gray", source='''
def rgb_to_gray(image):
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError("expected an (H, W, 3) image")
    if image.dtype == np.uint8:
        image = image / 255.0
    image *= np.array([0.299, 0.587, 0.114])
    return image.sum(axis=2)
''', why="weights the caller's float image in place"),

    # ---------------------------------------------------------------- pad_image
    Variant("pad_reflect_wrap", "answer_pad_image",
            replace=[('"reflect": "reflect"', '"reflect": "wrap"')],
            why="np.pad mode 'wrap' for reflect"),
    Variant("pad_reflect_symmetric", "answer_pad_image",
            replace=[('"reflect": "reflect"', '"reflect": "symmetric"')],
            why="np.pad mode 'symmetric' (repeats the edge pixel) for reflect"),
    Variant("pad_replicate_symmetric", "answer_pad_image",
            replace=[('"replicate": "edge"', '"replicate": "symmetric"')],
            why="np.pad mode 'symmetric' for replicate (same only for pads of 1)"),
    Variant("pad_rows_only", "answer_pad_image",
            replace=[("widths = [(pad_h, pad_h), (pad_w, pad_w)]", "widths = [(pad_h, pad_h), (0, 0)]")],
            why="pads only the first axis"),
    Variant("pad_swapped_axes", "answer_pad_image",
            replace=[("widths = [(pad_h, pad_h), (pad_w, pad_w)]", "widths = [(pad_w, pad_w), (pad_h, pad_h)]")],
            why="pad_h and pad_w on the wrong axes"),
    Variant("pad_one_side", "answer_pad_image",
            replace=[("widths = [(pad_h, pad_h), (pad_w, pad_w)]", "widths = [(pad_h, 0), (pad_w, 0)]")],
            why="pads only the top and the left"),
    Variant("pad_channel_axis", "answer_pad_image",
            replace=[("+ [(0, 0)] * (image.ndim - 2)", "+ [(pad_w, pad_w)] * (image.ndim - 2)")],
            why="pads the colour channel axis too"),
    Variant("pad_unknown_mode_passed_on", "answer_pad_image",
            replace=[("if mode not in np_modes:", "if mode not in np_modes and mode not in ('wrap', 'symmetric', 'constant', 'mirror', 'edge'):"),
                     ("mode=np_modes[mode])", "mode=np_modes.get(mode, mode))")],
            why="passes unknown modes straight to np.pad instead of raising"),
    Variant("pad_manual_zero_slicing", "answer_pad_image", source='''
def pad_image(image, pad_h, pad_w, mode="zero"):
    image = np.asarray(image, dtype=np.float64)
    if mode not in ("zero", "reflect", "replicate"):
        raise ValueError(f"unknown mode {mode!r}")
    if pad_h < 0 or pad_w < 0:
        raise ValueError("negative pad")
    if mode == "zero":
        out = np.zeros((image.shape[0] + 2 * pad_h, image.shape[1] + 2 * pad_w) + image.shape[2:])
        out[pad_h:-pad_h, pad_w:-pad_w] = image
        return out
    widths = [(pad_h, pad_h), (pad_w, pad_w)] + [(0, 0)] * (image.ndim - 2)
    return np.pad(image, widths, mode={"reflect": "reflect", "replicate": "edge"}[mode])
''', why="slices out[p:-p] break for a pad of 0"),

    # ---------------------------------------------------------------- cross_correlate2d
    Variant("cc_flipped", "answer_cross_correlate2d",
            replace=[("out += kernel[u, v] * padded", "out += kernel[kh - 1 - u, kw - 1 - v] * padded")],
            why="flips the kernel: computes convolution"),
    Variant("cc_square_centre", "answer_cross_correlate2d",
            replace=[("pad_image(image, kh // 2, kw // 2, mode=padding)",
                      "pad_image(image, kh // 2, kh // 2, mode=padding)")],
            why="uses kh // 2 for both axes: wrong for non-square kernels"),
    Variant("cc_pad_full", "answer_cross_correlate2d",
            replace=[("pad_image(image, kh // 2, kw // 2, mode=padding)",
                      "pad_image(image, kh - 1, kw - 1, mode=padding)")],
            why="pads by the kernel size minus one ('full' output, not 'same')"),
    Variant("cc_valid_off_by_one", "answer_cross_correlate2d",
            replace=[("out_h = padded.shape[0] - kh + 1", "out_h = padded.shape[0] - kh"),
                     ("out_w = padded.shape[1] - kw + 1", "out_w = padded.shape[1] - kw")],
            why="output size H - kh instead of H - kh + 1"),
    Variant("cc_even_kernel_accepted", "answer_cross_correlate2d",
            replace=[("if kh % 2 == 0 or kw % 2 == 0:", "if False:")],
            why="accepts even kernel sizes (no centre pixel)"),
    Variant("cc_unknown_padding_is_zero", "answer_cross_correlate2d",
            replace=[('elif padding in ("zero", "reflect", "replicate"):', "elif True:"),
                     ("pad_image(image, kh // 2, kw // 2, mode=padding)",
                      "pad_image(image, kh // 2, kw // 2, mode=padding if padding in ('reflect', 'replicate') else 'zero')")],
            why="treats any unknown padding as zero padding"),
    Variant("cc_padding_ignored", "answer_cross_correlate2d",
            replace=[("pad_image(image, kh // 2, kw // 2, mode=padding)",
                      'pad_image(image, kh // 2, kw // 2, mode="zero")')],
            why="always zero-pads"),
    Variant("cc_integer_accumulator", "answer_cross_correlate2d",
            replace=[("image = np.asarray(image, dtype=np.float64)", "image = np.asarray(image)"),
                     ("out = np.zeros((out_h, out_w))", "out = np.zeros_like(padded, shape=(out_h, out_w))")],
            why="accumulates in the dtype of the image (fails for integer images)"),
    Variant("cc_transposed_offsets", "answer_cross_correlate2d",
            replace=[("padded[u:u + out_h, v:v + out_w]", "padded[v:v + out_h, u:u + out_w]")],
            why="row and column offsets swapped"),
    Variant("cc_accumulates_into_input", "answer_cross_correlate2d",
            replace=[("out = np.zeros((out_h, out_w))\n", "out = padded[:out_h, :out_w]\n    out *= 0\n")],
            why="uses a view of the (padded) image as the accumulator, overwriting the input"),

    # ---------------------------------------------------------------- convolve2d
    Variant("conv_no_flip", "answer_convolve2d",
            replace=[("kernel[::-1, ::-1]", "kernel")],
            why="forgets the flip: computes correlation"),
    Variant("conv_flip_rows_only", "answer_convolve2d",
            replace=[("kernel[::-1, ::-1]", "kernel[::-1, :]")],
            why="flips upside down only"),
    Variant("conv_transpose", "answer_convolve2d",
            replace=[("kernel[::-1, ::-1]", "kernel.T")],
            why="transposes instead of flipping"),
    Variant("conv_rot90", "answer_convolve2d",
            replace=[("kernel[::-1, ::-1]", "np.rot90(kernel)")],
            why="rotates by 90 degrees instead of 180"),
    Variant("conv_flip_in_place", "answer_convolve2d", source='''
def convolve2d(image, kernel, padding="zero"):
    kernel = np.asarray(kernel, dtype=np.float64)
    kernel[:] = kernel[::-1, ::-1]
    return cross_correlate2d(image, kernel, padding=padding)
''', why="flips the caller's kernel in place"),
    Variant("conv_padding_ignored", "answer_convolve2d",
            replace=[("padding=padding)", 'padding="zero")')],
            why="does not pass the padding on"),

    # ---------------------------------------------------------------- box_kernel
    Variant("box_not_normalised", "answer_box_kernel",
            replace=[("np.full((size, size), 1.0 / (size * size))", "np.ones((size, size))")],
            why="forgets to normalise"),
    Variant("box_integer_division", "answer_box_kernel",
            replace=[("np.full((size, size), 1.0 / (size * size))", "np.full((size, size), 1 // (size * size))")],
            why="integer division gives zeros"),
    Variant("box_divided_by_size", "answer_box_kernel",
            replace=[("1.0 / (size * size)", "1.0 / size")],
            why="normalises by size instead of size**2"),
    Variant("box_even_accepted", "answer_box_kernel",
            replace=[("if size % 2 == 0:", "if False:")],
            why="accepts even sizes"),

    # ---------------------------------------------------------------- gaussian_kernel_1d
    Variant("g1d_missing_two", "answer_gaussian_kernel_1d",
            replace=[("(2.0 * sigma**2)", "(sigma**2)")],
            why="exp(-x²/σ²): the 2 is missing"),
    Variant("g1d_sigma_as_variance", "answer_gaussian_kernel_1d",
            replace=[("(2.0 * sigma**2)", "(2.0 * sigma)")],
            why="uses sigma as the variance"),
    Variant("g1d_not_normalised", "answer_gaussian_kernel_1d",
            replace=[("return g / g.sum()", "return g")],
            why="forgets to normalise"),
    Variant("g1d_pdf_constant", "answer_gaussian_kernel_1d",
            replace=[("return g / g.sum()", "return g / (np.sqrt(2 * np.pi) * sigma)")],
            why="continuous normalisation constant: samples do not sum to 1"),
    Variant("g1d_off_centre", "answer_gaussian_kernel_1d",
            replace=[("x = np.arange(size) - size // 2", "x = np.arange(size) - size / 2")],
            why="centre at size/2 (half a pixel off)"),
    Variant("g1d_linspace_offsets", "answer_gaussian_kernel_1d",
            replace=[("x = np.arange(size) - size // 2", "x = np.linspace(-size / 2, size / 2, size)")],
            why="non-integer sample positions"),
    Variant("g1d_sigma_unchecked", "answer_gaussian_kernel_1d",
            replace=[("if not sigma > 0:", "if False:")],
            why="no ValueError for sigma <= 0"),

    # ---------------------------------------------------------------- gaussian_kernel
    Variant("g2d_formula_unnormalised", "answer_gaussian_kernel", source='''
def gaussian_kernel(size, sigma):
    if size < 1 or size % 2 == 0 or sigma <= 0:
        raise ValueError("size must be odd and positive, sigma > 0")
    x = np.arange(size) - size // 2
    xx, yy = np.meshgrid(x, x)
    return np.exp(-(xx**2 + yy**2) / (2 * sigma**2)) / (2 * np.pi * sigma**2)
''', why="the continuous 1/(2πσ²) constant instead of normalising the samples"),
    Variant("g2d_normalised_by_1d_sum", "answer_gaussian_kernel", source='''
def gaussian_kernel(size, sigma):
    if size < 1 or size % 2 == 0 or sigma <= 0:
        raise ValueError("size must be odd and positive, sigma > 0")
    x = np.arange(size) - size // 2
    g = np.exp(-x**2 / (2 * sigma**2))
    return np.outer(g, g) / g.sum()
''', why="normalises by the 1-D sum once: the 2-D kernel does not sum to 1"),

    # ---------------------------------------------------------------- separable_gaussian_blur
    Variant("sep_radius_2sigma", "answer_separable_gaussian_blur",
            replace=[("radius = math.ceil(3 * sigma)", "radius = math.ceil(2 * sigma)")],
            why="kernel size from 2σ instead of 3σ"),
    Variant("sep_radius_int", "answer_separable_gaussian_blur",
            replace=[("radius = math.ceil(3 * sigma)", "radius = int(3 * sigma)")],
            why="rounds 3σ down"),
    Variant("sep_radius_round", "answer_separable_gaussian_blur",
            replace=[("radius = math.ceil(3 * sigma)", "radius = round(3 * sigma)")],
            why="rounds 3σ to the nearest integer"),
    Variant("sep_one_pass", "answer_separable_gaussian_blur",
            replace=[("return cross_correlate2d(rows, g[:, np.newaxis], padding=padding)", "return rows")],
            why="only the horizontal pass"),
    Variant("sep_rows_twice", "answer_separable_gaussian_blur",
            replace=[("cross_correlate2d(rows, g[:, np.newaxis], padding=padding)",
                      "cross_correlate2d(rows, g[np.newaxis, :], padding=padding)")],
            why="filters along the rows twice"),
    Variant("sep_padding_ignored", "answer_separable_gaussian_blur",
            replace=[("g[np.newaxis, :], padding=padding)", 'g[np.newaxis, :], padding="reflect")'),
                     ("g[:, np.newaxis], padding=padding)", 'g[:, np.newaxis], padding="reflect")')],
            why="always reflect-pads"),
    Variant("sep_default_zero", "answer_separable_gaussian_blur",
            replace=[('def separable_gaussian_blur(image, sigma, padding="reflect"):',
                      'def separable_gaussian_blur(image, sigma, padding="zero"):')],
            why="zero padding by default"),
    Variant("sep_rgb_to_gray", "answer_separable_gaussian_blur",
            replace=[("if image.ndim == 3:", "if image.ndim == 3:\n        image = image.mean(axis=2)\n    if False:")],
            why="blurs the gray version of a colour image"),

    # ---------------------------------------------------------------- image_gradients
    Variant("grad_swapped", "answer_image_gradients",
            replace=[("return dx, dy", "return dy, dx")],
            why="dx and dy swapped"),
    Variant("grad_forward", "answer_image_gradients",
            replace=[("dx = (padded[1:-1, 2:] - padded[1:-1, :-2]) / 2.0", "dx = padded[1:-1, 2:] - padded[1:-1, 1:-1]"),
                     ("dy = (padded[2:, 1:-1] - padded[:-2, 1:-1]) / 2.0", "dy = padded[2:, 1:-1] - padded[1:-1, 1:-1]")],
            why="forward differences"),
    Variant("grad_no_half", "answer_image_gradients",
            replace=[("dx = (padded[1:-1, 2:] - padded[1:-1, :-2]) / 2.0", "dx = padded[1:-1, 2:] - padded[1:-1, :-2]"),
                     ("dy = (padded[2:, 1:-1] - padded[:-2, 1:-1]) / 2.0", "dy = padded[2:, 1:-1] - padded[:-2, 1:-1]")],
            why="central difference without the 1/2"),
    Variant("grad_np_gradient", "answer_image_gradients", source='''
def image_gradients(image):
    image = np.asarray(image, dtype=np.float64)
    if image.ndim != 2:
        raise ValueError("image must be 2-D")
    dy, dx = np.gradient(image)
    return dx, dy
''', why="np.gradient: one-sided differences at the border instead of replicate padding"),
    Variant("grad_zero_padding", "answer_image_gradients",
            replace=[('pad_image(image, 1, 1, mode="replicate")', 'pad_image(image, 1, 1, mode="zero")')],
            why="zero padding at the border"),
    Variant("grad_reflect_padding", "answer_image_gradients",
            replace=[('pad_image(image, 1, 1, mode="replicate")', 'pad_image(image, 1, 1, mode="reflect")')],
            why="reflect padding at the border"),
    Variant("grad_sign_flipped", "answer_image_gradients",
            replace=[("(padded[1:-1, 2:] - padded[1:-1, :-2])", "(padded[1:-1, :-2] - padded[1:-1, 2:])"),
                     ("(padded[2:, 1:-1] - padded[:-2, 1:-1])", "(padded[:-2, 1:-1] - padded[2:, 1:-1])")],
            why="left minus right: the sign is flipped"),
    Variant("grad_convolve_kernel", "answer_image_gradients", source='''
def image_gradients(image):
    image = np.asarray(image, dtype=np.float64)
    if image.ndim != 2:
        raise ValueError("image must be 2-D")
    k = np.array([[-0.5, 0.0, 0.5]])
    return convolve2d(image, k, padding="replicate"), convolve2d(image, k.T, padding="replicate")
''', why="convolves with [-1/2, 0, 1/2]: the flip reverses the sign"),
    Variant("grad_floor_division", "answer_image_gradients",
            replace=[("padded[1:-1, :-2]) / 2.0", "padded[1:-1, :-2]) // 2"),
                     ("padded[:-2, 1:-1]) / 2.0", "padded[:-2, 1:-1]) // 2")],
            why="floor division by 2"),

    # ---------------------------------------------------------------- gradient_magnitude_orientation
    Variant("mo_arctan", "answer_gradient_magnitude_orientation",
            replace=[("np.arctan2(dy, dx)", "np.arctan(dy / dx)")],
            why="arctan(dy/dx): loses the quadrant, divides by zero"),
    Variant("mo_arctan2_swapped", "answer_gradient_magnitude_orientation",
            replace=[("np.arctan2(dy, dx)", "np.arctan2(dx, dy)")],
            why="arguments of arctan2 swapped"),
    Variant("mo_squared_magnitude", "answer_gradient_magnitude_orientation",
            replace=[("np.hypot(dx, dy)", "dx**2 + dy**2")],
            why="forgets the square root"),
    Variant("mo_l1_magnitude", "answer_gradient_magnitude_orientation",
            replace=[("np.hypot(dx, dy)", "np.abs(dx) + np.abs(dy)")],
            why="|dx| + |dy| instead of the Euclidean norm"),
    Variant("mo_degrees", "answer_gradient_magnitude_orientation",
            replace=[("np.arctan2(dy, dx)", "np.degrees(np.arctan2(dy, dx))")],
            why="degrees instead of radians"),
    Variant("lap_zero_padding", "answer_laplacian",
            replace=[('padding="replicate"', 'padding="zero"')],
            why="zero padding: fake edges at the border"),
    Variant("lap_reflect_padding", "answer_laplacian",
            replace=[('padding="replicate"', 'padding="reflect"')],
            why="reflect instead of replicate padding"),
    Variant("lap_valid", "answer_laplacian",
            replace=[('padding="replicate"', 'padding="valid"')],
            why="no padding: output smaller than the image"),
    Variant("lap_sign_flipped", "answer_laplacian",
            replace=[("cross_correlate2d(image, kernel,", "cross_correlate2d(image, -kernel,")],
            why="negated kernel"),
    Variant("lap_eight_neighbours", "answer_laplacian",
            replace=[("[[0.0, 1.0, 0.0],\n                       [1.0, -4.0, 1.0],\n                       [0.0, 1.0, 0.0]]",
                      "[[1.0, 1.0, 1.0],\n                       [1.0, -8.0, 1.0],\n                       [1.0, 1.0, 1.0]]")],
            why="8-neighbour Laplacian instead of the 5-point stencil"),
    Variant("lap_np_gradient_twice", "answer_laplacian", source='''
def laplacian(image):
    image = np.asarray(image, dtype=np.float64)
    if image.ndim != 2:
        raise ValueError("image must be 2-D")
    dy, dx = np.gradient(image)
    return np.gradient(dx, axis=1) + np.gradient(dy, axis=0)
''', why="np.gradient twice: a wider stencil and one-sided borders"),

    # ---------------------------------------------------------------- conv_output_size
    Variant("cos_floor", "answer_conv_output_size",
            replace=[("if span % stride != 0:", "if False:")],
            why="floors instead of raising when the filter does not fit"),
    Variant("cos_float", "answer_conv_output_size",
            replace=[("return int(span // stride + 1)", "return span / stride + 1")],
            why="returns a float"),
    Variant("cos_padding_once", "answer_conv_output_size",
            replace=[("span = n - f + 2 * padding", "span = n - f + padding")],
            why="counts the padding on one side only"),
    Variant("cos_negative_size", "answer_conv_output_size",
            replace=[("if span < 0:", "if False:")],
            why="returns sizes < 1 when the filter is larger than the input"),
    Variant("cos_round", "answer_conv_output_size", source='''
def conv_output_size(n, f, stride=1, padding=0):
    if stride < 1 or padding < 0:
        raise ValueError("invalid stride or padding")
    size = round((n - f + 2 * padding) / stride + 1)
    if size < 1:
        raise ValueError("filter larger than the input")
    return size
''', why="rounds to the nearest integer instead of raising"),

    # ---------------------------------------------------------------- conv_layer_num_params
    Variant("np_bias_ignored", "answer_conv_layer_num_params",
            replace=[("count += out_channels", "count += 0")],
            why="never counts the biases"),
    Variant("np_bias_always", "answer_conv_layer_num_params",
            replace=[("if bias:", "if True:")],
            why="counts biases even with bias=False"),
    Variant("np_bias_per_input", "answer_conv_layer_num_params",
            replace=[("count += out_channels", "count += in_channels")],
            why="one bias per input channel"),
    Variant("np_kernel_once", "answer_conv_layer_num_params",
            replace=[("count = kernel_size * kernel_size * in_channels", "count = kernel_size * in_channels")],
            why="k instead of k*k weights per channel"),
    Variant("np_no_in_channels", "answer_conv_layer_num_params",
            replace=[("count = kernel_size * kernel_size * in_channels * out_channels",
                      "count = kernel_size * kernel_size * out_channels")],
            why="filters do not extend through the input depth"),
    Variant("np_float", "answer_conv_layer_num_params",
            replace=[("count = kernel_size * kernel_size * in_channels", "count = math.pow(kernel_size, 2) * in_channels"),
                     ("return int(count)", "return count")],
            why="returns a float"),

    # ---------------------------------------------------------------- added with the trimmed contract
    Variant("mo_range_0_2pi", "answer_gradient_magnitude_orientation",
            replace=[("np.arctan2(dy, dx)", "np.arctan2(dy, dx) % (2 * np.pi)")],
            why="orientation in [0, 2π) instead of arctan2's [-π, π]"),
    Variant("g1d_even_accepted", "answer_gaussian_kernel_1d",
            replace=[("if size % 2 == 0:", "if False:")],
            why="accepts even sizes: no centre sample"),
    Variant("pad_mode_default_reflect", "answer_pad_image",
            replace=[('def pad_image(image, pad_h, pad_w, mode="zero"):',
                      'def pad_image(image, pad_h, pad_w, mode="reflect"):')],
            why="reflect padding by default"),
    Variant("cos_ceil", "answer_conv_output_size", source='''
def conv_output_size(n, f, stride=1, padding=0):
    return -(-(n - f + 2 * padding) // stride) + 1
''', why="rounds up and never raises"),
    Variant("rgb_float32_kept", "answer_rgb_to_gray", source='''
def rgb_to_gray(image):
    image = np.asarray(image)
    scale = 255.0 if image.dtype == np.uint8 else 1.0
    return (0.299 * image[..., 0] + 0.587 * image[..., 1] + 0.114 * image[..., 2]) / scale
''', why="weighted sum of the channels in the input dtype: a float32 image gives float32"),
    # ---------------------------------------------------------------- issue 14: edge cases
    Variant("rgb_scale_by_max", "answer_rgb_to_gray", source='''
def rgb_to_gray(image):
    image = np.asarray(image).astype(np.float64)
    if image.max() > 1:
        image = image / 255.0
    return image @ np.array([0.299, 0.587, 0.114])
''', why="decides the scale from the values (max > 1), not the dtype: dark uint8 images are not scaled"),
    Variant("rgb_weights_in_input_dtype", "answer_rgb_to_gray",
            replace=[("    else:\n        image = image.astype(np.float64)\n", ""),
                     ("weights = np.array([0.299, 0.587, 0.114])",
                      "weights = np.array([0.299, 0.587, 0.114], dtype=image.dtype)")],
            why="weights in the image's dtype: float32 in, float32 out"),
    Variant("pad_no_float_cast", "answer_pad_image",
            replace=[("image = np.asarray(image, dtype=np.float64)", "image = np.asarray(image)")],
            why="np.pad keeps the input dtype: integer images come back as integers"),
    Variant("cc_rejects_large_kernel", "answer_cross_correlate2d",
            replace=[("    if padding == \"valid\":\n        padded = image",
                      "    if kh > image.shape[0] or kw > image.shape[1]:\n"
                      "        raise ValueError(\"kernel larger than the image\")\n"
                      "    if padding == \"valid\":\n        padded = image")],
            why="rejects kernels larger than the image even when the image is padded"),
    Variant("cc_pad_capped_at_image", "answer_cross_correlate2d",
            replace=[("pad_image(image, kh // 2, kw // 2, mode=padding)",
                      "pad_image(image, min(kh // 2, image.shape[0] - 1), "
                      "min(kw // 2, image.shape[1] - 1), mode=padding)")],
            why="caps the padding at the image size: wrong shape for kernels larger than the image"),
    Variant("cc_result_type_accumulator", "answer_cross_correlate2d",
            replace=[("image = np.asarray(image, dtype=np.float64)\n    kernel = np.asarray(kernel, dtype=np.float64)",
                      "image = np.asarray(image)\n    kernel = np.asarray(kernel)"),
                     ("out = np.zeros((out_h, out_w))",
                      "out = np.zeros((out_h, out_w), dtype=np.result_type(image, kernel))")],
            why="accumulates in the inputs' result type: integer image and kernel give integers"),
    Variant("cc_scipy_no_cast", "answer_cross_correlate2d", source='''
def cross_correlate2d(image, kernel, padding="zero"):
    import scipy.signal
    image, kernel = np.asarray(image), np.asarray(kernel)
    kh, kw = kernel.shape
    if kh % 2 == 0 or kw % 2 == 0:
        raise ValueError("odd kernel sizes only")
    if padding == "valid":
        return scipy.signal.correlate2d(image, kernel, mode="valid")
    if padding not in ("zero", "reflect", "replicate"):
        raise ValueError("unknown padding")
    padded = np.pad(image, ((kh // 2, kh // 2), (kw // 2, kw // 2)),
                    mode={"zero": "constant", "reflect": "reflect", "replicate": "edge"}[padding])
    return scipy.signal.correlate2d(padded, kernel, mode="valid")
''', why="scipy without a float64 cast: integer image and kernel give an integer result"),
    Variant("conv_scipy_no_cast", "answer_convolve2d", source='''
def convolve2d(image, kernel, padding="zero"):
    import scipy.signal
    image, kernel = np.asarray(image), np.asarray(kernel)
    kh, kw = kernel.shape
    if kh % 2 == 0 or kw % 2 == 0:
        raise ValueError("odd kernel sizes only")
    if padding == "zero":
        return scipy.signal.convolve2d(image, kernel, mode="same")
    if padding == "valid":
        return scipy.signal.convolve2d(image, kernel, mode="valid")
    if padding not in ("reflect", "replicate"):
        raise ValueError("unknown padding")
    mode = {"reflect": "reflect", "replicate": "edge"}[padding]
    padded = np.pad(image.astype(np.float64), ((kh // 2, kh // 2), (kw // 2, kw // 2)), mode=mode)
    return scipy.signal.convolve2d(padded, kernel, mode="valid")
''', why="scipy.signal.convolve2d on the raw arrays: uint8 image and integer kernel give integers"),
    Variant("sep_empty_like_output", "answer_separable_gaussian_blur",
            replace=[("""        channels = [separable_gaussian_blur(image[:, :, c], sigma, padding)
                    for c in range(image.shape[2])]
        return np.stack(channels, axis=-1)""",
                      """        out = np.empty_like(image)
        for c in range(image.shape[2]):
            out[:, :, c] = separable_gaussian_blur(image[:, :, c], sigma, padding)
        return out""")],
            why="preallocates the colour output with the input's shape: breaks 'valid'"),
    Variant("sep_three_channels", "answer_separable_gaussian_blur",
            replace=[("for c in range(image.shape[2])]", "for c in range(3)]")],
            why="assumes exactly 3 channels"),
    Variant("sep_colour_only_if_rgb", "answer_separable_gaussian_blur",
            replace=[("if image.ndim == 3:", "if image.ndim == 3 and image.shape[2] == 3:")],
            why="blurs per channel only for 3 channels; other channel counts go down the gray path"),
    Variant("sep_output_in_input_dtype", "answer_separable_gaussian_blur",
            replace=[("    image = np.asarray(image, dtype=np.float64)\n", "    image = np.asarray(image)\n"),
                     ("        return np.stack(channels, axis=-1)",
                      "        return np.stack(channels, axis=-1).astype(image.dtype)")],
            why="casts the colour result back to the input dtype: uint8 images are truncated"),
    Variant("grad_uint8_wrap", "answer_image_gradients",
            replace=[("""    image = np.asarray(image, dtype=np.float64)
    padded = pad_image(image, 1, 1, mode="replicate")""",
                      """    image = np.asarray(image)
    padded = np.pad(image, 1, mode="edge")""")],
            why="subtracts in the input dtype: uint8 differences wrap around"),
    Variant("lap_uint8_wrap", "answer_laplacian", source='''
def laplacian(image):
    p = np.pad(np.asarray(image), 1, mode="edge")
    lap = p[:-2, 1:-1] + p[2:, 1:-1] + p[1:-1, :-2] + p[1:-1, 2:] - 4 * p[1:-1, 1:-1]
    return lap.astype(np.float64)
''', why="stencil in the input dtype: uint8 wraps around"),
    Variant("cos_filter_vs_n", "answer_conv_output_size",
            replace=[("    span = n - f + 2 * padding\n",
                      "    if f > n:\n        raise ValueError(\"filter larger than the input\")\n"
                      "    span = n - f + 2 * padding\n")],
            why="compares the filter with the unpadded input"),
    Variant("cos_nonpositive_span", "answer_conv_output_size",
            replace=[("if span < 0:", "if span <= 0:")],
            why="rejects a filter that exactly covers the padded input"),
    Variant("cos_span_below_stride", "answer_conv_output_size",
            replace=[("if span < 0:", "if span < 0 or (span < stride and n < f):")],
            why="rejects exact fits with a stride larger than the span when padding is needed"),
    Variant("pad_channel_axis_only_rgb", "answer_pad_image",
            replace=[("widths = [(pad_h, pad_h), (pad_w, pad_w)] + [(0, 0)] * (image.ndim - 2)",
                      "widths = [(pad_h, pad_h), (pad_w, pad_w)] + [(0, 0)] * (image.ndim - 2)\n"
                      "    if image.ndim == 3 and image.shape[2] != 3:\n"
                      "        widths[2] = (pad_w, pad_w)")],
            why="keeps the channel axis unpadded only for 3 channels"),
    Variant("cos_default_padding_same", "answer_conv_output_size",
            replace=[("def conv_output_size(n, f, stride=1, padding=0):",
                      "def conv_output_size(n, f, stride=1, padding=None):\n"
                      "    if padding is None:\n        padding = (f - 1) // 2")],
            why="defaults to 'same' padding instead of 0"),
]

# =========================================================================================
# ALTERNATIVE: correct answers in other styles, each must keep full marks
# =========================================================================================

ALTERNATIVE = [
    Variant("rgb_einsum", "answer_rgb_to_gray", source='''
def rgb_to_gray(image):
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[-1] != 3:
        raise ValueError(f"need an (H, W, 3) image, got {image.shape}")
    scale = 1 / 255 if image.dtype == np.uint8 else 1.0
    return np.einsum("hwc,c->hw", image.astype(np.float64), np.array([0.299, 0.587, 0.114])) * scale
''', why="einsum, scale after the weighted sum"),
    Variant("rgb_channels", "answer_rgb_to_gray", source='''
def rgb_to_gray(image):
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError("rgb_to_gray needs shape (H, W, 3)")
    img = image / 255.0 if image.dtype == np.uint8 else image.astype(float)
    r, g, b = img[:, :, 0], img[:, :, 1], img[:, :, 2]
    return 0.299 * r + 0.587 * g + 0.114 * b
''', why="explicit channels"),
    Variant("pad_index_arithmetic", "answer_pad_image", source='''
def pad_image(image, pad_h, pad_w, mode="zero"):
    image = np.asarray(image, dtype=np.float64)
    if image.ndim not in (2, 3):
        raise ValueError("image must be (H, W) or (H, W, C)")
    if mode not in ("zero", "reflect", "replicate"):
        raise ValueError(f"unknown mode {mode}")
    if pad_h < 0 or pad_w < 0:
        raise ValueError("pads must be non-negative")
    H, W = image.shape[:2]
    if mode == "zero":
        out = np.zeros((H + 2 * pad_h, W + 2 * pad_w) + image.shape[2:])
        out[pad_h:pad_h + H, pad_w:pad_w + W] = image
        return out

    def indices(n, p):
        idx = np.arange(-p, n + p)
        if mode == "replicate":
            return np.clip(idx, 0, n - 1)
        idx = np.abs(idx)
        return np.where(idx > n - 1, 2 * (n - 1) - idx, idx)

    return image[indices(H, pad_h)][:, indices(W, pad_w)]
''', why="index arithmetic instead of np.pad"),
    Variant("pad_concatenate", "answer_pad_image", source='''
def pad_image(image, pad_h, pad_w, mode="zero"):
    img = np.array(image, dtype=np.float64)
    if img.ndim not in (2, 3):
        raise ValueError("expected a 2-D or 3-D image")
    if mode not in {"zero", "reflect", "replicate"}:
        raise ValueError("mode must be zero, reflect or replicate")
    if min(pad_h, pad_w) < 0:
        raise ValueError("negative padding")

    def pad_axis(a, p, axis):
        if p == 0:
            return a
        n = a.shape[axis]
        take = lambda idx: np.take(a, idx, axis=axis)
        if mode == "zero":
            shape = list(a.shape)
            shape[axis] = p
            before = after = np.zeros(shape)
        elif mode == "replicate":
            before, after = take([0] * p), take([n - 1] * p)
        else:
            before, after = take(list(range(p, 0, -1))), take(list(range(n - 2, n - 2 - p, -1)))
        return np.concatenate([before, a, after], axis=axis)

    return pad_axis(pad_axis(img, pad_h, 0), pad_w, 1)
''', why="np.concatenate one axis at a time"),
    Variant("cc_sliding_window_einsum", "answer_cross_correlate2d", source='''
def cross_correlate2d(image, kernel, padding="zero"):
    from numpy.lib.stride_tricks import sliding_window_view
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError("image and kernel must be 2-D")
    kh, kw = kernel.shape
    if kh % 2 == 0 or kw % 2 == 0:
        raise ValueError("kernel sizes must be odd")
    if padding == "valid":
        if kh > image.shape[0] or kw > image.shape[1]:
            raise ValueError("kernel larger than image")
        padded = image
    elif padding in ("zero", "reflect", "replicate"):
        padded = pad_image(image, kh // 2, kw // 2, padding)
    else:
        raise ValueError(f"bad padding {padding}")
    windows = sliding_window_view(padded, (kh, kw))
    return np.einsum("ijuv,uv->ij", windows, kernel)
''', why="sliding_window_view + einsum"),
    Variant("cc_scipy", "answer_cross_correlate2d", source='''
def cross_correlate2d(image, kernel, padding="zero"):
    import scipy.signal
    image = np.asarray(image, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError("2-D image and kernel expected")
    if kernel.shape[0] % 2 == 0 or kernel.shape[1] % 2 == 0:
        raise ValueError("odd kernel sizes only")
    if padding not in ("zero", "reflect", "replicate", "valid"):
        raise ValueError("unknown padding")
    if padding == "valid":
        if kernel.shape[0] > image.shape[0] or kernel.shape[1] > image.shape[1]:
            raise ValueError("kernel does not fit")
        return scipy.signal.correlate2d(image, kernel, mode="valid")
    padded = pad_image(image, kernel.shape[0] // 2, kernel.shape[1] // 2, mode=padding)
    return scipy.signal.correlate2d(padded, kernel, mode="valid")
''', why="scipy.signal.correlate2d on the padded image"),
    Variant("cc_np_pad_direct", "answer_cross_correlate2d", source='''
def cross_correlate2d(image, kernel, padding="zero"):
    F = np.asarray(image, dtype=np.float64)
    H = np.asarray(kernel, dtype=np.float64)
    if F.ndim != 2:
        raise ValueError("image must be 2-D")
    if H.ndim != 2 or H.shape[0] % 2 == 0 or H.shape[1] % 2 == 0:
        raise ValueError("kernel must be 2-D with odd sizes")
    modes = {"zero": "constant", "reflect": "reflect", "replicate": "edge", "valid": None}
    if padding not in modes:
        raise ValueError(f"unknown padding {padding!r}")
    kh, kw = H.shape
    if padding == "valid":
        if kh > F.shape[0] or kw > F.shape[1]:
            raise ValueError("kernel larger than image")
    else:
        F = np.pad(F, ((kh // 2, kh // 2), (kw // 2, kw // 2)), mode=modes[padding])
    rows, cols = F.shape[0] - kh + 1, F.shape[1] - kw + 1
    return sum(H[u, v] * F[u:u + rows, v:v + cols] for u in range(kh) for v in range(kw))
''', why="np.pad directly, sum of a generator"),
    Variant("cc_scipy_convolve_flipped", "answer_cross_correlate2d", source='''
def cross_correlate2d(image, kernel, padding="zero"):
    from scipy.signal import convolve2d as sp_convolve2d
    image = np.asarray(image, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError("2-D arrays expected")
    kh, kw = kernel.shape
    if not (kh % 2 and kw % 2):
        raise ValueError("kernel sizes must be odd")
    if padding == "valid":
        if kh > image.shape[0] or kw > image.shape[1]:
            raise ValueError("kernel larger than image")
        padded = image
    elif padding in ("zero", "reflect", "replicate"):
        padded = pad_image(image, kh // 2, kw // 2, padding)
    else:
        raise ValueError("unknown padding")
    return sp_convolve2d(padded, kernel[::-1, ::-1], mode="valid")
''', why="correlation as convolution with the flipped kernel"),
    Variant("conv_scipy", "answer_convolve2d", source='''
def convolve2d(image, kernel, padding="zero"):
    import scipy.signal
    image = np.asarray(image, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError("2-D arrays expected")
    kh, kw = kernel.shape
    if kh % 2 == 0 or kw % 2 == 0:
        raise ValueError("odd kernel sizes only")
    if padding == "valid":
        if kh > image.shape[0] or kw > image.shape[1]:
            raise ValueError("kernel larger than image")
        return scipy.signal.convolve2d(image, kernel, mode="valid")
    if padding not in ("zero", "reflect", "replicate"):
        raise ValueError("unknown padding")
    return scipy.signal.convolve2d(pad_image(image, kh // 2, kw // 2, padding), kernel, mode="valid")
''', why="scipy.signal.convolve2d on the padded image"),
    Variant("conv_minus_indices", "answer_convolve2d", source='''
def convolve2d(image, kernel, padding="zero"):
    kernel = np.asarray(kernel, dtype=np.float64)
    image = np.asarray(image, dtype=np.float64)
    if kernel.ndim != 2 or image.ndim != 2:
        raise ValueError("2-D arrays expected")
    kh, kw = kernel.shape
    if kh % 2 == 0 or kw % 2 == 0:
        raise ValueError("odd kernel sizes only")
    if padding == "valid":
        if kh > image.shape[0] or kw > image.shape[1]:
            raise ValueError("kernel larger than image")
        padded = image
    elif padding in ("zero", "reflect", "replicate"):
        padded = pad_image(image, kh // 2, kw // 2, padding)
    else:
        raise ValueError("unknown padding")
    oh, ow = padded.shape[0] - kh + 1, padded.shape[1] - kw + 1
    out = np.zeros((oh, ow))
    for u in range(kh):          # G[i, j] = sum H[u, v] F[i - u, j - v]
        for v in range(kw):
            out += kernel[u, v] * padded[kh - 1 - u:kh - 1 - u + oh, kw - 1 - v:kw - 1 - v + ow]
    return out
''', why="the F[i - u, j - v] definition, without flipping the kernel array"),
    Variant("box_ones", "answer_box_kernel", source='''
def box_kernel(size):
    if not isinstance(size, (int, np.integer)) or size <= 0 or size % 2 != 1:
        raise ValueError("size must be a positive odd int")
    return np.ones((size, size)) / size**2
''', why="np.ones / size**2"),
    Variant("g1d_linspace", "answer_gaussian_kernel_1d", source='''
def gaussian_kernel_1d(size, sigma):
    if size <= 0 or size % 2 == 0:
        raise ValueError("size must be odd and positive")
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    half = size // 2
    x = np.linspace(-half, half, size)
    g = np.exp(-0.5 * (x / sigma) ** 2)
    return g / np.sum(g)
''', why="np.linspace offsets, exp(-(x/σ)²/2)"),
    Variant("g2d_meshgrid", "answer_gaussian_kernel", source='''
def gaussian_kernel(size, sigma):
    if size <= 0 or size % 2 == 0 or sigma <= 0:
        raise ValueError("odd positive size and positive sigma required")
    r = size // 2
    y, x = np.mgrid[-r:r + 1, -r:r + 1]
    k = np.exp(-(x**2 + y**2) / (2 * sigma**2))
    return k / k.sum()
''', why="2-D formula on a grid, normalised"),
    Variant("sep_ndimage", "answer_separable_gaussian_blur", source='''
def separable_gaussian_blur(image, sigma, padding="reflect"):
    import scipy.ndimage
    image = np.asarray(image, dtype=np.float64)
    if sigma <= 0:
        raise ValueError("sigma must be > 0")
    if image.ndim not in (2, 3):
        raise ValueError("image must be (H, W) or (H, W, C)")
    modes = {"zero": "constant", "reflect": "mirror", "replicate": "nearest", "valid": "constant"}
    if padding not in modes:
        raise ValueError("unknown padding")
    r = math.ceil(3 * sigma)
    g = gaussian_kernel_1d(2 * r + 1, sigma)
    out = scipy.ndimage.correlate1d(image, g, axis=1, mode=modes[padding], cval=0.0)
    out = scipy.ndimage.correlate1d(out, g, axis=0, mode=modes[padding], cval=0.0)
    if padding == "valid":
        if 2 * r + 1 > image.shape[0] or 2 * r + 1 > image.shape[1]:
            raise ValueError("kernel larger than image")
        out = out[r:image.shape[0] - r, r:image.shape[1] - r]
    return out
''', why="scipy.ndimage.correlate1d along each axis (handles channels)"),
    Variant("sep_pad_once_slices", "answer_separable_gaussian_blur", source='''
def separable_gaussian_blur(image, sigma, padding="reflect"):
    image = np.asarray(image, dtype=np.float64)
    if not sigma > 0:
        raise ValueError("sigma must be positive")
    if image.ndim not in (2, 3):
        raise ValueError("2-D or 3-D image expected")
    if padding not in ("zero", "reflect", "replicate", "valid"):
        raise ValueError("unknown padding")
    r = math.ceil(3 * sigma)
    m = 2 * r + 1
    g = gaussian_kernel_1d(m, sigma)
    p = image if padding == "valid" else pad_image(image, r, r, mode=padding)
    if p.shape[0] < m or p.shape[1] < m:
        raise ValueError("kernel larger than image")
    w = p.shape[1] - m + 1
    rows = sum(g[v] * p[:, v:v + w] for v in range(m))
    h = p.shape[0] - m + 1
    return sum(g[u] * rows[u:u + h] for u in range(m))
''', why="pads once, two passes of shifted slices, channels handled by broadcasting"),
    Variant("grad_np_gradient_padded", "answer_image_gradients", source='''
def image_gradients(image):
    image = np.asarray(image, dtype=np.float64)
    if image.ndim != 2:
        raise ValueError("image must be 2-D")
    p = pad_image(image, 1, 1, mode="replicate")
    gy, gx = np.gradient(p)
    return gx[1:-1, 1:-1], gy[1:-1, 1:-1]
''', why="np.gradient on the replicate-padded image, then cropped"),
    Variant("grad_correlation", "answer_image_gradients", source='''
def image_gradients(image):
    image = np.asarray(image, dtype=np.float64)
    if image.ndim != 2:
        raise ValueError("image must be 2-D")
    k = np.array([[-0.5, 0.0, 0.5]])
    return (cross_correlate2d(image, k, padding="replicate"),
            cross_correlate2d(image, k.T, padding="replicate"))
''', why="correlation with 1/2 [-1 0 1]"),
    Variant("mo_sqrt_angle", "answer_gradient_magnitude_orientation", source='''
def gradient_magnitude_orientation(dx, dy):
    dx, dy = np.asarray(dx, dtype=float), np.asarray(dy, dtype=float)
    if dx.shape != dy.shape:
        raise ValueError("dx and dy must have the same shape")
    return np.sqrt(dx**2 + dy**2), np.angle(dx + 1j * dy)
''', why="sqrt and np.angle of a complex number"),
    Variant("lap_stencil", "answer_laplacian", source='''
def laplacian(image):
    F = np.asarray(image, dtype=np.float64)
    if F.ndim != 2:
        raise ValueError("image must be 2-D")
    p = pad_image(F, 1, 1, mode="replicate")
    return p[:-2, 1:-1] + p[2:, 1:-1] + p[1:-1, :-2] + p[1:-1, 2:] - 4 * p[1:-1, 1:-1]
''', why="explicit 5-point stencil"),
    Variant("lap_second_differences", "answer_laplacian", source='''
def laplacian(image):
    image = np.asarray(image, dtype=np.float64)
    if image.ndim != 2:
        raise ValueError("image must be 2-D")
    p = np.pad(image, 1, mode="edge")
    return np.diff(p, n=2, axis=1)[1:-1, :] + np.diff(p, n=2, axis=0)[:, 1:-1]
''', why="np.diff(n=2) along each axis"),
    Variant("cos_divmod", "answer_conv_output_size", source='''
def conv_output_size(n, f, stride=1, padding=0):
    if stride <= 0:
        raise ValueError("stride must be positive")
    if padding < 0 or n <= 0 or f <= 0:
        raise ValueError("invalid sizes")
    q, rem = divmod(n - f + 2 * padding, stride)
    if rem:
        raise ValueError("the filter does not fit: not an integer")
    if q + 1 < 1:
        raise ValueError("output would be empty")
    return q + 1
''', why="divmod"),
    Variant("np_formula", "answer_conv_layer_num_params", source='''
def conv_layer_num_params(kernel_size, in_channels, out_channels, bias=True):
    per_filter = kernel_size ** 2 * in_channels + (1 if bias else 0)
    return per_filter * out_channels
''', why="(k²·C + 1)·K per the notes, no validation"),
    Variant("rgb_no_validation", "answer_rgb_to_gray", source='''
def rgb_to_gray(image):
    image = np.asarray(image)
    scale = 255.0 if image.dtype == np.uint8 else 1.0
    image = image.astype(np.float64)
    return (0.299 * image[..., 0] + 0.587 * image[..., 1] + 0.114 * image[..., 2]) / scale
''', why="no shape check (not part of the contract), float64 channels, weighted sum then scale"),
    Variant("mo_plus_zero", "answer_gradient_magnitude_orientation", source='''
def gradient_magnitude_orientation(dx, dy):
    dx = np.asarray(dx, dtype=np.float64) + 0.0     # -0.0 + 0.0 is +0.0
    dy = np.asarray(dy, dtype=np.float64) + 0.0
    return np.sqrt(dx * dx + dy * dy), np.arctan2(dy, dx)
''', why="turns negative zeros into +0.0 first: (-π, π] exactly"),
    Variant("cos_is_integer", "answer_conv_output_size", source='''
def conv_output_size(n, f, stride=1, padding=0):
    size = (n - f + 2 * padding) / stride + 1
    if not size.is_integer() or size < 1:
        raise ValueError(f"the filter does not tile the input: {size}")
    return int(size)
''', why="float division, then is_integer()"),
    Variant("pad_cast_after", "answer_pad_image", source='''
def pad_image(image, pad_h, pad_w, mode="zero"):
    modes = {"zero": "constant", "reflect": "reflect", "replicate": "edge"}
    if mode not in modes:
        raise ValueError(f"unknown mode {mode!r}")
    image = np.asarray(image)
    widths = ((pad_h, pad_h), (pad_w, pad_w)) + ((0, 0),) * (image.ndim - 2)
    return np.pad(image, widths, mode=modes[mode]).astype(np.float64)
''', why="np.pad in the input dtype, cast to float64 afterwards (exact for integers)"),
    Variant("rgb_float_weights_first", "answer_rgb_to_gray", source='''
def rgb_to_gray(image):
    image = np.asarray(image)
    gray = np.tensordot(image, np.array([0.299, 0.587, 0.114]), axes=([2], [0]))
    if np.issubdtype(image.dtype, np.integer):
        gray = gray / 255.0
    return gray.astype(np.float64)
''', why="weights first, scale integer images after, cast the result"),
]
