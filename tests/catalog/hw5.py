"""HW5 catalog: plausible wrong answers (each must lose points) and correct alternatives."""

from tests.catalog import Variant

WRONG = [
    # ------------------------------------------------------------------ reparameterize
    Variant("rep_exp_logvar", "answer_reparameterize",
            replace=[("torch.exp(0.5 * logvar)", "torch.exp(logvar)")],
            why="uses exp(logvar) (the variance) instead of exp(0.5·logvar)"),
    Variant("rep_logvar_as_sigma", "answer_reparameterize",
            replace=[("torch.exp(0.5 * logvar) * eps", "logvar * eps")],
            why="treats logvar as the standard deviation"),
    Variant("rep_minus", "answer_reparameterize",
            replace=[("return mu + torch.exp", "return mu - torch.exp")],
            why="subtracts the noise term"),
    Variant("rep_ignores_eps", "answer_reparameterize",
            replace=[("return mu + torch.exp(0.5 * logvar) * eps", "return mu + 0 * logvar")],
            why="returns the mean, no sampling"),
    Variant("rep_no_shape_check", "answer_reparameterize",
            replace=[("if mu.shape != logvar.shape or mu.shape != eps.shape:", "if False:")],
            why="no ValueError on mismatched shapes (broadcasts)"),
    # ------------------------------------------------------------------ KL
    Variant("kl_sign", "answer_kl_standard_normal",
            replace=[("return (-0.5 * torch.sum", "return (0.5 * torch.sum")],
            why="KL with the sign reversed"),
    Variant("kl_mean_dims", "answer_kl_standard_normal",
            replace=[("torch.sum(1 + logvar - mu ** 2 - torch.exp(logvar), dim=1)",
                      "torch.mean(1 + logvar - mu ** 2 - torch.exp(logvar), dim=1)")],
            why="averages over the latent dimensions instead of summing"),
    Variant("kl_sum_batch", "answer_kl_standard_normal",
            replace=[("dim=1)).mean()", "dim=1)).sum()")],
            why="sums over the batch instead of averaging"),
    Variant("kl_std_for_var", "answer_kl_standard_normal",
            replace=[("- torch.exp(logvar), dim=1)", "- torch.exp(0.5 * logvar), dim=1)")],
            why="uses sigma instead of sigma² in the KL"),
    Variant("kl_abs_mu", "answer_kl_standard_normal",
            replace=[("- mu ** 2 -", "- mu.abs() -")],
            why="|mu| instead of mu²"),
    Variant("kl_no_check", "answer_kl_standard_normal",
            replace=[("if mu.ndim != 2 or mu.shape != logvar.shape:", "if False:")],
            why="no ValueError for 1-D codes"),
    # ------------------------------------------------------------------ VAE loss
    Variant("vae_mse", "answer_vae_loss",
            replace=[('F.binary_cross_entropy_with_logits(recon_logits, x, reduction="sum")',
                      "((torch.sigmoid(recon_logits) - x) ** 2).sum()")],
            why="reconstruction as squared error"),
    Variant("vae_mean_pixels", "answer_vae_loss",
            replace=[('F.binary_cross_entropy_with_logits(recon_logits, x, reduction="sum") / x.shape[0]',
                      'F.binary_cross_entropy_with_logits(recon_logits, x, reduction="mean")')],
            why="reconstruction averaged over pixels"),
    Variant("vae_bce_probs", "answer_vae_loss",
            replace=[('F.binary_cross_entropy_with_logits(recon_logits, x, reduction="sum")',
                      'F.binary_cross_entropy(torch.sigmoid(recon_logits), x, reduction="sum")')],
            why="BCE of probabilities: clamped at log = −100 for extreme logits"),
    Variant("vae_log_sigmoid_naive", "answer_vae_loss",
            replace=[('F.binary_cross_entropy_with_logits(recon_logits, x, reduction="sum")',
                      "-(x * torch.log(torch.sigmoid(recon_logits)) + (1 - x) * "
                      "torch.log(1 - torch.sigmoid(recon_logits))).sum()")],
            why="log(sigmoid) by hand: -inf/nan at logits of ±1000"),
    Variant("vae_sum_batch", "answer_vae_loss",
            replace=[('reduction="sum") / x.shape[0]', 'reduction="sum")')],
            why="reconstruction summed over the batch, KL averaged"),
    Variant("vae_no_kl", "answer_vae_loss",
            replace=[("return recon + kl, recon, kl", "return recon, recon, kl")],
            why="total leaves out the KL"),
    Variant("vae_minus_kl", "answer_vae_loss",
            replace=[("return recon + kl, recon, kl", "return recon - kl, recon, kl")],
            why="subtracts the KL (the ELBO's sign mixed up)"),
    Variant("vae_args_swapped", "answer_vae_loss",
            replace=[('F.binary_cross_entropy_with_logits(recon_logits, x, reduction="sum")',
                      'F.binary_cross_entropy_with_logits(x, torch.sigmoid(recon_logits), reduction="sum")')],
            why="input and target of the BCE swapped"),
    # ------------------------------------------------------------------ discriminator
    Variant("d_swapped_labels", "answer_discriminator_loss",
            replace=[("logits_real, torch.ones_like(logits_real)", "logits_real, torch.zeros_like(logits_real)"),
                     ("logits_fake, torch.zeros_like(logits_fake)", "logits_fake, torch.ones_like(logits_fake)")],
            why="real labelled 0 and fake 1"),
    Variant("d_naive_log", "answer_discriminator_loss", source='''
def discriminator_loss(logits_real, logits_fake):
    d_real, d_fake = torch.sigmoid(logits_real), torch.sigmoid(logits_fake)
    return -torch.log(d_real).mean() - torch.log(1 - d_fake).mean()
''', why="from probabilities: inf at logits of ±1000"),
    Variant("d_concat_mean", "answer_discriminator_loss", source='''
def discriminator_loss(logits_real, logits_fake):
    logits = torch.cat([logits_real, logits_fake])
    labels = torch.cat([torch.ones_like(logits_real), torch.zeros_like(logits_fake)])
    return F.binary_cross_entropy_with_logits(logits, labels)
''', why="one mean over both batches instead of the sum of two means"),
    Variant("d_half", "answer_discriminator_loss",
            replace=[("return real + fake", "return (real + fake) / 2")],
            why="averages the two terms"),
    Variant("d_bce_probs", "answer_discriminator_loss", source='''
def discriminator_loss(logits_real, logits_fake):
    real = F.binary_cross_entropy(torch.sigmoid(logits_real), torch.ones_like(logits_real))
    fake = F.binary_cross_entropy(torch.sigmoid(logits_fake), torch.zeros_like(logits_fake))
    return real + fake
''', why="BCE on probabilities: clamped, wrong at logits of ±1000"),
    # ------------------------------------------------------------------ generator
    Variant("g_swapped", "answer_generator_loss",
            replace=[("if non_saturating:", "if not non_saturating:")],
            why="saturating and non-saturating swapped"),
    Variant("g_sat_sign", "answer_generator_loss",
            replace=[("return -F.softplus(logits_fake).mean()", "return F.softplus(logits_fake).mean()")],
            why="saturating loss with the wrong sign (−log(1 − D))"),
    Variant("g_ns_sign", "answer_generator_loss",
            replace=[("return F.softplus(-logits_fake).mean()", "return -F.softplus(-logits_fake).mean()")],
            why="non-saturating loss is mean(log D), not its negative"),
    Variant("g_naive_log", "answer_generator_loss", source='''
def generator_loss(logits_fake, non_saturating=True):
    d = torch.sigmoid(logits_fake)
    if non_saturating:
        return -torch.log(d).mean()
    return torch.log(1 - d).mean()
''', why="from probabilities: inf at logits of ±1000"),
    Variant("g_default_saturating", "answer_generator_loss",
            replace=[("def generator_loss(logits_fake, non_saturating=True):",
                      "def generator_loss(logits_fake, non_saturating=False):")],
            why="saturating by default"),
    # ------------------------------------------------------------------ cycle
    Variant("cyc_l2", "answer_cycle_consistency_loss",
            replace=[("(x_cycled - x).abs().mean() + (y_cycled - y).abs().mean()",
                      "((x_cycled - x) ** 2).mean() + ((y_cycled - y) ** 2).mean()")],
            why="L2 instead of L1"),
    Variant("cyc_one_direction", "answer_cycle_consistency_loss",
            replace=[("(x_cycled - x).abs().mean() + (y_cycled - y).abs().mean()",
                      "(x_cycled - x).abs().mean()")],
            why="only the X → Y → X cycle"),
    Variant("cyc_sum", "answer_cycle_consistency_loss",
            replace=[("(x_cycled - x).abs().mean() + (y_cycled - y).abs().mean()",
                      "(x_cycled - x).abs().sum() + (y_cycled - y).abs().sum()")],
            why="sums instead of means"),
    Variant("cyc_average", "answer_cycle_consistency_loss",
            replace=[("return (x_cycled - x).abs().mean() + (y_cycled - y).abs().mean()",
                      "return ((x_cycled - x).abs().mean() + (y_cycled - y).abs().mean()) / 2")],
            why="averages the two directions"),
    Variant("cyc_abs_of_mean", "answer_cycle_consistency_loss",
            replace=[("(x_cycled - x).abs().mean() + (y_cycled - y).abs().mean()",
                      "(x_cycled - x).mean().abs() + (y_cycled - y).mean().abs()")],
            why="absolute value of the mean difference"),
    # ------------------------------------------------------------------ NT-Xent
    Variant("nt_no_normalize", "answer_nt_xent_loss",
            replace=[("z = F.normalize(torch.cat([z_i, z_j], dim=0), dim=1)",
                      "z = torch.cat([z_i, z_j], dim=0)")],
            why="dot products instead of cosine similarity"),
    Variant("nt_self_in_denominator", "answer_nt_xent_loss",
            replace=[("sim = sim.masked_fill(self_mask, float(\"-inf\"))", "pass")],
            why="keeps the self-similarity in the denominator"),
    Variant("nt_temp_multiplied", "answer_nt_xent_loss",
            replace=[("sim = z @ z.T / temperature", "sim = z @ z.T * temperature")],
            why="multiplies by the temperature"),
    Variant("nt_n_anchors", "answer_nt_xent_loss",
            replace=[("return F.cross_entropy(sim, targets)", "return F.cross_entropy(sim[:n], targets[:n])")],
            why="only the N anchors of the first view"),
    Variant("nt_sum", "answer_nt_xent_loss",
            replace=[("return F.cross_entropy(sim, targets)",
                      "return F.cross_entropy(sim, targets, reduction=\"sum\")")],
            why="sum over anchors instead of the mean"),
    Variant("nt_no_temperature_check", "answer_nt_xent_loss",
            replace=[("if not temperature > 0:", "if temperature < 0:")],
            why="accepts temperature 0"),
    Variant("nt_negatives_only", "answer_nt_xent_loss", source='''
def nt_xent_loss(z_i, z_j, temperature):
    if z_i.ndim != 2 or z_i.shape != z_j.shape:
        raise ValueError("shapes")
    if not temperature > 0:
        raise ValueError("temperature")
    n = z_i.shape[0]
    z = F.normalize(torch.cat([z_i, z_j]), dim=1)
    sim = z @ z.T / temperature
    idx = torch.arange(2 * n, device=z.device)
    pos_idx = (idx + n) % (2 * n)
    pos = sim[idx, pos_idx]
    mask = torch.eye(2 * n, dtype=torch.bool, device=z.device)
    mask[idx, pos_idx] = True
    neg = sim.masked_fill(mask, float("-inf"))
    return (-pos + torch.logsumexp(neg, dim=1)).mean()
''', why="leaves the positive out of the denominator"),
    # ------------------------------------------------------------------ depth
    Variant("depth_fd_over_b", "answer_disparity_to_depth",
            replace=[("focal_length * baseline / d[positive]", "focal_length * d[positive] / baseline")],
            why="f·d/B"),
    Variant("depth_zero_not_inf", "answer_disparity_to_depth",
            replace=[("depth = np.full(d.shape, np.inf)", "depth = np.zeros(d.shape)")],
            why="0 instead of inf where d <= 0"),
    Variant("depth_abs", "answer_disparity_to_depth", source='''
def disparity_to_depth(disparity, focal_length, baseline):
    if focal_length <= 0 or baseline <= 0:
        raise ValueError("positive f and B")
    d = np.abs(np.asarray(disparity, dtype=np.float64))
    with np.errstate(divide="ignore"):
        return focal_length * baseline / d
''', why="finite depth for negative disparities"),
    Variant("depth_no_check", "answer_disparity_to_depth",
            replace=[("if not focal_length > 0 or not baseline > 0:", "if False:")],
            why="no ValueError for f <= 0 or B <= 0"),
    # ------------------------------------------------------------------ block matching
    Variant("bm_right_reference", "answer_block_matching_disparity",
            replace=[("sq = (lp[:, d:] - rp[:, :rp.shape[1] - d]) ** 2", "sq = (lp[:, :lp.shape[1] - d] - rp[:, d:]) ** 2")],
            why="matches left pixel j with right pixel j + d"),
    Variant("bm_sad", "answer_block_matching_disparity",
            replace=[("sq = (lp[:, d:] - rp[:, :rp.shape[1] - d]) ** 2", "sq = np.abs(lp[:, d:] - rp[:, :rp.shape[1] - d])")],
            why="sum of absolute differences"),
    Variant("bm_range_exclusive", "answer_block_matching_disparity",
            replace=[("for d in range(min(int(max_disparity), w - 1) + 1):",
                      "for d in range(min(int(max_disparity), w - 1)):")],
            why="d = 0 .. max_disparity − 1 (off by one)"),
    Variant("bm_zero_padding", "answer_block_matching_disparity",
            replace=[("lp = np.pad(left, r, mode=\"edge\")", "lp = np.pad(left, r)"),
                     ("rp = np.pad(right, r, mode=\"edge\")", "rp = np.pad(right, r)")],
            why="zero padding at the borders"),
    Variant("bm_roll", "answer_block_matching_disparity", source='''
def block_matching_disparity(left, right, max_disparity, window):
    left = np.asarray(left, dtype=float)
    right = np.asarray(right, dtype=float)
    if left.ndim != 2 or left.shape != right.shape or window % 2 == 0 or window < 1 or max_disparity < 0:
        raise ValueError("bad arguments")
    r = window // 2
    costs = []
    for d in range(max_disparity + 1):
        sq = np.pad((left - np.roll(right, d, axis=1)) ** 2, r, mode="edge")
        s = np.pad(sq.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
        costs.append(s[window:, window:] - s[:-window, window:] - s[window:, :-window] + s[:-window, :-window])
    return np.argmin(np.stack(costs), axis=0)
''', why="np.roll wraps around: candidates d > j are not excluded"),
    Variant("bm_window_off", "answer_block_matching_disparity",
            replace=[("r = window // 2", "r = window")],
            why="half-window taken as the window"),
    # ------------------------------------------------------------------ backproject
    Variant("bp_swap_xy", "answer_backproject",
            replace=[("pixels = np.stack([j, i, np.ones((h, w))], axis=-1)",
                      "pixels = np.stack([i, j, np.ones((h, w))], axis=-1)")],
            why="x and y swapped (row as u)"),
    Variant("bp_K_not_inverse", "answer_backproject",
            replace=[("rays = pixels @ np.linalg.inv(K).T", "rays = pixels @ K.T")],
            why="K instead of K⁻¹"),
    Variant("bp_no_transpose", "answer_backproject",
            replace=[("rays = pixels @ np.linalg.inv(K).T", "rays = pixels @ np.linalg.inv(K)")],
            why="row vectors times K⁻¹ without the transpose"),
    Variant("bp_no_depth", "answer_backproject",
            replace=[("return rays * depth[..., None]", "return rays")],
            why="forgets to scale by the depth"),
    # ------------------------------------------------------------------ project
    Variant("proj_swap", "answer_project",
            replace=[("return p[..., :2] / p[..., 2:3]", "return p[..., 1::-1] / p[..., 2:3]")],
            why="returns (v, u)"),
    Variant("proj_no_divide", "answer_project",
            replace=[("return p[..., :2] / p[..., 2:3]", "return p[..., :2]")],
            why="no perspective division"),
    Variant("proj_K_inverse", "answer_project",
            replace=[("p = points @ K.T", "p = points @ np.linalg.inv(K).T")],
            why="K⁻¹ instead of K"),
    # ------------------------------------------------------------------ voxelize
    Variant("vox_no_clip", "answer_voxelize",
            replace=[("idx = np.clip(idx, 0, g - 1)", "pass")],
            why="points on the upper bound fall outside the grid"),
    Variant("vox_transposed", "answer_voxelize",
            replace=[("grid[idx[:, 0], idx[:, 1], idx[:, 2]] = True", "grid[idx[:, 2], idx[:, 1], idx[:, 0]] = True")],
            why="axes transposed (z, y, x)"),
    Variant("vox_round", "answer_voxelize",
            replace=[("np.floor((points[inside] - low)", "np.round((points[inside] - low)")],
            why="rounds instead of flooring"),
    Variant("vox_keeps_outside", "answer_voxelize",
            replace=[("inside = np.all((points >= low) & (points <= high), axis=1)",
                      "inside = np.ones(len(points), dtype=bool)")],
            why="clips outside points into the border cells"),
    Variant("vox_g_minus_one", "answer_voxelize",
            replace=[("/ (high - low) * g)", "/ (high - low) * (g - 1))")],
            why="scales by G − 1"),
    # ------------------------------------------------------------------ PointNet
    Variant("pn_mean_pool", "answer_pointnet",
            replace=[("pooled = features.max(dim=1).values", "pooled = features.mean(dim=1)")],
            why="mean pooling (changes when points repeat)"),
    Variant("pn_pool_features", "answer_pointnet",
            replace=[("pooled = features.max(dim=1).values", "pooled = features.max(dim=2).values")],
            why="pools over features instead of points"),
    Variant("pn_first_point", "answer_pointnet",
            replace=[("pooled = features.max(dim=1).values", "pooled = features[:, 0]")],
            why="no pooling: not permutation invariant"),
    Variant("pn_pool_batch", "answer_pointnet",
            replace=[("pooled = features.max(dim=1).values", "pooled = features.max(dim=0).values")],
            why="pools over the batch"),
    Variant("pn_channels_first", "answer_pointnet", source='''
class PointNet(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.point_mlp = nn.Sequential(nn.Conv1d(3, 64, 1), nn.ReLU(), nn.Conv1d(64, 128, 1), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, num_classes))

    def forward(self, points):
        if points.ndim != 3 or points.shape[1] != 3:
            raise ValueError("points must be (B, 3, N)")
        return self.head(self.point_mlp(points).max(dim=2).values)
''', why="takes (B, 3, N) instead of the documented (B, N, 3)"),
    Variant("pn_no_check", "answer_pointnet",
            replace=[("if points.ndim != 3 or points.shape[-1] != 3:", "if False:")],
            why="no ValueError for (B, 3, N) input"),
    # ------------------------------------------------------------------ sample_along_rays
    Variant("sr_far_excluded", "answer_sample_along_rays",
            replace=[("t = torch.linspace(near, far, s, **kw).repeat(r, 1)",
                      "t = (near + (far - near) * torch.arange(s, **kw) / s).repeat(r, 1)")],
            why="evenly spaced samples that never reach far"),
    Variant("sr_global_rng", "answer_sample_along_rays",
            replace=[("u = torch.rand((r, s), generator=generator).to(**kw)", "u = torch.rand((r, s)).to(**kw)")],
            why="stratified without the generator"),
    Variant("sr_no_bins", "answer_sample_along_rays",
            replace=[("t = near + (far - near) * (k + u) / s", "t = near + (far - near) * u")],
            why="uniform samples over the whole interval, not one per bin"),
    Variant("sr_normalizes", "answer_sample_along_rays",
            replace=[("points = origins[:, None, :] + t[..., None] * directions[:, None, :]",
                      "points = origins[:, None, :] + t[..., None] * F.normalize(directions, dim=1)[:, None, :]")],
            why="normalises the directions"),
    Variant("sr_rand_transposed", "answer_sample_along_rays",
            replace=[("u = torch.rand((r, s), generator=generator).to(**kw)",
                      "u = torch.rand((s, r), generator=generator).T.to(**kw)")],
            why="draws the noise in another order than documented"),
    # ------------------------------------------------------------------ volume_render
    Variant("vr_inclusive", "answer_volume_render",
            replace=[("transmittance = torch.cumprod(survive, dim=1)",
                      "transmittance = torch.cumprod(1 - alpha, dim=1)")],
            why="inclusive cumulative product"),
    Variant("vr_alpha_sigma_delta", "answer_volume_render",
            replace=[("alpha = 1 - torch.exp(-sigmas * deltas)", "alpha = sigmas * deltas")],
            why="alpha = σδ"),
    Variant("vr_no_transmittance", "answer_volume_render",
            replace=[("weights = transmittance * alpha", "weights = alpha")],
            why="weights without the transmittance"),
    Variant("vr_normalized_weights", "answer_volume_render",
            replace=[("weights = transmittance * alpha",
                      "weights = transmittance * alpha / (transmittance * alpha).sum(dim=1, keepdim=True)")],
            why="normalises the weights to sum 1"),
    # ------------------------------------------------------------------ positional encoding
    Variant("pe_no_x", "answer_positional_encoding",
            replace=[("parts = [x]", "parts = []")],
            why="leaves out x itself"),
    Variant("pe_2k", "answer_positional_encoding",
            replace=[("(2.0 ** k) * math.pi", "(2.0 * k) * math.pi")],
            why="frequencies 2k instead of 2^k"),
    Variant("pe_no_pi", "answer_positional_encoding",
            replace=[("(2.0 ** k) * math.pi * x", "(2.0 ** k) * x")],
            why="without π"),
    Variant("pe_sines_then_cosines", "answer_positional_encoding", source='''
def positional_encoding(x, num_freqs):
    if num_freqs < 0:
        raise ValueError("num_freqs")
    sines = [torch.sin(2.0 ** k * math.pi * x) for k in range(num_freqs)]
    cosines = [torch.cos(2.0 ** k * math.pi * x) for k in range(num_freqs)]
    return torch.cat([x] + sines + cosines, dim=-1)
''', why="all sines, then all cosines"),
    Variant("pe_freq_from_one", "answer_positional_encoding",
            replace=[("(2.0 ** k) * math.pi", "(2.0 ** (k + 1)) * math.pi")],
            why="frequencies start at 2π"),
    # ------------------------------------------------------------------ sphere tracing
    Variant("st_fixed_step", "answer_sphere_trace",
            replace=[("t[idx[~close]] += dist[~close]", "t[idx[~close]] += 0.05")],
            why="fixed step instead of the SDF value"),
    Variant("st_no_normalize", "answer_sphere_trace",
            replace=[("d = directions / norms", "d = directions")],
            why="does not normalise the directions"),
    Variant("st_steps_off_by_one", "answer_sphere_trace",
            replace=[("for _ in range(int(max_steps)):", "for _ in range(int(max_steps) - 1):")],
            why="max_steps − 1 evaluations"),
    Variant("st_no_check", "answer_sphere_trace",
            replace=[("if int(max_steps) != max_steps or max_steps < 1 or not eps > 0:", "if False:")],
            why="no ValueError for eps <= 0"),
]

ALTERNATIVE = [
    Variant("rep_sqrt", "answer_reparameterize",
            replace=[("torch.exp(0.5 * logvar) * eps", "torch.sqrt(torch.exp(logvar)) * eps")],
            why="sqrt(exp(logvar))"),
    Variant("kl_variance_form", "answer_kl_standard_normal",
            replace=[("return (-0.5 * torch.sum(1 + logvar - mu ** 2 - torch.exp(logvar), dim=1)).mean()",
                      "var = logvar.exp()\n    return torch.mean(0.5 * (var + mu.pow(2) - 1 - logvar).sum(1))")],
            why="½ Σ(σ² + μ² − 1 − log σ²)"),
    Variant("vae_softplus", "answer_vae_loss",
            replace=[('F.binary_cross_entropy_with_logits(recon_logits, x, reduction="sum") / x.shape[0]',
                      "(F.softplus(recon_logits) - x * recon_logits).flatten(1).sum(1).mean()")],
            why="BCE with logits written as softplus(l) − x·l"),
    Variant("d_softplus", "answer_discriminator_loss", source='''
def discriminator_loss(logits_real, logits_fake):
    return F.softplus(-logits_real).mean() + F.softplus(logits_fake).mean()
''', why="softplus form"),
    Variant("d_logsigmoid", "answer_discriminator_loss", source='''
def discriminator_loss(logits_real, logits_fake):
    return -F.logsigmoid(logits_real).mean() - F.logsigmoid(-logits_fake).mean()
''', why="logsigmoid form"),
    Variant("g_logsigmoid", "answer_generator_loss", source='''
def generator_loss(logits_fake, non_saturating=True):
    if non_saturating:
        return -F.logsigmoid(logits_fake).mean()
    return F.logsigmoid(-logits_fake).mean()
''', why="logsigmoid form"),
    Variant("cyc_l1_loss", "answer_cycle_consistency_loss",
            replace=[("return (x_cycled - x).abs().mean() + (y_cycled - y).abs().mean()",
                      "return F.l1_loss(x_cycled, x) + F.l1_loss(y_cycled, y)")],
            why="F.l1_loss"),
    Variant("nt_logsumexp", "answer_nt_xent_loss", source='''
def nt_xent_loss(z_i, z_j, temperature):
    if z_i.ndim != 2 or z_i.shape != z_j.shape:
        raise ValueError("z_i and z_j must be (N, D) of the same shape")
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    n = len(z_i)
    z = torch.cat([z_i, z_j])
    z = z / z.norm(dim=1, keepdim=True)
    logits = z @ z.t() / temperature
    logits = logits.masked_fill(torch.eye(2 * n, dtype=torch.bool, device=z.device), float("-inf"))
    pos = torch.cat([torch.diagonal(logits, n), torch.diagonal(logits, -n)])
    return (torch.logsumexp(logits, dim=1) - pos).mean()
''', why="log-sum-exp by hand, positives from the off-diagonals"),
    Variant("nt_cosine_similarity", "answer_nt_xent_loss", source='''
def nt_xent_loss(z_i, z_j, temperature):
    if z_i.dim() != 2 or z_i.shape != z_j.shape or not temperature > 0:
        raise ValueError("bad arguments")
    n = z_i.shape[0]
    z = torch.cat([z_i, z_j], dim=0)
    sim = F.cosine_similarity(z[:, None, :], z[None, :, :], dim=2, eps=1e-12) / temperature
    sim = sim - 1e9 * torch.eye(2 * n, dtype=sim.dtype, device=sim.device)
    labels = (torch.arange(2 * n, device=sim.device) + n) % (2 * n)
    return F.cross_entropy(sim, labels)
''', why="F.cosine_similarity, a large negative on the diagonal"),
    Variant("depth_where", "answer_disparity_to_depth", source='''
def disparity_to_depth(disparity, focal_length, baseline):
    if focal_length <= 0 or baseline <= 0:
        raise ValueError("focal_length and baseline must be positive")
    d = np.asarray(disparity, dtype=float)
    out = np.full(d.shape, np.inf)
    np.divide(focal_length * baseline, d, out=out, where=d > 0)
    return out
''', why="np.divide with where="),
    Variant("bm_window_offsets", "answer_block_matching_disparity", source='''
def block_matching_disparity(left, right, max_disparity, window):
    left = np.asarray(left, dtype=np.float64)
    right = np.asarray(right, dtype=np.float64)
    if left.ndim != 2 or left.shape != right.shape:
        raise ValueError("left and right must be 2-D images of the same shape")
    if window < 1 or window % 2 != 1 or max_disparity < 0:
        raise ValueError("window must be odd and positive, max_disparity >= 0")
    h, w = left.shape
    r = window // 2
    lp = np.pad(left, r, mode="edge")
    rp = np.pad(right, r, mode="edge")
    best = np.zeros((h, w), dtype=np.int64)
    best_cost = np.full((h, w), np.inf)
    for d in range(max_disparity + 1):
        if d >= w:
            break
        cost = np.zeros((h, w - d))
        for u in range(window):
            for v in range(window):
                a = lp[u:u + h, d + v:v + w]
                b = rp[u:u + h, v:v + w - d]
                cost += (a - b) ** 2
        better = cost < best_cost[:, d:]
        best[:, d:][better] = d
        best_cost[:, d:][better] = cost[better]
    return best
''', why="loop over window offsets, running minimum"),
    Variant("bm_sliding_window", "answer_block_matching_disparity", source='''
def block_matching_disparity(left, right, max_disparity, window):
    from numpy.lib.stride_tricks import sliding_window_view
    left, right = np.asarray(left, float), np.asarray(right, float)
    if left.ndim != 2 or left.shape != right.shape or window < 1 or window % 2 == 0 or max_disparity < 0:
        raise ValueError("invalid arguments")
    h, w = left.shape
    r = window // 2
    lp, rp = np.pad(left, r, mode="edge"), np.pad(right, r, mode="edge")
    costs = np.full((max_disparity + 1, h, w), np.inf)
    for d in range(min(max_disparity, w - 1) + 1):
        sq = (lp[:, d:] - rp[:, :lp.shape[1] - d]) ** 2
        costs[d, :, d:] = sliding_window_view(sq, (window, window)).sum(axis=(-1, -2))
    return costs.argmin(axis=0)
''', why="sliding_window_view sums"),
    Variant("bp_solve", "answer_backproject", source='''
def backproject(depth, K):
    depth = np.asarray(depth, dtype=float)
    K = np.asarray(K, dtype=float)
    if depth.ndim != 2 or K.shape != (3, 3):
        raise ValueError("depth must be (H, W), K (3, 3)")
    h, w = depth.shape
    v, u = np.indices((h, w))
    pix = np.stack([u.ravel(), v.ravel(), np.ones(h * w)])
    rays = np.linalg.solve(K, pix)
    return (rays * depth.ravel()).T.reshape(h, w, 3)
''', why="np.linalg.solve instead of the inverse"),
    Variant("proj_einsum", "answer_project", source='''
def project(points, K):
    points, K = np.asarray(points, float), np.asarray(K, float)
    if points.shape[-1] != 3 or K.shape != (3, 3):
        raise ValueError("points (..., 3) and K (3, 3)")
    uvw = np.einsum("ij,...j->...i", K, points)
    return uvw[..., :2] / uvw[..., 2:]
''', why="einsum"),
    Variant("vox_ravel", "answer_voxelize", source='''
def voxelize(points, grid_size, bounds):
    points = np.asarray(points, dtype=float)
    if points.ndim != 2 or points.shape[1] != 3 or grid_size < 1:
        raise ValueError("points must be (N, 3), grid_size >= 1")
    low = np.ones(3) * np.asarray(bounds[0], dtype=float)
    high = np.ones(3) * np.asarray(bounds[1], dtype=float)
    if np.any(low >= high):
        raise ValueError("low must be < high")
    size = (high - low) / grid_size
    keep = ((points >= low) & (points <= high)).all(axis=1)
    cells = np.minimum(((points[keep] - low) // size).astype(int), grid_size - 1)
    flat = np.zeros(grid_size ** 3, dtype=bool)
    flat[np.ravel_multi_index(cells.T, (grid_size,) * 3)] = True
    return flat.reshape(grid_size, grid_size, grid_size)
''', why="cell size and ravel_multi_index"),
    Variant("pn_conv1d", "answer_pointnet", source='''
class PointNet(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.conv1 = nn.Conv1d(3, 64, kernel_size=1)
        self.conv2 = nn.Conv1d(64, 128, kernel_size=1)
        self.fc1 = nn.Linear(128, 64)
        self.fc2 = nn.Linear(64, num_classes)

    def forward(self, points):
        if points.dim() != 3 or points.size(2) != 3:
            raise ValueError("expected (B, N, 3)")
        x = points.transpose(1, 2)
        x = F.relu(self.conv2(F.relu(self.conv1(x))))
        x = torch.amax(x, dim=2)
        return self.fc2(F.relu(self.fc1(x)))
''', why="Conv1d with kernel 1 on (B, 3, N), amax"),
    Variant("sr_bin_edges", "answer_sample_along_rays",
            replace=[("t = near + (far - near) * (k + u) / s",
                      "edges = torch.linspace(near, far, s + 1, **kw)[:-1]\n        t = edges + u * (far - near) / s")],
            why="bin edges plus a uniform offset"),
    Variant("vr_logspace", "answer_volume_render", source='''
def volume_render(sigmas, colors, deltas):
    if sigmas.shape != deltas.shape or colors.shape[:-1] != sigmas.shape or colors.shape[-1] != 3 or sigmas.dim() != 2:
        raise ValueError("shapes do not match")
    tau = sigmas * deltas
    alpha = 1.0 - torch.exp(-tau)
    accumulated = torch.cat([torch.zeros_like(tau[:, :1]), torch.cumsum(tau[:, :-1], dim=-1)], dim=-1)
    weights = torch.exp(-accumulated) * alpha
    return torch.sum(weights.unsqueeze(-1) * colors, dim=-2), weights
''', why="transmittance as exp(−exclusive cumsum of σδ)"),
    Variant("pe_vectorized", "answer_positional_encoding", source='''
def positional_encoding(x, num_freqs):
    if num_freqs < 0:
        raise ValueError("num_freqs must be >= 0")
    if num_freqs == 0:
        return x.clone()
    freqs = (2.0 ** torch.arange(num_freqs, dtype=x.dtype, device=x.device)) * math.pi
    angles = x[..., None, :] * freqs[:, None]                       # (..., L, D)
    enc = torch.stack([torch.sin(angles), torch.cos(angles)], dim=-2)  # (..., L, 2, D)
    return torch.cat([x, enc.flatten(-3)], dim=-1)
''', why="one broadcast over all frequencies"),
    Variant("st_all_rays", "answer_sphere_trace", source='''
def sphere_trace(sdf, origins, directions, max_steps, eps):
    o = np.asarray(origins, dtype=float)
    d = np.asarray(directions, dtype=float)
    if o.shape != d.shape or o.ndim != 2 or o.shape[1] != 3 or max_steps < 1 or eps <= 0:
        raise ValueError("invalid arguments")
    n = np.linalg.norm(d, axis=1)
    if np.any(n == 0):
        raise ValueError("zero direction")
    d = d / n[:, None]
    t = np.zeros(len(o))
    hit = np.zeros(len(o), dtype=bool)
    for _ in range(max_steps):
        dist = np.asarray(sdf(o + t[:, None] * d), dtype=float)
        hit = hit | (dist < eps)
        t = np.where(hit, t, t + dist)
    return hit, t
''', why="evaluates every ray each step, freezes hits"),
]
