"""HW1 (Fourier analysis and hybrid images): plausible wrong answers and correct alternatives.

Every ``WRONG`` variant must lose points under the tests of
``solutions/hw1/hw1.ipynb``; every ``ALTERNATIVE`` must keep all 100.
"""

from tests.catalog import Variant

_CS = "answer_centered_spectrum"
_LM = "answer_log_magnitude"
_SW = "answer_swap_amplitude_phase"
_BOX = "answer_box_low_pass_mask"
_GM = "answer_gaussian_low_pass_mask"
_FF = "answer_filter_in_frequency"
_FC = "answer_fft_convolve2d"
_HY = "answer_hybrid_image"
_GB = "answer_gabor_kernel"
_LOG = "answer_laplacian_of_gaussian"
_ZC = "answer_zero_crossings"

_CS_CHECK = ('    if image.ndim != 2:\n'
             '        raise ValueError(f"image must be a 2-D gray image (H, W), got shape {image.shape}")\n')
_SW_CHECK = ('    if img_a.ndim != 2 or img_b.ndim != 2:\n'
             '        raise ValueError(f"images must be 2-D gray images, got shapes {img_a.shape} and '
             '{img_b.shape}")\n')
_SIZE_CHECK = ('    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1 '
               'or size % 2 == 0:\n'
               '        raise ValueError(f"size must be a positive odd integer, got {size!r}")\n')

WRONG = [
    # ------------------------------------------------------------------ centered_spectrum
    Variant("cs_no_shift", _CS,
            replace=[("return np.fft.fftshift(np.fft.fft2(image))", "return np.fft.fft2(image)")],
            why="fft2 without fftshift: zero frequency left at [0, 0]"),
    Variant("cs_double_shift", _CS,
            replace=[("return np.fft.fftshift(np.fft.fft2(image))",
                      "return np.fft.fftshift(np.fft.fftshift(np.fft.fft2(image)))")],
            why="fftshift applied twice (identity for even sizes only)"),
    Variant("cs_ifftshift", _CS,
            replace=[("return np.fft.fftshift(np.fft.fft2(image))",
                      "return np.fft.ifftshift(np.fft.fft2(image))")],
            why="ifftshift instead of fftshift: centre off by one for odd sizes"),
    Variant("cs_shift_before_fft", _CS,
            replace=[("return np.fft.fftshift(np.fft.fft2(image))",
                      "return np.fft.fft2(np.fft.fftshift(image))")],
            why="shifts the image instead of the spectrum"),
    Variant("cs_shift_rows_only", _CS,
            replace=[("return np.fft.fftshift(np.fft.fft2(image))",
                      "return np.fft.fftshift(np.fft.fft2(image), axes=0)")],
            why="shifts only along the rows"),
    Variant("cs_no_validation", _CS, replace=[(_CS_CHECK, "")],
            why="accepts RGB images (fft2 over the last two axes) instead of raising ValueError"),

    # ------------------------------------------------------------------ log_magnitude
    Variant("lm_no_plus_one", _LM, source='''def log_magnitude(spectrum):
    return np.log(np.abs(spectrum))
''', why="log|G| as in the notes' plot: -inf where the spectrum is 0"),
    Variant("lm_log10", _LM, source='''def log_magnitude(spectrum):
    return np.log10(1 + np.abs(spectrum))
''', why="base-10 logarithm"),
    Variant("lm_power", _LM, source='''def log_magnitude(spectrum):
    return np.log(1 + np.abs(spectrum) ** 2)
''', why="log of the power |G|^2 instead of the magnitude"),
    Variant("lm_real_part", _LM, source='''def log_magnitude(spectrum):
    return np.log(1 + np.abs(np.real(spectrum)))
''', why="magnitude of the real part only"),

    # ------------------------------------------------------------------ swap_amplitude_phase
    Variant("swap_order", _SW,
            replace=[("return a_amp_b_phase, b_amp_a_phase", "return b_amp_a_phase, a_amp_b_phase")],
            why="returns the pair in the wrong order"),
    Variant("swap_abs", _SW, replace=[("np.real(np.fft.ifft2", "np.abs(np.fft.ifft2")],
            why="abs instead of real of the inverse transform"),
    Variant("swap_arctan", _SW,
            replace=[("np.angle(spec_b)", "np.arctan(spec_b.imag / spec_b.real)"),
                     ("np.angle(spec_a)", "np.arctan(spec_a.imag / spec_a.real)")],
            why="phase as arctan(imag/real): loses the quadrant"),
    Variant("swap_same_phase", _SW,
            replace=[("np.abs(spec_a) * np.exp(1j * np.angle(spec_b))",
                      "np.abs(spec_a) * np.exp(1j * np.angle(spec_a))")],
            why="first image keeps its own phase (typo): returns img_a"),
    Variant("swap_real_as_amplitude", _SW,
            replace=[("np.abs(spec_a) * np.exp", "np.real(spec_a) * np.exp"),
                     ("np.abs(spec_b) * np.exp", "np.real(spec_b) * np.exp")],
            why="takes the real part as the amplitude"),
    Variant("swap_fftshift_back", _SW, source='''def swap_amplitude_phase(img_a, img_b):
    img_a = np.asarray(img_a, dtype=float)
    img_b = np.asarray(img_b, dtype=float)
    if img_a.ndim != 2 or img_a.shape != img_b.shape:
        raise ValueError("need two 2-D images of the same shape")
    fa = np.fft.fftshift(np.fft.fft2(img_a))
    fb = np.fft.fftshift(np.fft.fft2(img_b))
    ab = np.real(np.fft.ifft2(np.fft.fftshift(np.abs(fa) * np.exp(1j * np.angle(fb)))))
    ba = np.real(np.fft.ifft2(np.fft.fftshift(np.abs(fb) * np.exp(1j * np.angle(fa)))))
    return ab, ba
''', why="undoes the centring with fftshift instead of ifftshift (wrong for odd sizes)"),
    Variant("swap_no_validation", _SW, replace=[(_SW_CHECK, "")],
            why="accepts RGB images instead of raising ValueError"),

    # ------------------------------------------------------------------ box_low_pass_mask
    Variant("box_strict", _BOX, replace=[(" <= half_width)", " < half_width)")],
            why="< instead of <=: box of 2w-1 instead of 2w+1"),
    Variant("box_full_width", _BOX, replace=[(" <= half_width)", " <= half_width // 2)")],
            why="half_width treated as the full width"),
    Variant("box_float_centre", _BOX,
            replace=[("np.arange(height) - height // 2", "np.arange(height) - height / 2"),
                     ("np.arange(width) - width // 2", "np.arange(width) - width / 2")],
            why="centre at H/2 (float) instead of H//2"),
    Variant("box_centre_minus_one", _BOX,
            replace=[("np.arange(height) - height // 2", "np.arange(height) - (height - 1) // 2"),
                     ("np.arange(width) - width // 2", "np.arange(width) - (width - 1) // 2")],
            why="centre at (H-1)//2: off by one for even sizes"),
    Variant("box_centre_minus_one_float", _BOX,
            replace=[("np.arange(height) - height // 2", "np.arange(height) - (height - 1) / 2"),
                     ("np.arange(width) - width // 2", "np.arange(width) - (width - 1) / 2")],
            why="centre at (H-1)/2 (float)"),
    Variant("box_notes_slices", _BOX, source='''def box_low_pass_mask(shape, half_width):
    if half_width < 0:
        raise ValueError("half_width must be >= 0")
    h, w = shape
    mask = np.zeros((h, w))
    mask[h // 2 - half_width:h // 2 + half_width + 1, w // 2 - half_width:w // 2 + half_width + 1] = 1
    return mask
''', why="the notes' slices: a negative start wraps when the box is larger than the image"),
    Variant("box_no_validation", _BOX,
            replace=[('    if half_width < 0:\n'
                      '        raise ValueError(f"half_width must be >= 0, got {half_width!r}")\n', "")],
            why="negative half_width gives an empty mask instead of ValueError"),
    Variant("box_bool", _BOX, replace=[("return inside.astype(np.float64)", "return inside")],
            why="returns a boolean mask (1 - mask fails) instead of float64"),
    Variant("box_shape_swapped", _BOX,
            replace=[("height, width = (int(n) for n in shape)", "width, height = (int(n) for n in shape)")],
            why="reads shape as (W, H): transposed mask for non-square shapes"),

    # ------------------------------------------------------------------ gaussian_low_pass_mask
    Variant("gm_no_two", _GM, replace=[("(2.0 * sigma ** 2)", "(sigma ** 2)")],
            why="exp(-(u²+v²)/σ²): missing factor 2"),
    Variant("gm_sigma_not_squared", _GM, replace=[("(2.0 * sigma ** 2)", "(2.0 * sigma)")],
            why="2σ instead of 2σ² in the denominator"),
    Variant("gm_float_centre", _GM,
            replace=[("np.arange(height) - height // 2", "np.arange(height) - height / 2"),
                     ("np.arange(width) - width // 2", "np.arange(width) - width / 2")],
            why="centre at H/2 (float) instead of H//2"),
    Variant("gm_corner", _GM,
            replace=[("(np.arange(height) - height // 2)", "np.arange(height)"),
                     ("(np.arange(width) - width // 2)", "np.arange(width)")],
            why="not centred: peak at [0, 0]"),
    Variant("gm_normalised", _GM, source='''def gaussian_low_pass_mask(shape, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    h, w = shape
    u = np.arange(h)[:, None] - h // 2
    v = np.arange(w)[None, :] - w // 2
    g = np.exp(-(u ** 2 + v ** 2) / (2 * sigma ** 2))
    return g / g.sum()
''', why="normalised to sum 1 like a kernel: the peak is not 1"),
    Variant("gm_no_validation", _GM,
            replace=[('    if not sigma > 0:\n'
                      '        raise ValueError(f"sigma must be positive, got {sigma!r}")\n', "")],
            why="no ValueError for sigma <= 0"),
    Variant("gm_shape_swapped", _GM,
            replace=[("height, width = (int(n) for n in shape)", "width, height = (int(n) for n in shape)")],
            why="reads shape as (W, H): transposed mask for non-square shapes"),

    # ------------------------------------------------------------------ filter_in_frequency
    Variant("ff_no_ifftshift", _FF,
            replace=[("np.fft.ifft2(np.fft.ifftshift(mask * spectrum))", "np.fft.ifft2(mask * spectrum)")],
            why="forgets to undo the centring before ifft2"),
    Variant("ff_fftshift_back", _FF,
            replace=[("np.fft.ifftshift(mask * spectrum)", "np.fft.fftshift(mask * spectrum)")],
            why="fftshift instead of ifftshift to undo the centring (odd sizes)"),
    Variant("ff_ifftshift_forward", _FF,
            replace=[("spectrum = np.fft.fftshift(np.fft.fft2(image))",
                      "spectrum = np.fft.ifftshift(np.fft.fft2(image))"),
                     ("np.fft.ifftshift(mask * spectrum)", "np.fft.fftshift(mask * spectrum)")],
            why="shifts with ifftshift and back with fftshift: mask off by one for odd sizes"),
    Variant("ff_abs", _FF, replace=[("return np.real(", "return np.abs(")],
            why="abs instead of real, as in the notes' code"),
    Variant("ff_no_shift", _FF, source='''def filter_in_frequency(image, mask):
    image = np.asarray(image, dtype=float)
    if image.ndim != 2 or np.shape(mask) != image.shape:
        raise ValueError("image must be 2-D and mask of the same shape")
    return np.real(np.fft.ifft2(mask * np.fft.fft2(image)))
''', why="applies the centred mask to the uncentred spectrum"),
    Variant("ff_complex", _FF,
            replace=[("return np.real(np.fft.ifft2(np.fft.ifftshift(mask * spectrum)))",
                      "return np.fft.ifft2(np.fft.ifftshift(mask * spectrum))")],
            why="returns the complex inverse transform"),
    Variant("ff_no_validation", _FF,
            replace=[('    if mask.shape != image.shape:\n'
                      '        raise ValueError(f"mask must have the image\'s shape {image.shape}, '
                      'got {mask.shape}")\n', "")],
            why="lets a mask of another shape broadcast instead of raising ValueError"),

    # ------------------------------------------------------------------ fft_convolve2d
    Variant("fc_circular", _FC,
            replace=[("size = (height + kh - 1, width + kw - 1)", "size = (height, width)")],
            why="no zero padding: circular convolution with wrap-around"),
    Variant("fc_pad_half", _FC,
            replace=[("size = (height + kh - 1, width + kw - 1)", "size = (height + kh // 2, width + kw // 2)")],
            why="pads by half the kernel only: partial wrap-around"),
    Variant("fc_same_off_by_one", _FC,
            replace=[("top, left = (kh - 1) // 2, (kw - 1) // 2", "top, left = kh // 2, kw // 2")],
            why="'same' crop starts at k//2: off by one for even kernels"),
    Variant("fc_same_corner", _FC,
            replace=[("top, left = (kh - 1) // 2, (kw - 1) // 2", "top, left = 0, 0")],
            why="'same' takes the top-left corner of the full result"),
    Variant("fc_correlation", _FC,
            replace=[("np.fft.fft2(kernel, s=size)", "np.fft.fft2(kernel[::-1, ::-1], s=size)")],
            why="flips the kernel: computes cross-correlation"),
    Variant("fc_abs", _FC, replace=[("full = np.real(", "full = np.abs(")],
            why="abs instead of real: negative values flipped"),
    Variant("fc_complex", _FC,
            replace=[("full = np.real(np.fft.ifft2(np.fft.fft2(image, s=size) * np.fft.fft2(kernel, s=size)))",
                      "full = np.fft.ifft2(np.fft.fft2(image, s=size) * np.fft.fft2(kernel, s=size))")],
            why="returns a complex array"),
    Variant("fc_no_mode_check", _FC,
            replace=[('    if mode not in ("full", "same"):\n'
                      '        raise ValueError(f"mode must be \'full\' or \'same\', got {mode!r}")\n', "")],
            why="unknown modes silently treated as 'same'"),

    # ------------------------------------------------------------------ hybrid_image
    Variant("hy_high_is_blur", _HY,
            replace=[("high = img_high - gaussian_blur(img_high, sigma_high)",
                      "high = gaussian_blur(img_high, sigma_high)")],
            why="high part is the blur of img_high, not the residual"),
    Variant("hy_no_clip", _HY, replace=[("hybrid = np.clip(low + high, 0.0, 1.0)", "hybrid = low + high")],
            why="hybrid not clipped to [0, 1]"),
    Variant("hy_sigmas_swapped", _HY,
            replace=[("gaussian_blur(img_low, sigma_low)", "gaussian_blur(img_low, sigma_high)"),
                     ("gaussian_blur(img_high, sigma_high)", "gaussian_blur(img_high, sigma_low)")],
            why="sigma_low and sigma_high swapped"),
    Variant("hy_high_from_low", _HY,
            replace=[("high = img_high - gaussian_blur(img_high, sigma_high)",
                      "high = img_low - gaussian_blur(img_low, sigma_high)")],
            why="high part taken from img_low (copy-paste)"),
    Variant("hy_clip_high", _HY,
            replace=[("high = img_high - gaussian_blur(img_high, sigma_high)",
                      "high = np.clip(img_high - gaussian_blur(img_high, sigma_high), 0.0, 1.0)")],
            why="clips the high part, dropping its negative values"),
    Variant("hy_high_plus_half", _HY,
            replace=[("high = img_high - gaussian_blur(img_high, sigma_high)",
                      "high = img_high - gaussian_blur(img_high, sigma_high) + 0.5")],
            why="adds the display offset 0.5 to the high part"),
    Variant("hy_variance", _HY,
            replace=[("gaussian_blur(img_low, sigma_low)", "gaussian_blur(img_low, sigma_low ** 2)"),
                     ("gaussian_blur(img_high, sigma_high)", "gaussian_blur(img_high, sigma_high ** 2)")],
            why="passes the variance instead of sigma"),
    Variant("hy_inplace", _HY, source='''def hybrid_image(img_low, img_high, sigma_low, sigma_high):
    if sigma_low <= 0 or sigma_high <= 0:
        raise ValueError("sigmas must be positive")
    low = gaussian_blur(img_low, sigma_low)
    high = img_high
    high -= gaussian_blur(img_high, sigma_high)
    return low, high, np.clip(low + high, 0, 1)
''', why="subtracts the blur in place: modifies img_high"),

    # ------------------------------------------------------------------ gabor_kernel
    Variant("gb_theta_sign", _GB,
            replace=[("x_rot = x * np.cos(theta) + y * np.sin(theta)", "x_rot = x * np.cos(theta) - y * np.sin(theta)"),
                     ("y_rot = -x * np.sin(theta) + y * np.cos(theta)", "y_rot = x * np.sin(theta) + y * np.cos(theta)")],
            why="theta measured the other way (counter-clockwise with y down)"),
    Variant("gb_xy_swapped", _GB,
            replace=[("y = offsets[:, None]\n    x = offsets[None, :]", "x = offsets[:, None]\n    y = offsets[None, :]")],
            why="x taken as the row offset and y as the column offset"),
    Variant("gb_sin", _GB,
            replace=[("np.cos(2.0 * np.pi * x_rot / wavelength + phase)", "np.sin(2.0 * np.pi * x_rot / wavelength + phase)")],
            why="sine carrier instead of cosine"),
    Variant("gb_frequency", _GB,
            replace=[("2.0 * np.pi * x_rot / wavelength", "2.0 * np.pi * x_rot * wavelength")],
            why="wavelength used as a frequency"),
    Variant("gb_no_two_pi", _GB, replace=[("2.0 * np.pi * x_rot / wavelength", "x_rot / wavelength")],
            why="forgets the 2π in the carrier"),
    Variant("gb_gamma_on_x", _GB,
            replace=[("(x_rot ** 2 + gamma ** 2 * y_rot ** 2)", "(gamma ** 2 * x_rot ** 2 + y_rot ** 2)")],
            why="aspect ratio applied to x' instead of y'"),
    Variant("gb_gamma_not_squared", _GB, replace=[("gamma ** 2 * y_rot ** 2", "gamma * y_rot ** 2")],
            why="γ instead of γ²"),
    Variant("gb_phase_minus", _GB, replace=[("/ wavelength + phase)", "/ wavelength - phase)")],
            why="phase subtracted"),
    Variant("gb_envelope_unrotated", _GB,
            replace=[("np.exp(-(x_rot ** 2 + gamma ** 2 * y_rot ** 2)", "np.exp(-(x ** 2 + gamma ** 2 * y ** 2)")],
            why="envelope not rotated with the wave"),
    Variant("gb_normalised", _GB,
            replace=[("return envelope * np.cos(", "return envelope / (2.0 * np.pi * sigma ** 2) * np.cos(")],
            why="adds the Gaussian normalisation constant"),
    Variant("gb_degrees", _GB,
            replace=[("    offsets = np.arange(size, dtype=np.float64) - size // 2\n",
                      "    theta = np.deg2rad(theta)\n    offsets = np.arange(size, dtype=np.float64) - size // 2\n")],
            why="treats theta as degrees"),
    Variant("gb_float_centre", _GB,
            replace=[("offsets = np.arange(size, dtype=np.float64) - size // 2",
                      "offsets = np.arange(size, dtype=np.float64) - size / 2")],
            why="centre at size/2 (float): kernel shifted by half a pixel"),
    Variant("gb_no_size_check", _GB, replace=[(_SIZE_CHECK, "")],
            why="accepts even sizes"),

    # ------------------------------------------------------------------ laplacian_of_gaussian
    Variant("log_no_mean", _LOG, replace=[("return kernel - kernel.mean()", "return kernel")],
            why="mean not subtracted: does not sum to 0"),
    Variant("log_sign", _LOG,
            replace=[("kernel = (r2 - 2.0 * sigma ** 2)", "kernel = (2.0 * sigma ** 2 - r2)")],
            why="sign flipped (positive centre)"),
    Variant("log_sigma_squared", _LOG, replace=[("/ sigma ** 4", "/ sigma ** 2")],
            why="divides by σ² instead of σ⁴"),
    Variant("log_no_two", _LOG,
            replace=[("np.exp(-r2 / (2.0 * sigma ** 2))", "np.exp(-r2 / sigma ** 2)")],
            why="exp(-r²/σ²): missing factor 2"),
    Variant("log_sum_one", _LOG, replace=[("return kernel - kernel.mean()", "return kernel / kernel.sum()")],
            why="normalised to sum 1 like a Gaussian"),
    Variant("log_fix_centre", _LOG, source='''def laplacian_of_gaussian(size, sigma):
    if size % 2 == 0 or size < 1:
        raise ValueError("size must be odd and positive")
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    c = size // 2
    y, x = np.mgrid[-c:c + 1, -c:c + 1]
    r2 = x ** 2 + y ** 2
    k = (r2 - 2 * sigma ** 2) / sigma ** 4 * np.exp(-r2 / (2 * sigma ** 2))
    k[c, c] -= k.sum()
    return k
''', why="makes the sum 0 by fixing the centre value instead of subtracting the mean"),
    Variant("log_normalised_formula", _LOG,
            replace=[("kernel = (r2 - 2.0 * sigma ** 2) / sigma ** 4 * np.exp(-r2 / (2.0 * sigma ** 2))",
                      "kernel = -1.0 / (np.pi * sigma ** 4) * (1.0 - r2 / (2.0 * sigma ** 2)) "
                      "* np.exp(-r2 / (2.0 * sigma ** 2))")],
            why="uses the normalised textbook LoG (other scale) instead of the given formula"),
    Variant("log_no_size_check", _LOG, replace=[(_SIZE_CHECK, "")],
            why="accepts even and negative sizes"),

    # ------------------------------------------------------------------ zero_crossings
    Variant("zc_horizontal_only", _ZC,
            replace=[("    marks[:-1, :] |= (here_b * below < 0) & (np.abs(here_b - below) > threshold)\n", "")],
            why="checks only the right neighbour"),
    Variant("zc_vertical_only", _ZC,
            replace=[("    marks[:, :-1] |= (here_r * right < 0) & (np.abs(here_r - right) > threshold)\n", "")],
            why="checks only the neighbour below"),
    Variant("zc_no_threshold", _ZC,
            replace=[(" & (np.abs(here_r - right) > threshold)", ""),
                     (" & (np.abs(here_b - below) > threshold)", "")],
            why="threshold ignored"),
    Variant("zc_ge", _ZC,
            replace=[("np.abs(here_r - right) > threshold", "np.abs(here_r - right) >= threshold"),
                     ("np.abs(here_b - below) > threshold", "np.abs(here_b - below) >= threshold")],
            why=">= instead of > threshold"),
    Variant("zc_sign_differs", _ZC,
            replace=[("here_r * right < 0", "np.sign(here_r) != np.sign(right)"),
                     ("here_b * below < 0", "np.sign(here_b) != np.sign(below)")],
            why="np.sign comparison: a zero next to a non-zero counts as a sign change"),
    Variant("zc_le_zero", _ZC,
            replace=[("here_r * right < 0", "here_r * right <= 0"),
                     ("here_b * below < 0", "here_b * below <= 0")],
            why="product <= 0: zeros count as sign changes"),
    Variant("zc_roll", _ZC, source='''def zero_crossings(response, threshold):
    r = np.asarray(response, dtype=float)
    if r.ndim != 2 or threshold < 0:
        raise ValueError("response must be 2-D and threshold >= 0")
    right = np.roll(r, -1, axis=1)
    below = np.roll(r, -1, axis=0)
    return (((r * right < 0) & (np.abs(r - right) > threshold))
            | ((r * below < 0) & (np.abs(r - below) > threshold)))
''', why="np.roll wraps around: last column compared with the first"),
    Variant("zc_mark_neighbour", _ZC,
            replace=[("marks[:, :-1] |=", "marks[:, 1:] |="), ("marks[:-1, :] |=", "marks[1:, :] |=")],
            why="marks the right/lower pixel of each crossing instead of (i, j)"),
    Variant("zc_mark_both", _ZC, source='''def zero_crossings(response, threshold):
    r = np.asarray(response, dtype=float)
    if r.ndim != 2 or threshold < 0:
        raise ValueError("response must be 2-D and threshold >= 0")
    out = np.zeros(r.shape, dtype=bool)
    h = (r[:, :-1] * r[:, 1:] < 0) & (np.abs(r[:, :-1] - r[:, 1:]) > threshold)
    v = (r[:-1] * r[1:] < 0) & (np.abs(r[:-1] - r[1:]) > threshold)
    out[:, :-1] |= h
    out[:, 1:] |= h
    out[:-1] |= v
    out[1:] |= v
    return out
''', why="marks both pixels of every crossing"),
    Variant("zc_threshold_product", _ZC,
            replace=[("np.abs(here_r - right) > threshold", "np.abs(here_r * right) > threshold"),
                     ("np.abs(here_b - below) > threshold", "np.abs(here_b * below) > threshold")],
            why="thresholds the product instead of the difference"),
    Variant("zc_threshold_value", _ZC,
            replace=[("np.abs(here_r - right) > threshold", "np.abs(here_r) > threshold"),
                     ("np.abs(here_b - below) > threshold", "np.abs(here_b) > threshold")],
            why="thresholds |response| at the pixel instead of the jump"),
    Variant("zc_uint8", _ZC, replace=[("return marks", "return marks.astype(np.uint8)")],
            why="returns 0/1 integers instead of booleans"),
    Variant("zc_no_validation", _ZC,
            replace=[('    if not threshold >= 0:\n'
                      '        raise ValueError(f"threshold must be >= 0, got {threshold!r}")\n', "")],
            why="accepts a negative threshold"),
    # ------------------------------------------------------------------ issue 14: edge cases
    Variant("cs_float32_kept", _CS,
            replace=[("image = np.asarray(image, dtype=np.float64)", "image = np.asarray(image)")],
            why="no float64 cast: NumPy 2 transforms float32 images into complex64"),
    Variant("lm_float32_kept", _LM, source='''def log_magnitude(spectrum):
    return np.log1p(np.abs(np.asarray(spectrum)))
''', why="abs of a complex64 spectrum is float32: the result is not float64"),
    Variant("lm_2d_only", _LM, source='''def log_magnitude(spectrum):
    spectrum = np.asarray(spectrum, dtype=np.complex128)
    if spectrum.ndim != 2:
        raise ValueError("spectrum must be 2-D")
    return np.log1p(np.abs(spectrum))
''', why="rejects 1-D and 3-D spectra although any shape is allowed"),
    Variant("swap_phase_by_division", _SW,
            replace=[("np.exp(1j * np.angle(spec_b))", "(spec_b / np.abs(spec_b))"),
                     ("np.exp(1j * np.angle(spec_a))", "(spec_a / np.abs(spec_a))")],
            why="unit phasor as B / |B|: NaN where a Fourier coefficient is 0"),
    Variant("swap_no_shape_check", _SW,
            replace=[('    if img_a.shape != img_b.shape:\n'
                      '        raise ValueError(f"images must have the same shape, got {img_a.shape} and {img_b.shape}")\n',
                      "")],
            why="no shape check: shapes such as (5, 6) and (1, 6) broadcast silently"),
    Variant("swap_float32_kept", _SW,
            replace=[("img_a = np.asarray(img_a, dtype=np.float64)", "img_a = np.asarray(img_a)"),
                     ("img_b = np.asarray(img_b, dtype=np.float64)", "img_b = np.asarray(img_b)")],
            why="no float64 cast: float32 images give float32 results"),
    Variant("box_no_size_check", _BOX,
            replace=[('    if height < 1 or width < 1:\n'
                      '        raise ValueError(f"shape must be positive, got {shape!r}")\n', "")],
            why="zero or negative sizes give an empty mask instead of ValueError"),
    Variant("gm_no_size_check", _GM,
            replace=[('    if height < 1 or width < 1:\n'
                      '        raise ValueError(f"shape must be positive, got {shape!r}")\n', "")],
            why="zero or negative sizes give an empty mask instead of ValueError"),
    Variant("ff_mask_real", _FF,
            replace=[("mask = np.asarray(mask)", "mask = np.asarray(mask).real.astype(np.float64)")],
            why="casts the mask to real: drops the imaginary part of a complex mask"),
    Variant("ff_size_check_reshape", _FF,
            replace=[('    if mask.shape != image.shape:\n',
                      '    if mask.size == image.size:\n        mask = mask.reshape(image.shape)\n'
                      '    if mask.shape != image.shape:\n')],
            why="reshapes any mask with as many entries as the image (a (6, 8, 1) mask)"),
    Variant("ff_broadcastable_mask", _FF,
            replace=[('    if mask.shape != image.shape:\n',
                      '    mask = np.broadcast_to(mask, image.shape) if mask.ndim <= 2 else mask\n'
                      '    if mask.shape != image.shape:\n')],
            why="accepts masks that broadcast over the image ((1, W), (W,), scalars)"),
    Variant("ff_float32_kept", _FF,
            replace=[("image = np.asarray(image, dtype=np.float64)", "image = np.asarray(image)")],
            why="no float64 cast: a float32 image is filtered in single precision"),
    Variant("fc_float32_kept", _FC,
            replace=[("image = np.asarray(image, dtype=np.float64)\n    kernel = np.asarray(kernel, dtype=np.float64)",
                      "image = np.asarray(image)\n    kernel = np.asarray(kernel)")],
            why="no float64 cast: float32 inputs are transformed in single precision"),
    Variant("hy_no_shape_check", _HY,
            replace=[('    if img_low.shape != img_high.shape:\n', '    if img_low.ndim != img_high.ndim:\n')],
            why="compares only the number of axes: (9, 8) and (1, 8) broadcast"),
    Variant("hy_any_channels", _HY,
            replace=[("if not (img_low.ndim == 2 or (img_low.ndim == 3 and img_low.shape[2] == 3)):",
                      "if img_low.ndim not in (2, 3):")],
            why="accepts any number of channels: (H, W, 4) and (H, W, 1)"),
    Variant("gb_sigma_zero_only", _GB,
            replace=[("    if not sigma > 0:\n", "    if sigma == 0:\n")],
            why="rejects sigma = 0 but accepts a negative sigma"),
    Variant("gb_size_parity_only", _GB,
            replace=[(_SIZE_CHECK, '    if size % 2 == 0:\n        raise ValueError("size must be odd")\n')],
            why="checks only the parity: a negative odd size gives an empty kernel"),
    Variant("zc_interior_only", _ZC, source='''def zero_crossings(response, threshold):
    response = np.asarray(response, dtype=np.float64)
    if response.ndim != 2:
        raise ValueError("response must be 2-D")
    if threshold < 0:
        raise ValueError("threshold must be >= 0")
    a, right, below = response[:-1, :-1], response[:-1, 1:], response[1:, :-1]
    marks = np.zeros(response.shape, dtype=bool)
    marks[:-1, :-1] = (((a * right < 0) & (np.abs(a - right) > threshold))
                       | ((a * below < 0) & (np.abs(a - below) > threshold)))
    return marks
''', why="checks only pixels that have both neighbours: misses the last row and column"),
]

ALTERNATIVE = [
    Variant("cs_roll", _CS, source='''def centered_spectrum(image):
    image = np.asarray(image, dtype=float)
    if image.ndim != 2:
        raise ValueError("image must be 2-D")
    h, w = image.shape
    return np.roll(np.fft.fft2(image), (h // 2, w // 2), axis=(0, 1))
''', why="fftshift done with np.roll"),
    Variant("cs_scipy", _CS, source='''import scipy.fft

def centered_spectrum(image):
    image = np.asarray(image, dtype=float)
    if image.ndim != 2:
        raise ValueError("image must be 2-D")
    return scipy.fft.fftshift(scipy.fft.fft2(image))
''', why="scipy.fft instead of np.fft"),
    Variant("lm_hypot", _LM, source='''def log_magnitude(spectrum):
    spectrum = np.asarray(spectrum, dtype=np.complex128)
    return np.log(1.0 + np.hypot(spectrum.real, spectrum.imag))
''', why="magnitude by np.hypot, log(1 + x)"),
    Variant("swap_polar_shifted", _SW, source='''def swap_amplitude_phase(img_a, img_b):
    a = np.asarray(img_a, dtype=float)
    b = np.asarray(img_b, dtype=float)
    if a.ndim != 2 or a.shape != b.shape:
        raise ValueError("need two 2-D images of the same shape")
    fa = np.fft.fftshift(np.fft.fft2(a))
    fb = np.fft.fftshift(np.fft.fft2(b))
    amp_a, amp_b = np.hypot(fa.real, fa.imag), np.hypot(fb.real, fb.imag)
    ph_a, ph_b = np.arctan2(fa.imag, fa.real), np.arctan2(fb.imag, fb.real)

    def back(amp, ph):
        spec = amp * np.cos(ph) + 1j * amp * np.sin(ph)
        return np.fft.ifft2(np.fft.ifftshift(spec)).real

    return (back(amp_a, ph_b), back(amp_b, ph_a))
''', why="centred spectra, arctan2 and cos/sin, ifftshift back"),
    Variant("swap_normalised_spectrum", _SW, source='''def swap_amplitude_phase(img_a, img_b):
    a = np.asarray(img_a, dtype=float)
    b = np.asarray(img_b, dtype=float)
    if a.ndim != 2 or b.ndim != 2 or a.shape != b.shape:
        raise ValueError("need two 2-D images of the same shape")
    fa, fb = np.fft.fft2(a), np.fft.fft2(b)
    unit_a = np.exp(1j * np.angle(fa))
    unit_b = np.exp(1j * np.angle(fb))
    out = [np.fft.ifft2(np.abs(fa) * unit_b).real, np.fft.ifft2(np.abs(fb) * unit_a).real]
    return tuple(out)
''', why="unit phasors computed once, .real attribute"),
    Variant("box_meshgrid", _BOX, source='''def box_low_pass_mask(shape, half_width):
    if len(shape) != 2:
        raise ValueError("shape must be (H, W)")
    if half_width < 0:
        raise ValueError("half_width must be non-negative")
    H, W = shape
    if min(H, W) < 1:
        raise ValueError("sizes must be positive")
    U, V = np.meshgrid(np.arange(H) - H // 2, np.arange(W) - W // 2, indexing="ij")
    return np.where(np.maximum(np.abs(U), np.abs(V)) <= half_width, 1.0, 0.0)
''', why="meshgrid and Chebyshev distance"),
    Variant("box_clipped_slices", _BOX, source='''def box_low_pass_mask(shape, half_width):
    if len(shape) != 2 or half_width < 0:
        raise ValueError("need shape (H, W) and half_width >= 0")
    H, W = shape
    if H <= 0 or W <= 0:
        raise ValueError("sizes must be positive")
    ci, cj = H // 2, W // 2
    mask = np.zeros((H, W))
    mask[max(0, ci - half_width):ci + half_width + 1, max(0, cj - half_width):cj + half_width + 1] = 1.0
    return mask
''', why="the notes' slices, clipped at 0"),
    Variant("gm_outer", _GM, source='''def gaussian_low_pass_mask(shape, sigma):
    if len(shape) != 2:
        raise ValueError("shape must be (H, W)")
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    H, W = shape
    if H < 1 or W < 1:
        raise ValueError("sizes must be positive")
    gu = np.exp(-((np.arange(H) - H // 2) ** 2) / (2 * sigma ** 2))
    gv = np.exp(-((np.arange(W) - W // 2) ** 2) / (2 * sigma ** 2))
    return np.outer(gu, gv)
''', why="outer product of two 1-D Gaussians"),
    Variant("ff_shift_mask", _FF, source='''def filter_in_frequency(image, mask):
    image = np.asarray(image, dtype=float)
    mask = np.asarray(mask)
    if image.ndim != 2 or mask.shape != image.shape:
        raise ValueError("image must be 2-D and mask of the same shape")
    return np.fft.ifft2(np.fft.fft2(image) * np.fft.ifftshift(mask)).real
''', why="un-centres the mask instead of centring the spectrum"),
    Variant("fc_rfft2", _FC, source='''def fft_convolve2d(image, kernel, mode="full"):
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError("image and kernel must be 2-D")
    if mode not in ("full", "same"):
        raise ValueError("mode must be 'full' or 'same'")
    s = (image.shape[0] + kernel.shape[0] - 1, image.shape[1] + kernel.shape[1] - 1)
    full = np.fft.irfft2(np.fft.rfft2(image, s) * np.fft.rfft2(kernel, s), s)
    if mode == "full":
        return full
    r0 = (kernel.shape[0] - 1) // 2
    c0 = (kernel.shape[1] - 1) // 2
    return full[r0:r0 + image.shape[0], c0:c0 + image.shape[1]].copy()
''', why="real FFTs (rfft2/irfft2)"),
    Variant("fc_scipy_fast_len", _FC, source='''import scipy.fft

def fft_convolve2d(image, kernel, mode="full"):
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    if image.ndim != 2 or kernel.ndim != 2 or mode not in ("full", "same"):
        raise ValueError("2-D arrays and mode 'full' or 'same' required")
    H, W = image.shape
    kh, kw = kernel.shape
    fh, fw = H + kh - 1, W + kw - 1
    shape = (scipy.fft.next_fast_len(fh), scipy.fft.next_fast_len(fw))
    prod = scipy.fft.fft2(image, shape) * scipy.fft.fft2(kernel, shape)
    full = scipy.fft.ifft2(prod).real[:fh, :fw]
    if mode == "full":
        return full
    start_i = (fh - H) // 2
    start_j = (fw - W) // 2
    return full[start_i:start_i + H, start_j:start_j + W]
''', why="scipy.fft with next_fast_len padding, crop computed from the full size"),
    Variant("hy_channel_loop", _HY, source='''def hybrid_image(img_low, img_high, sigma_low, sigma_high):
    a = np.array(img_low, dtype=float)
    b = np.array(img_high, dtype=float)
    if a.shape != b.shape or a.ndim not in (2, 3) or a.shape[2:] not in ((), (3,)):
        raise ValueError("images must have the same shape, (H, W) or (H, W, 3)")
    if sigma_low <= 0 or sigma_high <= 0:
        raise ValueError("sigmas must be positive")
    if a.ndim == 2:
        low = gaussian_blur(a, sigma_low)
        high = b - gaussian_blur(b, sigma_high)
    else:
        low = np.stack([gaussian_blur(a[..., c], sigma_low) for c in range(a.shape[2])], axis=2)
        high = np.stack([b[..., c] - gaussian_blur(b[..., c], sigma_high) for c in range(b.shape[2])], axis=2)
    hybrid = np.minimum(np.maximum(low + high, 0.0), 1.0)
    return low, high, hybrid
''', why="blurs channel by channel, clip by minimum/maximum"),
    Variant("gb_loops", _GB, source='''import math

def gabor_kernel(size, sigma, theta, wavelength, phase=0.0, gamma=1.0):
    if size < 1 or size % 2 != 1:
        raise ValueError("size must be odd and positive")
    if sigma <= 0 or wavelength <= 0:
        raise ValueError("sigma and wavelength must be positive")
    c = size // 2
    k = np.empty((size, size))
    ct, st = math.cos(theta), math.sin(theta)
    for i in range(size):
        for j in range(size):
            x, y = j - c, i - c
            xp = x * ct + y * st
            yp = -x * st + y * ct
            k[i, j] = math.exp(-(xp * xp + gamma * gamma * yp * yp) / (2 * sigma * sigma)) \\
                * math.cos(2 * math.pi * xp / wavelength + phase)
    return k
''', why="explicit loops over the (small) kernel"),
    Variant("gb_rotation_matrix", _GB, source='''def gabor_kernel(size, sigma, theta, wavelength, phase=0.0, gamma=1.0):
    if size % 2 == 0 or size <= 0:
        raise ValueError("size must be a positive odd integer")
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    if wavelength <= 0:
        raise ValueError("wavelength must be positive")
    half = size // 2
    ys, xs = np.meshgrid(np.arange(-half, half + 1), np.arange(-half, half + 1), indexing="ij")
    rot = np.array([[np.cos(theta), np.sin(theta)], [-np.sin(theta), np.cos(theta)]])
    xp, yp = np.einsum("ab,bij->aij", rot, np.stack([xs, ys]))
    return np.exp(-0.5 * (xp ** 2 + (gamma * yp) ** 2) / sigma ** 2) * np.cos(2 * np.pi / wavelength * xp + phase)
''', why="rotation matrix applied with einsum, different formula arrangement"),
    Variant("log_rearranged", _LOG, source='''def laplacian_of_gaussian(size, sigma):
    if size <= 0 or size % 2 == 0:
        raise ValueError("size must be a positive odd integer")
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    c = size // 2
    y, x = np.mgrid[-c:c + 1, -c:c + 1].astype(float)
    r2 = x * x + y * y
    k = (r2 / sigma ** 4 - 2.0 / sigma ** 2) * np.exp(-0.5 * r2 / sigma ** 2)
    k -= k.sum() / k.size
    return k
''', why="mgrid, (r²/σ⁴ − 2/σ²) arrangement, sum/size as the mean"),
    Variant("zc_padded", _ZC, source='''def zero_crossings(response, threshold):
    r = np.asarray(response, dtype=float)
    if r.ndim != 2:
        raise ValueError("response must be 2-D")
    if threshold < 0:
        raise ValueError("threshold must be >= 0")
    p = np.pad(r, ((0, 1), (0, 1)))
    right = p[:-1, 1:]
    below = p[1:, :-1]
    cross_r = np.logical_and(r * right < 0, np.abs(r - right) > threshold)
    cross_b = np.logical_and(r * below < 0, np.abs(r - below) > threshold)
    return np.logical_or(cross_r, cross_b)
''', why="zero padding on the right/bottom (a zero is never a sign change)"),
    Variant("zc_signbit", _ZC, source='''def zero_crossings(response, threshold):
    r = np.array(response, dtype=float)
    if r.ndim != 2 or not threshold >= 0:
        raise ValueError("response must be 2-D and threshold >= 0")
    nonzero = r != 0
    neg = np.signbit(r)
    out = np.zeros_like(nonzero)
    for a, b, target in ((np.s_[:, :-1], np.s_[:, 1:], np.s_[:, :-1]), (np.s_[:-1, :], np.s_[1:, :], np.s_[:-1, :])):
        change = nonzero[a] & nonzero[b] & (neg[a] != neg[b])
        out[target] |= change & (np.abs(r[a] - r[b]) > threshold)
    return out
''', why="sign change from np.signbit of non-zero values, loop over the two directions"),
    Variant("swap_unit_phasor_safe", _SW, source='''def swap_amplitude_phase(img_a, img_b):
    a = np.asarray(img_a, dtype=np.float64)
    b = np.asarray(img_b, dtype=np.float64)
    if a.ndim != 2 or b.ndim != 2 or a.shape != b.shape:
        raise ValueError("need two 2-D images of the same shape")
    A, B = np.fft.fft2(a), np.fft.fft2(b)
    def unit(z):
        mag = np.abs(z)
        return np.where(mag > 0, z / np.where(mag > 0, mag, 1.0), 1.0)
    return (np.fft.ifft2(np.abs(A) * unit(B)).real, np.fft.ifft2(np.abs(B) * unit(A)).real)
''', why="unit phasor z / |z|, with phase 0 where z = 0 (as np.angle)"),
    Variant("fc_next_pow2_rfft", _FC, source='''def fft_convolve2d(image, kernel, mode="full"):
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError("2-D arrays expected")
    if mode not in ("full", "same"):
        raise ValueError("mode must be 'full' or 'same'")
    H, W = image.shape
    kh, kw = kernel.shape
    fh, fw = H + kh - 1, W + kw - 1
    ph, pw = 1 << (fh - 1).bit_length(), 1 << (fw - 1).bit_length()
    full = np.fft.irfft2(np.fft.rfft2(image, (ph, pw)) * np.fft.rfft2(kernel, (ph, pw)), (ph, pw))[:fh, :fw]
    if mode == "full":
        return full
    r, c = (kh - 1) // 2, (kw - 1) // 2
    return full[r:r + H, c:c + W]
''', why="rfft2 on power-of-two sizes, cropped"),
]
