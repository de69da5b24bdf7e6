"""HW2 (backpropagation from scratch): plausible wrong answers and correct alternatives.

Every ``WRONG`` variant must lose points; every ``ALTERNATIVE`` must keep all of them.
``replace`` edits apply to the reference answer of ``solutions/hw2/hw2.ipynb`` with the
``### BEGIN/END SOLUTION`` markers removed.
"""

from tests.catalog import Variant

WRONG = [
    # ------------------------------------------------------------ numerical_gradient
    Variant("ng_forward_difference", "answer_numerical_gradient", source='''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    fx = float(f(x))
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        grad[idx] = (float(f(x)) - fx) / h
        x[idx] = old
    return grad
''', why="one-sided (forward) differences instead of central differences"),
    Variant("ng_no_restore", "answer_numerical_gradient",
            replace=[("        x[idx] = old\n        grad[idx]", "        grad[idx]")],
            why="never puts x[i] back: x is left at old - h"),
    Variant("ng_add_subtract_restore", "answer_numerical_gradient",
            replace=[("x[idx] = old + h", "x[idx] += h"),
                     ("x[idx] = old - h", "x[idx] -= 2 * h"),
                     ("        x[idx] = old\n", "        x[idx] += h\n")],
            why="restores x by adding h back: rounding leaves x not exactly as it was"),
    Variant("ng_copy_never_restored", "answer_numerical_gradient", source='''
def numerical_gradient(f, x, h=1e-5):
    xc = np.array(x, dtype=float)
    grad = np.zeros(xc.shape)
    for idx in np.ndindex(xc.shape):
        old = xc[idx]
        xc[idx] = old + h
        f_plus = f(xc)
        xc[idx] = old - h
        f_minus = f(xc)
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
''', why="perturbs a copy but never restores it between elements: f sees many changes"),
    Variant("ng_fixed_h", "answer_numerical_gradient",
            replace=[("x[idx] = old + h", "x[idx] = old + 1e-5"),
                     ("x[idx] = old - h", "x[idx] = old - 1e-5"),
                     ("(2 * h)", "(2 * 1e-5)")],
            why="hard-codes h = 1e-5 and ignores the argument"),
    Variant("ng_divide_by_h", "answer_numerical_gradient",
            replace=[("/ (2 * h)", "/ h")],
            why="central difference divided by h instead of 2h"),

    # ------------------------------------------------------------ relative_error
    Variant("re_no_floor", "answer_relative_error",
            replace=[("np.maximum(1e-8, np.abs(a) + np.abs(b))", "(np.abs(a) + np.abs(b))")],
            why="no 1e-8 floor: 0/0 = NaN where both values are zero"),
    Variant("re_mean", "answer_relative_error",
            replace=[("float(np.max(np.abs(a - b)", "float(np.mean(np.abs(a - b)")],
            why="mean instead of max of the elementwise ratios"),
    Variant("re_abs_of_sum", "answer_relative_error",
            replace=[("np.abs(a) + np.abs(b)", "np.abs(a + b)")],
            why="denominator |a + b| instead of |a| + |b|"),
    Variant("re_max_over_max", "answer_relative_error",
            replace=[("return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))",
                      "return float(np.max(np.abs(a - b)) / max(1e-8, np.max(np.abs(a) + np.abs(b))))")],
            why="max |a-b| divided by max(|a|+|b|) instead of the max of elementwise ratios"),

    # ------------------------------------------------------------ linear
    Variant("lin_db_axis1", "answer_linear",
            replace=[("db = dout.sum(axis=0)", "db = dout.sum(axis=1)")],
            why="bias gradient summed over the wrong axis"),
    Variant("lin_db_mean", "answer_linear",
            replace=[("db = dout.sum(axis=0)", "db = dout.mean(axis=0)")],
            why="bias gradient averaged instead of summed over the samples"),
    Variant("lin_dx_no_transpose", "answer_linear",
            replace=[("dx = dout @ W.T", "dx = dout @ W if W.shape[0] == W.shape[1] else dout @ W.T")],
            why="uses W instead of W.T (only visible when W is square)"),
    Variant("lin_dW_transposed", "answer_linear",
            replace=[("dW = x.T @ dout", "dW = (dout.T @ x).reshape(W.shape)")],
            why="dW computed as dout.T x and forced into W's shape"),
    Variant("lin_no_bias", "answer_linear",
            replace=[("out = x @ W + b", "out = x @ W")],
            why="forgets the bias in the forward pass"),
    Variant("lin_no_validation", "answer_linear",
            replace=[("if x.ndim != 2 or W.ndim != 2 or b.ndim != 1:", "if False:"),
                     ("if x.shape[1] != W.shape[0] or W.shape[1] != b.shape[0]:", "if False:")],
            why="no input validation: a 1-D x silently works"),

    # ------------------------------------------------------------ relu
    Variant("relu_ge_zero", "answer_relu",
            replace=[("* (x > 0)", "* (x >= 0)")],
            why="passes the gradient at x = 0"),
    Variant("relu_out_ge_zero", "answer_relu", source='''
def relu_forward(x):
    out = np.maximum(x, 0.0)
    return out, out


def relu_backward(dout, cache):
    out = cache
    return dout * (out >= 0)
''', why="mask out >= 0 on the output: true everywhere, the gradient is never blocked"),
    Variant("relu_inplace", "answer_relu",
            replace=[("out = np.maximum(x, 0.0)", "out = np.maximum(x, 0.0, out=x)")],
            why="computes ReLU in place and modifies the input"),
    Variant("relu_forgets_dout", "answer_relu",
            replace=[("dx = np.asarray(dout, dtype=np.float64) * (x > 0)",
                      "dx = (x > 0).astype(np.float64)")],
            why="returns the local derivative without multiplying by dout"),

    # ------------------------------------------------------------ sigmoid
    Variant("sig_backward_uses_x", "answer_sigmoid", source='''
def sigmoid_forward(x):
    x = np.asarray(x, dtype=np.float64)
    z = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    return out, x


def sigmoid_backward(dout, cache):
    x = cache
    return dout * x * (1 - x)
''', why="backward uses x instead of sigma(x)"),
    Variant("sig_forgets_dout", "answer_sigmoid",
            replace=[("dx = np.asarray(dout, dtype=np.float64) * out * (1.0 - out)",
                      "dx = out * (1.0 - out)")],
            why="backward ignores the upstream gradient"),
    Variant("sig_wrong_sign", "answer_sigmoid",
            replace=[("np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))",
                      "np.where(x >= 0, z / (1.0 + z), 1.0 / (1.0 + z))")],
            why="computes sigma(-x)"),

    # ------------------------------------------------------------ softmax
    Variant("softmax_axis0", "answer_softmax",
            replace=[("shifted = logits - logits.max(axis=1, keepdims=True)",
                      "shifted = logits - logits.max(axis=0, keepdims=True)"),
                     ("return e / e.sum(axis=1, keepdims=True)",
                      "return e / e.sum(axis=0, keepdims=True)")],
            why="normalises over the samples (axis 0) instead of the classes"),
    Variant("softmax_unstable", "answer_softmax",
            replace=[("shifted = logits - logits.max(axis=1, keepdims=True)", "shifted = logits")],
            why="no max subtraction: exp overflows for logits of 1e3"),
    Variant("softmax_global_max", "answer_softmax",
            replace=[("logits - logits.max(axis=1, keepdims=True)", "logits - logits.max()")],
            why="subtracts the global max: rows far below it underflow to 0/0"),

    # ------------------------------------------------------------ softmax cross-entropy
    Variant("sce_sum_not_mean", "answer_softmax_cross_entropy",
            replace=[("loss = -log_probs[rows, y].mean()", "loss = -log_probs[rows, y].sum()")],
            why="loss summed over the batch: missing 1/N"),
    Variant("sce_grad_no_N", "answer_softmax_cross_entropy",
            replace=[("    dlogits /= N\n", "")],
            why="dlogits not divided by N"),
    Variant("sce_log_of_softmax", "answer_softmax_cross_entropy", source='''
def softmax_cross_entropy(logits, y):
    logits = np.asarray(logits, dtype=np.float64)
    N = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y]))
    dlogits = probs.copy()
    dlogits[np.arange(N), y] -= 1
    return loss, dlogits / N
''', why="log of the softmax probabilities: log(0) = -inf for large logits"),
    Variant("sce_unstable", "answer_softmax_cross_entropy",
            replace=[("shifted = logits - logits.max(axis=1, keepdims=True)", "shifted = logits")],
            why="log-sum-exp without the max shift: overflows for logits of 1e3"),
    Variant("sce_no_onehot", "answer_softmax_cross_entropy",
            replace=[("    dlogits[rows, y] -= 1.0\n", "")],
            why="gradient forgets to subtract the one-hot labels"),

    # ------------------------------------------------------------ l2 loss
    Variant("l2_no_half", "answer_l2_loss",
            replace=[("loss = 0.5 * np.sum(diff ** 2) / N", "loss = np.sum(diff ** 2) / N")],
            why="loss without the factor 0.5"),
    Variant("l2_no_N", "answer_l2_loss",
            replace=[("loss = 0.5 * np.sum(diff ** 2) / N", "loss = 0.5 * np.sum(diff ** 2)"),
                     ("dpred = diff / N", "dpred = diff")],
            why="no division by N in the loss and gradient"),
    Variant("l2_mean_all_elements", "answer_l2_loss",
            replace=[("N = pred.shape[0]\n", "N = pred.size\n")],
            why="divides by the number of elements instead of the number of samples"),
    Variant("l2_grad_no_N", "answer_l2_loss",
            replace=[("dpred = diff / N", "dpred = diff")],
            why="gradient not divided by N"),

    # ------------------------------------------------------------ conv
    Variant("conv_flipped_kernel", "answer_conv",
            replace=[("out = np.tensordot(windows, w, axes=([1, 4, 5], [1, 2, 3]))",
                      "out = np.tensordot(windows, w[:, :, ::-1, ::-1], axes=([1, 4, 5], [1, 2, 3]))")],
            why="flips the kernel: true convolution instead of cross-correlation"),
    Variant("conv_backward_ignores_pad", "answer_conv",
            replace=[("dx = dxp[:, :, pad:pad + H, pad:pad + W].copy()",
                      "dx = dxp[:, :, :H, :W].copy()")],
            why="crops the padded gradient at the wrong place (ignores pad)"),
    Variant("conv_backward_ignores_stride", "answer_conv",
            replace=[("dxp[:, :, u:u + stride * Ho:stride, v:v + stride * Wo:stride] += (",
                      "dxp[:, :, u:u + Ho, v:v + Wo] += (")],
            why="backward scatters dx as if the stride were 1"),
    Variant("conv_dx_flipped_weights", "answer_conv",
            replace=[("dcols[:, :, :, :, u, v].transpose(0, 3, 1, 2))",
                      "dcols[:, :, :, :, kh - 1 - u, kw - 1 - v].transpose(0, 3, 1, 2))")],
            why="dx with the kernel flipped the wrong way"),
    Variant("conv_db_wrong_axis", "answer_conv",
            replace=[("db = dout.sum(axis=(0, 2, 3))", "db = dout.sum(axis=(1, 2, 3))")],
            why="bias gradient summed over the filters instead of samples and pixels"),
    Variant("conv_dx_assign", "answer_conv",
            replace=[("v:v + stride * Wo:stride] += (", "v:v + stride * Wo:stride] = (")],
            why="= instead of +=: overlapping windows overwrite each other's gradients"),
    Variant("conv_pad_one_side", "answer_conv",
            replace=[("np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))",
                      "np.pad(x, ((0, 0), (0, 0), (0, 2 * pad), (0, 2 * pad)))")],
            why="pads 2P on the bottom/right only"),
    Variant("conv_no_bias", "answer_conv",
            replace=[(" + b[None, :, None, None]", "")],
            why="forgets the bias in the forward pass"),

    # ------------------------------------------------------------ max pooling
    Variant("pool_assign", "answer_maxpool",
            replace=[("v:v + stride * Wo:stride] += dout * hit",
                      "v:v + stride * Wo:stride] = dout * hit")],
            why="= instead of +=: overlapping windows lose gradients"),
    Variant("pool_window_loop_assign", "answer_maxpool", source='''
def maxpool_forward(x, size=2, stride=2):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 4 or size > x.shape[2] or size > x.shape[3]:
        raise ValueError("bad input")
    N, C, H, W = x.shape
    Ho, Wo = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.zeros((N, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            out[:, :, i, j] = x[:, :, i * stride:i * stride + size,
                                j * stride:j * stride + size].max(axis=(2, 3))
    return out, (x, size, stride)


def maxpool_backward(dout, cache):
    x, size, stride = cache
    N, C, Ho, Wo = dout.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(Ho):
                for j in range(Wo):
                    win = x[n, c, i * stride:i * stride + size, j * stride:j * stride + size]
                    k = np.unravel_index(np.argmax(win), win.shape)
                    mask = np.zeros_like(win)
                    mask[k] = 1.0
                    dx[n, c, i * stride:i * stride + size,
                       j * stride:j * stride + size] = mask * dout[n, c, i, j]
    return dx
''', why="loop over windows that assigns the window's gradient (=) instead of adding it"),
    Variant("pool_ties_all", "answer_maxpool", source='''
def maxpool_forward(x, size=2, stride=2):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 4 or size > x.shape[2] or size > x.shape[3]:
        raise ValueError("bad input")
    win = sliding_window_view(x, (size, size), axis=(2, 3))[:, :, ::stride, ::stride]
    out = win.max(axis=(4, 5))
    return out, (x, size, stride)


def maxpool_backward(dout, cache):
    x, size, stride = cache
    win = sliding_window_view(x, (size, size), axis=(2, 3))[:, :, ::stride, ::stride]
    Ho, Wo = dout.shape[2:]
    hit = win == win.max(axis=(4, 5), keepdims=True)
    dx = np.zeros_like(x)
    for u in range(size):
        for v in range(size):
            dx[:, :, u:u + stride * Ho:stride, v:v + stride * Wo:stride] += dout * hit[..., u, v]
    return dx
''', why="mask x == max: every tied maximum gets the full gradient"),
    Variant("pool_last_max", "answer_maxpool",
            replace=[("idx = flat.argmax(axis=-1)",
                      "idx = size * size - 1 - flat[..., ::-1].argmax(axis=-1)")],
            why="ties go to the last maximum instead of the first"),
    Variant("pool_backward_stride_is_size", "answer_maxpool",
            replace=[("dx[:, :, u:u + stride * Ho:stride, v:v + stride * Wo:stride]",
                      "dx[:, :, u:u + size * Ho:size, v:v + size * Wo:size]")],
            why="backward assumes stride == size"),

    # ------------------------------------------------------------ batch norm
    Variant("bn_unbiased_var", "answer_batchnorm",
            replace=[("var = x.var(axis=0)", "var = x.var(axis=0, ddof=1)")],
            why="unbiased variance (divides by N - 1)"),
    Variant("bn_eps_outside_sqrt", "answer_batchnorm",
            replace=[("inv_std = 1.0 / np.sqrt(var + eps)", "inv_std = 1.0 / (np.sqrt(var) + eps)")],
            why="eps added to the standard deviation instead of the variance"),
    Variant("bn_ignores_eps_argument", "answer_batchnorm",
            replace=[("inv_std = 1.0 / np.sqrt(var + eps)", "inv_std = 1.0 / np.sqrt(var + 1e-5)")],
            why="hard-codes eps = 1e-5"),
    Variant("bn_direct_path_only", "answer_batchnorm",
            replace=[("""dx = inv_std / N * (N * dx_hat - dx_hat.sum(axis=0)
                        - x_hat * (dx_hat * x_hat).sum(axis=0))""", "dx = dx_hat * inv_std")],
            why="dx ignores the mean and variance paths"),
    Variant("bn_no_variance_path", "answer_batchnorm",
            replace=[("""dx = inv_std / N * (N * dx_hat - dx_hat.sum(axis=0)
                        - x_hat * (dx_hat * x_hat).sum(axis=0))""",
                      "dx = inv_std / N * (N * dx_hat - dx_hat.sum(axis=0))")],
            why="dx ignores the variance path"),
    Variant("bn_no_mean_path", "answer_batchnorm",
            replace=[("""dx = inv_std / N * (N * dx_hat - dx_hat.sum(axis=0)
                        - x_hat * (dx_hat * x_hat).sum(axis=0))""",
                      "dx = inv_std / N * (N * dx_hat - x_hat * (dx_hat * x_hat).sum(axis=0))")],
            why="dx ignores the mean path"),
    Variant("bn_dgamma_no_xhat", "answer_batchnorm",
            replace=[("dgamma = (dout * x_hat).sum(axis=0)", "dgamma = dout.sum(axis=0)")],
            why="dgamma without the factor x_hat"),
    Variant("bn_stats_over_features", "answer_batchnorm",
            replace=[("mu = x.mean(axis=0)", "mu = x.mean(axis=1, keepdims=True)"),
                     ("var = x.var(axis=0)", "var = x.var(axis=1, keepdims=True)")],
            why="normalises each sample over its features (layer norm) instead of over the batch"),

    # ------------------------------------------------------------ dropout
    Variant("do_scale_in_backward_only", "answer_dropout",
            replace=[("out = x * mask / keep_prob\n    cache", "out = x * mask\n    cache")],
            why="forward does not divide by keep_prob (only the backward does)"),
    Variant("do_multiply_keep_prob", "answer_dropout",
            replace=[("out = x * mask / keep_prob\n    cache", "out = x * mask * keep_prob\n    cache"),
                     ("* mask / keep_prob\n    return dx", "* mask * keep_prob\n    return dx")],
            why="multiplies by keep_prob instead of dividing"),
    Variant("do_keep_prob_as_drop_prob", "answer_dropout",
            replace=[("mask = rng.random(x.shape) < keep_prob\n    out",
                      "mask = rng.random(x.shape) < 1 - keep_prob\n    out")],
            why="treats keep_prob as the probability of dropping"),
    Variant("do_backward_unscaled", "answer_dropout",
            replace=[("dx = np.asarray(dout, dtype=np.float64) * mask / keep_prob",
                      "dx = np.asarray(dout, dtype=np.float64) * mask")],
            why="backward forgets the 1/keep_prob factor"),
    Variant("do_own_generator", "answer_dropout",
            replace=[("mask = rng.random(x.shape) < keep_prob\n    out",
                      "mask = np.random.default_rng().random(x.shape) < keep_prob\n    out")],
            why="ignores the rng argument"),
    Variant("do_no_validation", "answer_dropout",
            replace=[("if not 0.0 < keep_prob <= 1.0:", "if keep_prob is None:")],
            why="no ValueError for keep_prob outside (0, 1]"),

    # ------------------------------------------------------------ sgd with momentum
    Variant("sgd_no_momentum", "answer_sgd_momentum",
            replace=[("velocity_new = momentum * velocity + lr * dw", "velocity_new = lr * dw")],
            why="ignores the velocity: plain SGD"),
    Variant("sgd_sign_flipped", "answer_sgd_momentum",
            replace=[("w_new = w - velocity_new", "w_new = w + velocity_new")],
            why="moves w up the gradient"),
    Variant("sgd_old_velocity", "answer_sgd_momentum",
            replace=[("w_new = w - velocity_new", "w_new = w - velocity")],
            why="updates w with the old velocity (wrong order)"),
    Variant("sgd_negative_velocity", "answer_sgd_momentum",
            replace=[("velocity_new = momentum * velocity + lr * dw",
                      "velocity_new = momentum * velocity - lr * dw"),
                     ("w_new = w - velocity_new", "w_new = w + velocity_new")],
            why="v = mv - lr dw, w = w + v: a different sign convention for the returned velocity"),
    Variant("sgd_lr_outside", "answer_sgd_momentum",
            replace=[("velocity_new = momentum * velocity + lr * dw",
                      "velocity_new = momentum * velocity + dw"),
                     ("w_new = w - velocity_new", "w_new = w - lr * velocity_new")],
            why="learning rate applied outside the velocity (not the notes' update)"),
    Variant("sgd_inplace", "answer_sgd_momentum", source='''
def sgd_momentum(w, dw, velocity, lr, momentum=0.9):
    velocity *= momentum
    velocity += lr * dw
    w -= velocity
    return w, velocity
''', why="updates w and velocity in place, modifying the inputs"),

    # ------------------------------------------------------------ two-layer net
    Variant("net_no_bias_grads", "answer_two_layer_net",
            replace=[('grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}',
                      'grads = {"W1": dW1, "b1": np.zeros_like(db1), "W2": dW2, '
                      '"b2": np.zeros_like(db2)}')],
            why="bias gradients left at zero"),
    Variant("net_init_unscaled", "answer_two_layer_net",
            replace=[("W1 = weight_scale * rng.standard_normal((input_dim, hidden_dim))\n",
                      "W1 = rng.standard_normal((input_dim, hidden_dim))\n"),
                     ("W2 = weight_scale * rng.standard_normal((hidden_dim, num_classes))",
                      "W2 = rng.standard_normal((hidden_dim, num_classes))")],
            why="weights not scaled by weight_scale"),
    Variant("net_init_order", "answer_two_layer_net",
            replace=[("""        W1 = weight_scale * rng.standard_normal((input_dim, hidden_dim))
        W2 = weight_scale * rng.standard_normal((hidden_dim, num_classes))""",
                      """        W2 = weight_scale * rng.standard_normal((hidden_dim, num_classes))
        W1 = weight_scale * rng.standard_normal((input_dim, hidden_dim))""")],
            why="draws W2 before W1"),
    Variant("net_no_relu", "answer_two_layer_net",
            replace=[("act, cache_relu = relu_forward(hidden)", "act, cache_relu = hidden, None"),
                     ("dhidden = relu_backward(dact, cache_relu)", "dhidden = dact")],
            why="forgets the ReLU: a linear model"),
    Variant("net_skips_relu_backward", "answer_two_layer_net",
            replace=[("_, dW1, db1 = linear_backward(dhidden, cache1)",
                      "_, dW1, db1 = linear_backward(dact, cache1)")],
            why="backpropagates through the ReLU as if it were the identity"),
    Variant("net_returns_probs", "answer_two_layer_net",
            replace=[("        if y is None:\n            return scores",
                      "        if y is None:\n            return softmax(scores)")],
            why="returns probabilities instead of the scores"),
    Variant("net_reads_stale_params", "answer_two_layer_net",
            replace=[('''                       "W2": W2, "b2": np.zeros(num_classes)}''',
                      '''                       "W2": W2, "b2": np.zeros(num_classes)}
        self._initial = dict(self.params)'''),
                     ("p = self.params", "p = self._initial")],
            why="loss reads a private copy of the initial parameters, not self.params"),
    # ------------------------------------------------------------------ issue 14: edge cases
    Variant("ng_grad_like_x", "answer_numerical_gradient",
            replace=[("grad = np.zeros(x.shape, dtype=np.float64)", "grad = np.zeros_like(x)")],
            why="gradient in the dtype of x: float32 for a float32 x"),
    Variant("re_no_shape_check", "answer_relative_error",
            replace=[('    if a.shape != b.shape:\n'
                      '        raise ValueError(f"relative_error: shapes differ, {a.shape} vs {b.shape}")\n', "")],
            why="no shape check: (3, 1) and (3, 4) broadcast"),
    Variant("re_floor_added", "answer_relative_error",
            replace=[("np.maximum(1e-8, np.abs(a) + np.abs(b))", "(np.abs(a) + np.abs(b) + 1e-8)")],
            why="adds 1e-8 to the denominator instead of flooring it"),
    Variant("linear_inner_size_check_only", "answer_linear",
            replace=[("    if x.ndim != 2 or W.ndim != 2 or b.ndim != 1:\n", "    if x.shape[-1] != W.shape[0]:\n"),
                     ("    if x.shape[1] != W.shape[0] or W.shape[1] != b.shape[0]:\n", "    if False:\n")],
            why="checks only x's last axis against W: b (1, M) and 3-D x broadcast"),
    Variant("linear_no_cast", "answer_linear",
            replace=[("    x = np.asarray(x, dtype=np.float64)\n    W = np.asarray(W, dtype=np.float64)\n"
                      "    b = np.asarray(b, dtype=np.float64)\n",
                      "    x, W, b = np.asarray(x), np.asarray(W), np.asarray(b)\n")],
            why="integer inputs give an integer output"),
    Variant("relu_mask_multiply", "answer_relu",
            replace=[("    x = np.asarray(x, dtype=np.float64)\n    out = np.maximum(x, 0.0)",
                      "    x = np.asarray(x)\n    out = x * (x > 0)")],
            why="x * (x > 0) in the input dtype: integer in, integer out"),
    Variant("softmax_no_ndim_check", "answer_softmax",
            replace=[('    if logits.ndim != 2:\n'
                      '        raise ValueError(f"softmax expects logits of shape (N, C), got {logits.shape}")\n', "")],
            why="no ndim check: a 3-D array is normalised along axis 1 silently"),
    Variant("sce_no_label_check", "answer_softmax_cross_entropy",
            replace=[('    if y.size and (y.min() < 0 or y.max() >= C):\n'
                      '        raise ValueError(f"labels must be in 0..{C - 1}")\n', "")],
            why="no range check: a label -1 silently picks the last class"),
    Variant("sce_no_label_shape_check", "answer_softmax_cross_entropy",
            replace=[("    if logits.ndim != 2 or y.shape != (logits.shape[0],):\n", "    if logits.ndim != 2:\n")],
            why="labels of shape (N, 1) broadcast in the fancy indexing"),
    Variant("sce_no_cast", "answer_softmax_cross_entropy",
            replace=[("    logits = np.asarray(logits, dtype=np.float64)\n", "    logits = np.asarray(logits)\n")],
            why="float32 logits give float32 dlogits"),
    Variant("l2_no_shape_check", "answer_l2_loss",
            replace=[("    if pred.shape != target.shape or pred.ndim == 0:\n", "    if pred.ndim == 0:\n")],
            why="no shape check: (4, 3) and (4, 1) broadcast"),
    Variant("l2_no_cast", "answer_l2_loss",
            replace=[("    pred = np.asarray(pred, dtype=np.float64)\n    target = np.asarray(target, dtype=np.float64)\n",
                      "    pred = np.asarray(pred)\n    target = np.asarray(target)\n")],
            why="float32 inputs give a float32 gradient"),
    Variant("conv_no_cast", "answer_conv",
            replace=[("    x = np.asarray(x, dtype=np.float64)\n    w = np.asarray(w, dtype=np.float64)\n"
                      "    b = np.asarray(b, dtype=np.float64)\n",
                      "    x, w, b = np.asarray(x), np.asarray(w), np.asarray(b)\n")],
            why="integer arrays give an integer output"),
    Variant("conv_offsets_no_arg_checks", "answer_conv", source='''
def conv_forward(x, w, b, stride=1, pad=0):
    x, w, b = (np.asarray(a, dtype=float) for a in (x, w, b))
    if x.ndim != 4 or w.ndim != 4 or w.shape[1] != x.shape[1] or b.shape != (w.shape[0],):
        raise ValueError("conv_forward: shapes do not match")
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    Ho = (H + 2 * pad - kh) // stride + 1
    Wo = (W + 2 * pad - kw) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((N, F, Ho, Wo)) + b[None, :, None, None]
    for u in range(kh):
        for v in range(kw):
            patch = xp[:, :, u:u + stride * (Ho - 1) + 1:stride, v:v + stride * (Wo - 1) + 1:stride]
            out += np.einsum("nchw,fc->nfhw", patch, w[:, :, u, v])
    return out, (xp, w, stride, pad, x.shape)


def conv_backward(dout, cache):
    xp, w, stride, pad, x_shape = cache
    dout = np.asarray(dout, dtype=float)
    F, _, kh, kw = w.shape
    Ho, Wo = dout.shape[2:]
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    for u in range(kh):
        for v in range(kw):
            sl = (slice(None), slice(None), slice(u, u + stride * (Ho - 1) + 1, stride),
                  slice(v, v + stride * (Wo - 1) + 1, stride))
            dw[:, :, u, v] = np.einsum("nfhw,nchw->fc", dout, xp[sl])
            dxp[sl] += np.einsum("nfhw,fc->nchw", dout, w[:, :, u, v])
    H, W = x_shape[2:]
    return dxp[:, :, pad:pad + H, pad:pad + W], dw, dout.sum(axis=(0, 2, 3))
''', why="loop over kernel offsets, no check of stride, pad or kernel size"),
    Variant("pool_relu_max", "answer_maxpool",
            replace=[("out = np.take_along_axis(flat, idx[..., None], axis=-1)[..., 0]",
                      "out = np.maximum(flat.max(axis=-1), 0.0)")],
            why="running maximum started at 0: all-negative windows give 0"),
    Variant("pool_no_cast", "answer_maxpool",
            replace=[("    x = np.asarray(x, dtype=np.float64)\n", "    x = np.asarray(x)\n")],
            why="integer input gives an integer output"),
    Variant("bn_ndim_check_only", "answer_batchnorm",
            replace=[("    if x.ndim != 2 or gamma.shape != (x.shape[1],) or beta.shape != (x.shape[1],):\n",
                      "    if x.ndim != 2:\n")],
            why="gamma (1, D) and beta (D, 1) broadcast silently"),
    Variant("net_shared_default_rng", "answer_two_layer_net",
            replace=[("weight_scale=1e-2, rng=None):", "weight_scale=1e-2, rng=np.random.default_rng(0)):")],
            why="default generator created once at definition: the second default net gets other weights"),
    Variant("net_default_scale", "answer_two_layer_net",
            replace=[("weight_scale=1e-2, rng=None):", "weight_scale=1e-3, rng=None):")],
            why="default weight_scale 1e-3 instead of 1e-2"),
    Variant("net_grads_accumulate", "answer_two_layer_net",
            replace=[('        grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}\n        return loss, grads',
                      '        new = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}\n'
                      '        if not hasattr(self, "grads"):\n'
                      '            self.grads = {k: np.zeros_like(v) for k, v in new.items()}\n'
                      '        for k in new:\n'
                      '            self.grads[k] = self.grads[k] + new[k]\n'
                      '        return loss, self.grads')],
            why="accumulates gradients across calls in an attribute (never reset)"),
    Variant("pool_default_stride_1", "answer_maxpool",
            replace=[("def maxpool_forward(x, size=2, stride=2):", "def maxpool_forward(x, size=2, stride=1):")],
            why="default stride 1 instead of 2 (overlapping windows by default)"),
    Variant("conv_default_pad_1", "answer_conv",
            replace=[("def conv_forward(x, w, b, stride=1, pad=0):", "def conv_forward(x, w, b, stride=1, pad=1):")],
            why="default padding 1 ('same' for 3x3 kernels) instead of 0"),
    Variant("pool_global_cache", "answer_maxpool",
            replace=[("    cache = (x.shape, idx, size, stride)\n",
                      "    global _POOL_STATE\n    _POOL_STATE = (x.shape, idx, size, stride)\n    cache = None\n"),
                     ("    x_shape, idx, size, stride = cache\n", "    x_shape, idx, size, stride = _POOL_STATE\n")],
            why="keeps the forward state in a global: a later forward pass overwrites it"),
    Variant("bn_global_cache", "answer_batchnorm",
            replace=[("    cache = (x_hat, gamma, inv_std)\n",
                      "    global _BN_STATE\n    _BN_STATE = (x_hat, gamma, inv_std)\n    cache = None\n"),
                     ("    x_hat, gamma, inv_std = cache\n", "    x_hat, gamma, inv_std = _BN_STATE\n")],
            why="keeps the forward state in a global: a later forward pass overwrites it"),
]

ALTERNATIVE = [
    Variant("alt_ng_flat_copies", "answer_numerical_gradient", source='''
def numerical_gradient(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(x.size):
        xp = x.copy()
        xm = x.copy()
        xp.flat[i] += h
        xm.flat[i] -= h
        grad.flat[i] = (f(xp) - f(xm)) / (2 * h)
    return grad
''', why="perturbs fresh copies, flat indexing"),
    Variant("alt_ng_nditer", "answer_numerical_gradient", source='''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        old = x[ix]
        x[ix] = old + h
        fp = f(x)
        x[ix] = old - h
        fm = f(x)
        x[ix] = old
        grad[ix] = (fp - fm) / (2 * h)
        it.iternext()
    return grad
''', why="the CS231n np.nditer loop"),
    Variant("alt_re_divide_where", "answer_relative_error", source='''
def relative_error(a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError("shapes differ")
    denom = np.abs(a) + np.abs(b)
    denom[denom < 1e-8] = 1e-8
    return np.max(np.abs(a - b) / denom)
''', why="floors the denominator with a boolean mask, returns a NumPy scalar"),
    Variant("alt_linear_einsum", "answer_linear", source='''
def linear_forward(x, W, b):
    x, W, b = (np.asarray(a, dtype=float) for a in (x, W, b))
    if x.ndim != 2 or W.ndim != 2 or b.ndim != 1 or x.shape[1] != W.shape[0] \\
            or W.shape[1] != b.shape[0]:
        raise ValueError("linear_forward: expected x (N, D), W (D, M), b (M,)")
    out = np.einsum("nd,dm->nm", x, W) + b[None, :]
    return out, {"x": x, "W": W}


def linear_backward(dout, cache):
    x, W = cache["x"], cache["W"]
    dx = np.einsum("nm,dm->nd", dout, W)
    dW = np.einsum("nd,nm->dm", x, dout)
    db = np.einsum("nm->m", dout)
    return dx, dW, db
''', why="einsum, dict cache"),
    Variant("alt_relu_where_out", "answer_relu", source='''
def relu_forward(x):
    x = np.asarray(x, dtype=float)
    out = np.where(x > 0, x, 0.0)
    return out, out


def relu_backward(dout, cache):
    return np.where(cache > 0, dout, 0.0)
''', why="np.where, mask from the output (out > 0)"),
    Variant("alt_sigmoid_tanh", "answer_sigmoid", source='''
def sigmoid_forward(x):
    x = np.asarray(x, dtype=float)
    return 0.5 * (1.0 + np.tanh(0.5 * x)), x


def sigmoid_backward(dout, cache):
    s = 0.5 * (1.0 + np.tanh(0.5 * cache))
    return dout * s * (1.0 - s)
''', why="sigma(x) = (1 + tanh(x/2)) / 2, recomputed in backward"),
    Variant("alt_softmax_logsumexp", "answer_softmax", source='''
from scipy.special import logsumexp


def softmax(logits):
    logits = np.asarray(logits, dtype=float)
    if logits.ndim != 2:
        raise ValueError("logits must be (N, C)")
    return np.exp(logits - logsumexp(logits, axis=1, keepdims=True))
''', why="scipy.special.logsumexp imported in the cell"),
    Variant("alt_sce_log_softmax", "answer_softmax_cross_entropy", source='''
def softmax_cross_entropy(logits, y):
    from scipy.special import log_softmax
    logits = np.asarray(logits, dtype=float)
    y = np.asarray(y)
    if logits.ndim != 2 or y.shape != (logits.shape[0],) or np.any((y < 0) | (y >= logits.shape[1])):
        raise ValueError("need logits (N, C) and N labels in 0..C-1")
    y = y.astype(int)
    N, C = logits.shape
    logp = log_softmax(logits, axis=1)
    onehot = np.eye(C)[y]
    loss = -np.sum(onehot * logp) / N
    return loss, (np.exp(logp) - onehot) / N
''', why="scipy log_softmax and a one-hot matrix"),
    Variant("alt_sce_uses_softmax", "answer_softmax_cross_entropy", source='''
def softmax_cross_entropy(logits, y):
    logits = np.asarray(logits, dtype=float)
    y = np.asarray(y)
    if logits.ndim != 2 or y.shape != logits.shape[:1] or y.min() < 0 or y.max() >= logits.shape[1]:
        raise ValueError("need logits (N, C) and N labels in 0..C-1")
    N = logits.shape[0]
    m = logits.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.sum(np.exp(logits - m), axis=1))
    loss = np.mean(lse - logits[np.arange(N), y])
    dlogits = softmax(logits)
    dlogits[np.arange(N), y] -= 1
    return loss, dlogits / N
''', why="loss as mean(logsumexp - correct logit), gradient via the graded softmax"),
    Variant("alt_l2_mean_of_rows", "answer_l2_loss", source='''
def l2_loss(pred, target):
    pred = np.asarray(pred, dtype=float)
    target = np.asarray(target, dtype=float)
    if pred.shape != target.shape:
        raise ValueError("shapes differ")
    diff = (pred - target).reshape(len(pred), -1)
    loss = 0.5 * np.mean(np.sum(diff * diff, axis=1))
    return loss, (pred - target) / len(pred)
''', why="mean over samples of per-sample sums"),
    Variant("alt_conv_im2col", "answer_conv", source='''
def conv_forward(x, w, b, stride=1, pad=0):
    x, w, b = (np.asarray(a, dtype=float) for a in (x, w, b))
    if x.ndim != 4 or w.ndim != 4 or w.shape[1] != x.shape[1] or b.shape != (w.shape[0],):
        raise ValueError("conv_forward: shapes do not match")
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    if stride < 1 or pad < 0 or kh > H + 2 * pad or kw > W + 2 * pad:
        raise ValueError("conv_forward: bad stride, pad or kernel size")
    Ho = (H + 2 * pad - kh) // stride + 1
    Wo = (W + 2 * pad - kw) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cols = np.empty((N, C, kh, kw, Ho, Wo))
    for u in range(kh):
        for v in range(kw):
            cols[:, :, u, v] = xp[:, :, u:u + stride * Ho:stride, v:v + stride * Wo:stride]
    cols = cols.reshape(N, C * kh * kw, Ho * Wo)
    out = (w.reshape(F, -1) @ cols).reshape(N, F, Ho, Wo) + b[:, None, None]
    return out, (x.shape, xp.shape, cols, w, stride, pad, Ho, Wo)


def conv_backward(dout, cache):
    x_shape, xp_shape, cols, w, stride, pad, Ho, Wo = cache
    N, C, H, W = x_shape
    F, _, kh, kw = w.shape
    d = dout.reshape(N, F, Ho * Wo)
    db = d.sum(axis=(0, 2))
    dw = np.einsum("nfp,nkp->fk", d, cols).reshape(w.shape)
    dcols = (w.reshape(F, -1).T @ d).reshape(N, C, kh, kw, Ho, Wo)
    dxp = np.zeros(xp_shape)
    for u in range(kh):
        for v in range(kw):
            dxp[:, :, u:u + stride * Ho:stride, v:v + stride * Wo:stride] += dcols[:, :, u, v]
    return dxp[:, :, pad:pad + H, pad:pad + W], dw, db
''', why="im2col built with a loop over kernel offsets, col2im with +="),
    Variant("alt_conv_einsum_offsets", "answer_conv", source='''
def conv_forward(x, w, b, stride=1, pad=0):
    x, w, b = (np.asarray(a, dtype=float) for a in (x, w, b))
    if x.ndim != 4 or w.ndim != 4 or w.shape[1] != x.shape[1] or b.shape != (w.shape[0],):
        raise ValueError("conv_forward: shapes do not match")
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    if stride < 1 or pad < 0 or kh > H + 2 * pad or kw > W + 2 * pad:
        raise ValueError("conv_forward: bad stride, pad or kernel size")
    Ho = (H + 2 * pad - kh) // stride + 1
    Wo = (W + 2 * pad - kw) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((N, F, Ho, Wo)) + b[None, :, None, None]
    for u in range(kh):
        for v in range(kw):
            patch = xp[:, :, u:u + stride * Ho:stride, v:v + stride * Wo:stride]
            out += np.einsum("nchw,fc->nfhw", patch, w[:, :, u, v])
    return out, (xp, w, stride, pad, x.shape)


def conv_backward(dout, cache):
    xp, w, stride, pad, (N, C, H, W) = cache
    F, _, kh, kw = w.shape
    Ho, Wo = dout.shape[2:]
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    for u in range(kh):
        for v in range(kw):
            sl = (slice(None), slice(None), slice(u, u + stride * Ho, stride),
                  slice(v, v + stride * Wo, stride))
            dw[:, :, u, v] = np.einsum("nfhw,nchw->fc", dout, xp[sl])
            dxp[sl] += np.einsum("nfhw,fc->nchw", dout, w[:, :, u, v])
    return dxp[:, :, pad:pad + H, pad:pad + W], dw, dout.sum(axis=(0, 2, 3))
''', why="explicit loop over kernel offsets with einsum"),
    Variant("alt_pool_add_at", "answer_maxpool", source='''
def maxpool_forward(x, size=2, stride=2):
    x = np.asarray(x, dtype=float)
    if x.ndim != 4 or size < 1 or stride < 1 or size > x.shape[2] or size > x.shape[3]:
        raise ValueError("maxpool_forward: bad arguments")
    N, C, H, W = x.shape
    win = sliding_window_view(x, (size, size), axis=(2, 3))[:, :, ::stride, ::stride]
    Ho, Wo = win.shape[2:4]
    k = win.reshape(N, C, Ho, Wo, -1).argmax(axis=-1)
    rows = np.arange(Ho)[:, None] * stride + k // size
    cols = np.arange(Wo)[None, :] * stride + k % size
    n = np.arange(N)[:, None, None, None]
    c = np.arange(C)[None, :, None, None]
    out = x[n, c, rows, cols]
    return out, (x.shape, n, c, rows, cols)


def maxpool_backward(dout, cache):
    shape, n, c, rows, cols = cache
    dx = np.zeros(shape)
    np.add.at(dx, (n, c, rows, cols), dout)
    return dx
''', why="fancy indexing of the argmax positions, np.add.at to accumulate"),
    Variant("alt_pool_window_loops", "answer_maxpool", source='''
def maxpool_forward(x, size=2, stride=2):
    x = np.asarray(x, dtype=float)
    if x.ndim != 4 or size < 1 or stride < 1 or size > min(x.shape[2:]):
        raise ValueError("maxpool_forward: bad arguments")
    N, C, H, W = x.shape
    Ho, Wo = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.empty((N, C, Ho, Wo))
    arg = np.empty((N, C, Ho, Wo), dtype=int)
    for i in range(Ho):
        for j in range(Wo):
            win = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size]
            flat = win.reshape(N, C, -1)
            arg[:, :, i, j] = flat.argmax(axis=2)
            out[:, :, i, j] = flat.max(axis=2)
    return out, (x.shape, arg, size, stride)


def maxpool_backward(dout, cache):
    shape, arg, size, stride = cache
    N, C, Ho, Wo = dout.shape
    dx = np.zeros(shape)
    nn, cc = np.meshgrid(np.arange(N), np.arange(C), indexing="ij")
    for i in range(Ho):
        for j in range(Wo):
            r = i * stride + arg[:, :, i, j] // size
            s = j * stride + arg[:, :, i, j] % size
            np.add.at(dx, (nn, cc, r, s), dout[:, :, i, j])
    return dx
''', why="loop over output windows, vectorized over N and C, np.add.at"),
    Variant("alt_bn_graph", "answer_batchnorm", source='''
def batchnorm_forward(x, gamma, beta, eps=1e-5):
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or np.shape(gamma) != (x.shape[1],) or np.shape(beta) != (x.shape[1],):
        raise ValueError("batchnorm_forward: expected x (N, D), gamma and beta (D,)")
    mu = x.mean(axis=0)
    xc = x - mu
    var = (xc ** 2).mean(axis=0)
    std = np.sqrt(var + eps)
    inv = 1.0 / std
    xhat = xc * inv
    out = gamma * xhat + beta
    return out, (xc, var, std, inv, xhat, gamma, eps)


def batchnorm_backward(dout, cache):
    xc, var, std, inv, xhat, gamma, eps = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dxhat = dout * gamma
    dinv = (dxhat * xc).sum(axis=0)
    dxc = dxhat * inv
    dstd = -dinv / std ** 2
    dvar = dstd * 0.5 / np.sqrt(var + eps)
    dxc += 2.0 * xc * dvar / N
    dmu = -dxc.sum(axis=0)
    dx = dxc + dmu / N
    return dx, dgamma, dbeta
''', why="backpropagates node by node through the batch-norm graph"),
    Variant("alt_dropout_scaled_mask", "answer_dropout", source='''
def dropout_forward(x, keep_prob, rng):
    if keep_prob <= 0 or keep_prob > 1:
        raise ValueError("keep_prob must be in (0, 1]")
    scaled = (rng.random(np.shape(x)) < keep_prob) / keep_prob
    return x * scaled, scaled


def dropout_backward(dout, cache):
    return dout * cache
''', why="caches the mask already divided by keep_prob"),
    Variant("alt_sgd_copy_inplace", "answer_sgd_momentum", source='''
def sgd_momentum(w, dw, velocity, lr, momentum=0.9):
    v = np.array(velocity, dtype=float)
    v *= momentum
    v += lr * np.asarray(dw)
    w_new = np.array(w, dtype=float)
    w_new -= v
    return w_new, v
''', why="in-place updates on copies"),
    Variant("alt_net_inline", "answer_two_layer_net", source='''
class TwoLayerNet:
    def __init__(self, input_dim, hidden_dim, num_classes, weight_scale=1e-2, rng=None):
        rng = np.random.default_rng(0) if rng is None else rng
        self.params = {}
        self.params["W1"] = rng.standard_normal((input_dim, hidden_dim)) * weight_scale
        self.params["W2"] = rng.standard_normal((hidden_dim, num_classes)) * weight_scale
        self.params["b1"] = np.zeros(hidden_dim)
        self.params["b2"] = np.zeros(num_classes)

    def loss(self, X, y=None):
        W1, b1, W2, b2 = (self.params[k] for k in ("W1", "b1", "W2", "b2"))
        z = X @ W1 + b1
        a = np.maximum(z, 0)
        scores = a @ W2 + b2
        if y is None:
            return scores
        loss, ds = softmax_cross_entropy(scores, y)
        da = ds @ W2.T
        dz = da * (z > 0)
        grads = {"W1": X.T @ dz, "b1": dz.sum(0), "W2": a.T @ ds, "b2": ds.sum(0)}
        return loss, grads
''', why="inline matrix algebra instead of the layer functions, params filled key by key"),
]
