"""HW3 (CNNs in PyTorch): plausible wrong answers and correct alternatives.

Every ``WRONG`` variant must lose points; every ``ALTERNATIVE`` must keep all of them.
``replace`` edits apply to the reference answer of ``solutions/hw3/hw3.ipynb`` with the
``### BEGIN/END SOLUTION`` markers removed.
"""

from tests.catalog import Variant

# --------------------------------------------------------------------------- shared sources
_BLOCK_HEAD = '''
class ResidualBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
'''

_PLAIN_CNN = '''
def build_model(num_classes=10):
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 4 * 4, num_classes))
'''

WRONG = [
    # ------------------------------------------------------------------ ResidualBlock
    Variant("rb_no_skip", "answer_residual_block",
            replace=[("return self.relu2(x + out)", "return self.relu2(out)")],
            why="forgets the skip connection: relu(F(x))"),
    Variant("rb_relu_before_add", "answer_residual_block",
            replace=[("return self.relu2(x + out)", "return x + self.relu2(out)")],
            why="ReLU before the addition: x + relu(F(x))"),
    Variant("rb_padding_0", "answer_residual_block",
            replace=[("padding=1", "padding=0")],
            why="no padding: F(x) is smaller than x"),
    Variant("rb_conv_bias", "answer_residual_block",
            replace=[("bias=False", "bias=True")],
            why="convs with a bias (2C parameters too many)"),
    Variant("rb_no_second_bn", "answer_residual_block",
            replace=[("out = self.bn2(self.conv2(out))", "out = self.conv2(out)")],
            why="no batch norm after the second conv"),
    Variant("rb_relu_before_bn", "answer_residual_block",
            replace=[("out = self.relu1(self.bn1(self.conv1(x)))",
                      "out = self.bn1(self.relu1(self.conv1(x)))")],
            why="conv – ReLU – BN instead of conv – BN – ReLU"),
    Variant("rb_no_middle_relu", "answer_residual_block",
            replace=[("out = self.relu1(self.bn1(self.conv1(x)))", "out = self.bn1(self.conv1(x))")],
            why="no ReLU between the two convs"),
    Variant("rb_kernel_5", "answer_residual_block",
            replace=[("kernel_size=3, padding=1", "kernel_size=5, padding=2")],
            why="5x5 convs (shape kept, wrong block)"),
    Variant("rb_functional_relu", "answer_residual_block", source=_BLOCK_HEAD + '''
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(x + self.bn2(self.conv2(out)))
''', why="F.relu instead of nn.ReLU modules (guided backprop cannot find them)"),
    Variant("rb_one_bn_twice", "answer_residual_block",
            replace=[("out = self.bn2(self.conv2(out))", "out = self.bn1(self.conv2(out))")],
            why="the same batch norm after both convs"),
    Variant("rb_skip_after_relu_of_sum_of_relu", "answer_residual_block",
            replace=[("return self.relu2(x + out)", "return self.relu2(self.relu1(x) + out)")],
            why="adds relu(x) instead of x"),

    # ------------------------------------------------------------------ count_parameters
    Variant("cp_frozen_counted", "answer_count_parameters",
            replace=[(" if p.requires_grad", "")],
            why="counts frozen parameters too"),
    Variant("cp_state_dict", "answer_count_parameters", source='''
def count_parameters(model):
    return sum(v.numel() for v in model.state_dict().values())
''', why="counts the state dict: buffers and frozen parameters included"),
    Variant("cp_modules_recursive", "answer_count_parameters", source='''
def count_parameters(model):
    return sum(p.numel() for m in model.modules() for p in m.parameters() if p.requires_grad)
''', why="m.parameters() recurses: nested layers are counted several times"),
    Variant("cp_tensors_not_elements", "answer_count_parameters", source='''
def count_parameters(model):
    return len([p for p in model.parameters() if p.requires_grad])
''', why="counts parameter tensors, not their elements"),
    Variant("cp_weights_only", "answer_count_parameters", source='''
def count_parameters(model):
    return sum(p.numel() for name, p in model.named_parameters()
               if p.requires_grad and name.endswith("weight"))
''', why="forgets the biases"),

    # ------------------------------------------------------------------ build_model
    Variant("bm_no_residual_block", "answer_build_model", source=_PLAIN_CNN,
            why="a plain CNN without any ResidualBlock"),
    Variant("bm_too_many_parameters", "answer_build_model", source='''
def build_model(num_classes=10):
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
        ResidualBlock(32), nn.Flatten(), nn.Linear(32 * 16 * 16, num_classes))
''', why="no pooling: the linear layer alone has 82k parameters, 100k+ in all"),
    Variant("bm_softmax_output", "answer_build_model",
            replace=[("nn.Linear(32 * 4 * 4, num_classes),", "nn.Linear(32 * 4 * 4, num_classes), nn.Softmax(dim=1),")],
            why="returns probabilities instead of logits"),
    Variant("bm_ignores_num_classes", "answer_build_model",
            replace=[("nn.Linear(32 * 4 * 4, num_classes)", "nn.Linear(32 * 4 * 4, 10)")],
            why="always 10 outputs"),
    Variant("bm_wrong_flatten_size", "answer_build_model",
            replace=[("nn.Linear(32 * 4 * 4, num_classes)", "nn.Linear(32 * 8 * 8, num_classes)")],
            why="miscounts the pooling: the linear layer does not fit"),

    # ------------------------------------------------------------------ train_epoch
    Variant("te_no_zero_grad", "answer_train_epoch",
            replace=[("        optimizer.zero_grad()\n", "")],
            why="never resets the gradients: they accumulate over batches"),
    Variant("te_zero_grad_before_step", "answer_train_epoch",
            replace=[("        optimizer.zero_grad()\n", ""),
                     ("        loss.backward()\n        optimizer.step()",
                      "        loss.backward()\n        optimizer.zero_grad()\n        optimizer.step()")],
            why="zero_grad between backward and step: no learning"),
    Variant("te_last_batch_loss", "answer_train_epoch",
            replace=[("return total / count", "return loss.item()")],
            why="returns the loss of the last batch"),
    Variant("te_unweighted_mean", "answer_train_epoch", source='''
def train_epoch(model, loader, optimizer, device):
    model.train()
    losses = []
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return sum(losses) / len(losses)
''', why="averages the batch losses without weighting by batch size"),
    Variant("te_no_train_mode", "answer_train_epoch",
            replace=[("    model.train()\n", "")],
            why="does not put the model in training mode"),
    Variant("te_sum_reduction_backward", "answer_train_epoch",
            replace=[("loss = F.cross_entropy(model(images), labels)",
                      "loss = F.cross_entropy(model(images), labels, reduction=\"sum\")"),
                     ("total += loss.item() * len(labels)", "total += loss.item()")],
            why="backpropagates the summed loss: gradients B times too large"),
    Variant("te_own_optimizer", "answer_train_epoch",
            replace=[("    model.train()\n",
                      "    model.train()\n    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)\n")],
            why="ignores the optimizer it is given"),
    Variant("te_returns_tensor", "answer_train_epoch",
            replace=[("total += loss.item() * len(labels)", "total += loss.detach() * len(labels)")],
            why="returns a tensor instead of a float"),
    Variant("te_divides_by_batches", "answer_train_epoch",
            replace=[("return total / count", "return total / len(loader)")],
            why="sum of weighted losses divided by the number of batches"),
    Variant("te_eval_mode", "answer_train_epoch",
            replace=[("    model.train()\n", "    model.eval()\n")],
            why="trains in eval mode"),

    # ------------------------------------------------------------------ evaluate
    Variant("ev_train_mode", "answer_evaluate",
            replace=[("    model.eval()\n", "")],
            why="evaluates in training mode (batch statistics, dropout)"),
    Variant("ev_mean_of_batch_accuracies", "answer_evaluate", source='''
def evaluate(model, loader, device):
    model.eval()
    total_loss, count, accs = 0.0, 0, []
    with torch.no_grad():
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            logits = model(images)
            total_loss += F.cross_entropy(logits, labels, reduction="sum").item()
            accs.append((logits.argmax(dim=1) == labels).float().mean().item())
            count += len(labels)
    return total_loss / count, sum(accs) / len(accs)
''', why="averages the accuracies of the batches"),
    Variant("ev_unweighted_loss", "answer_evaluate", source='''
def evaluate(model, loader, device):
    model.eval()
    losses, correct, count = [], 0, 0
    with torch.no_grad():
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            logits = model(images)
            losses.append(F.cross_entropy(logits, labels).item())
            correct += (logits.argmax(dim=1) == labels).sum().item()
            count += len(labels)
    return sum(losses) / len(losses), correct / count
''', why="averages the batch losses without weighting"),
    Variant("ev_percent", "answer_evaluate",
            replace=[("return total_loss / count, correct / count",
                      "return total_loss / count, 100.0 * correct / count")],
            why="accuracy in percent"),
    Variant("ev_swapped", "answer_evaluate",
            replace=[("return total_loss / count, correct / count",
                      "return correct / count, total_loss / count")],
            why="returns (accuracy, loss)"),
    Variant("ev_accuracy_only", "answer_evaluate",
            replace=[("return total_loss / count, correct / count", "return correct / count")],
            why="returns only the accuracy"),

    # ------------------------------------------------------------------ random_shift
    Variant("rs_roll", "answer_random_shift",
            replace=[("        out[k, :, dst_y, dst_x] = images[k, :, src_y, src_x]\n",
                      "        out[k] = torch.roll(images[k], shifts=(dy, dx), dims=(1, 2))\n")],
            why="torch.roll: wraps around instead of filling with zeros"),
    Variant("rs_one_shift_for_batch", "answer_random_shift",
            replace=[("shifts = torch.randint(-max_shift, max_shift + 1, (n, 2), generator=generator)",
                      "shifts = torch.randint(-max_shift, max_shift + 1, (2,), generator=generator).repeat(n, 1)")],
            why="one shift for the whole batch"),
    Variant("rs_global_rng", "answer_random_shift",
            replace=[(", generator=generator)", ")")],
            why="ignores the generator (global random state)"),
    Variant("rs_sign_reversed", "answer_random_shift",
            replace=[("dy, dx = int(shifts[k, 0]), int(shifts[k, 1])",
                      "dy, dx = -int(shifts[k, 0]), -int(shifts[k, 1])")],
            why="moves the content up/left for positive offsets"),
    Variant("rs_axes_swapped", "answer_random_shift",
            replace=[("dy, dx = int(shifts[k, 0]), int(shifts[k, 1])",
                      "dy, dx = int(shifts[k, 1]), int(shifts[k, 0])")],
            why="uses column 1 as the vertical offset"),
    Variant("rs_exclusive_high", "answer_random_shift",
            replace=[("torch.randint(-max_shift, max_shift + 1,", "torch.randint(-max_shift, max_shift,")],
            why="never draws +max_shift (randint's high is exclusive)"),
    Variant("rs_in_place", "answer_random_shift",
            replace=[("    out = torch.zeros_like(images)\n", "    out = images\n    original = images.clone()\n"),
                     ("        out[k, :, dst_y, dst_x] = images[k, :, src_y, src_x]\n",
                      "        out[k] = 0\n        out[k, :, dst_y, dst_x] = original[k, :, src_y, src_x]\n")],
            why="shifts the input tensor in place"),
    Variant("rs_no_validation", "answer_random_shift",
            replace=[("    if max_shift < 0:\n        raise ValueError(f\"max_shift must be >= 0, got {max_shift}\")\n", "")],
            why="no ValueError for a negative max_shift"),
    Variant("rs_uniform_float", "answer_random_shift",
            replace=[("shifts = torch.randint(-max_shift, max_shift + 1, (n, 2), generator=generator)",
                      "shifts = torch.round((2 * torch.rand((n, 2), generator=generator) - 1) * max_shift)")],
            why="draws the shifts differently from the documented randint call"),

    # ------------------------------------------------------------------ occlusion_saliency
    Variant("oc_positions_off_by_one", "answer_occlusion_saliency",
            replace=[("rows, cols = (h - patch) // stride + 1, (w - patch) // stride + 1",
                      "rows, cols = (h - patch) // stride, (w - patch) // stride")],
            why="misses the last occluder position"),
    Variant("oc_positions_h_over_stride", "answer_occlusion_saliency",
            replace=[("rows, cols = (h - patch) // stride + 1, (w - patch) // stride + 1",
                      "rows, cols = h // stride, w // stride")],
            why="H // stride positions (occluders hang over the edge)"),
    Variant("oc_logits", "answer_occlusion_saliency",
            replace=[("base = torch.softmax(model(image[None]), dim=1)[0, label]",
                      "base = model(image[None])[0, label]"),
                     ("probs = torch.softmax(model(occluded), dim=1)[:, label]",
                      "probs = model(occluded)[:, label]")],
            why="differences of logits instead of probabilities"),
    Variant("oc_sign_reversed", "answer_occlusion_saliency",
            replace=[("return (base - probs).reshape(rows, cols)", "return (probs - base).reshape(rows, cols)")],
            why="occluded minus original: the sign is reversed"),
    Variant("oc_fill_ignored", "answer_occlusion_saliency",
            replace=[("r:r + patch, c:c + patch] = fill", "r:r + patch, c:c + patch] = 0.0")],
            why="always fills with 0"),
    Variant("oc_rows_cols_swapped", "answer_occlusion_saliency",
            replace=[("occluded[k, :, r:r + patch, c:c + patch] = fill",
                      "occluded[k, :, c:c + patch, r:r + patch] = fill")],
            why="occluder at (column, row): the map is transposed"),
    Variant("oc_first_channel_only", "answer_occlusion_saliency",
            replace=[("occluded[k, :, r:r + patch, c:c + patch] = fill",
                      "occluded[k, 0, r:r + patch, c:c + patch] = fill")],
            why="occludes only the first channel"),
    Variant("oc_relative_drop", "answer_occlusion_saliency",
            replace=[("return (base - probs).reshape(rows, cols)",
                      "return ((base - probs) / base).reshape(rows, cols)")],
            why="relative drop instead of the drop"),
    Variant("oc_in_place", "answer_occlusion_saliency", source='''
def occlusion_saliency(model, image, label, patch, stride, fill=0.0):
    if image.ndim != 3:
        raise ValueError("one image (C, H, W)")
    _, h, w = image.shape
    if not (1 <= patch <= min(h, w)) or stride < 1:
        raise ValueError("bad patch or stride")
    rows, cols = (h - patch) // stride + 1, (w - patch) // stride + 1
    out = torch.zeros(rows, cols, device=image.device)
    with torch.no_grad():
        base = torch.softmax(model(image[None]), dim=1)[0, label]
        for i in range(rows):
            for j in range(cols):
                r, c = i * stride, j * stride
                saved = image[:, r:r + patch, c:c + patch].clone()
                image[:, r:r + patch, c:c + patch] = fill
                out[i, j] = base - torch.softmax(model(image[None]), dim=1)[0, label]
                image[:, r:r + patch, c:c + patch] = saved + 1e-3
    return out
''', why="occludes the input image itself and restores it imperfectly"),

    # ------------------------------------------------------------------ gradient_saliency
    Variant("gs_no_abs", "answer_gradient_saliency",
            replace=[("return grad[0].abs().amax(dim=0)", "return grad[0].amax(dim=0)")],
            why="no absolute value"),
    Variant("gs_sum_channels", "answer_gradient_saliency",
            replace=[("return grad[0].abs().amax(dim=0)", "return grad[0].abs().sum(dim=0)")],
            why="sums over channels instead of the maximum"),
    Variant("gs_mean_channels", "answer_gradient_saliency",
            replace=[("return grad[0].abs().amax(dim=0)", "return grad[0].abs().mean(dim=0)")],
            why="averages over channels"),
    Variant("gs_abs_of_max", "answer_gradient_saliency",
            replace=[("return grad[0].abs().amax(dim=0)", "return grad[0].amax(dim=0).abs()")],
            why="max of the signed gradient, then abs"),
    Variant("gs_loss_gradient", "answer_gradient_saliency",
            replace=[("score = model(x)[0, label]",
                      "score = F.cross_entropy(model(x), torch.tensor([label], device=x.device))")],
            why="gradient of the loss instead of the class score"),
    Variant("gs_probability_gradient", "answer_gradient_saliency",
            replace=[("score = model(x)[0, label]", "score = torch.softmax(model(x), dim=1)[0, label]")],
            why="gradient of the probability instead of the score"),

    # ------------------------------------------------------------------ guided_backprop
    Variant("gb_deconvnet", "answer_guided_backprop",
            replace=[("return (grad_input[0].clamp(min=0.0),)", "return (grad_output[0].clamp(min=0.0),)")],
            why="masks only by the gradient's sign (deconvnet)"),
    Variant("gb_plain_gradient", "answer_guided_backprop",
            replace=[("return (grad_input[0].clamp(min=0.0),)", "return None")],
            why="ordinary backprop (masks only by the input)"),
    Variant("gb_hooks_left", "answer_guided_backprop",
            replace=[("            h.remove()\n", "            pass\n")],
            why="never removes the hooks"),
    Variant("gb_abs", "answer_guided_backprop",
            replace=[("return grad[0]", "return grad[0].abs()")],
            why="returns the absolute value"),
    Variant("gb_channel_max", "answer_guided_backprop",
            replace=[("return grad[0]", "return grad[0].abs().amax(dim=0)")],
            why="returns a (H, W) map like gradient_saliency"),
    Variant("gb_negative_gradients", "answer_guided_backprop",
            replace=[("return (grad_input[0].clamp(min=0.0),)", "return (grad_input[0].clamp(max=0.0),)")],
            why="keeps the negative gradients instead of the positive ones"),

    # ------------------------------------------------------------------ class_visualization
    Variant("cv_descent", "answer_class_visualization",
            replace=[("x += lr * grad", "x -= lr * grad")],
            why="gradient descent instead of ascent"),
    Variant("cv_regularizer_sign", "answer_class_visualization",
            replace=[("- l2_reg * (x * x).sum()", "+ l2_reg * (x * x).sum()")],
            why="adds the penalty instead of subtracting it"),
    Variant("cv_global_rng", "answer_class_visualization",
            replace=[("torch.randn(tuple(shape), generator=generator)", "torch.randn(tuple(shape))")],
            why="ignores the generator"),
    Variant("cv_normalized_gradient", "answer_class_visualization",
            replace=[("x += lr * grad", "x += lr * grad / (grad.norm() + 1e-12)")],
            why="normalizes the gradient"),
    Variant("cv_clamped", "answer_class_visualization",
            replace=[("x += lr * grad", "x += lr * grad\n            x.clamp_(0.0, 1.0)")],
            why="clamps the image to [0, 1] at every step"),
    Variant("cv_adam", "answer_class_visualization", source='''
def class_visualization(model, target, steps, lr, l2_reg, generator, shape=(1, 16, 16)):
    device = next(model.parameters()).device
    x = (0.1 * torch.randn(tuple(shape), generator=generator)).to(device).requires_grad_(True)
    opt = torch.optim.Adam([x], lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        loss = -(model(x[None])[0, target] - l2_reg * (x * x).sum())
        loss.backward()
        opt.step()
    return x.detach()
''', why="Adam instead of plain gradient ascent"),
    Variant("cv_probability", "answer_class_visualization",
            replace=[("objective = model(x[None])[0, target]",
                      "objective = torch.softmax(model(x[None]), dim=1)[0, target]")],
            why="ascends the probability instead of the score"),
    Variant("cv_l1_penalty", "answer_class_visualization",
            replace=[("l2_reg * (x * x).sum()", "l2_reg * x.abs().sum()")],
            why="an L1 penalty"),
    Variant("cv_zero_start", "answer_class_visualization",
            replace=[("x = (0.1 * torch.randn(tuple(shape), generator=generator)).to(device)",
                      "x = torch.zeros(tuple(shape)).to(device)")],
            why="starts from zeros"),
    Variant("cv_trains_model", "answer_class_visualization", source='''
def class_visualization(model, target, steps, lr, l2_reg, generator, shape=(1, 16, 16)):
    device = next(model.parameters()).device
    x = (0.1 * torch.randn(tuple(shape), generator=generator)).to(device).requires_grad_(True)
    for _ in range(steps):
        objective = model(x[None])[0, target] - l2_reg * (x * x).sum()
        objective.backward()
        with torch.no_grad():
            x += lr * x.grad
            for p in model.parameters():
                p += lr * p.grad
        x.grad = None
        model.zero_grad()
    return x.detach()
''', why="also updates the model's weights"),

    # ------------------------------------------------------------------ fgsm_attack
    Variant("fg_raw_gradient", "answer_fgsm_attack",
            replace=[("epsilon * grad.sign()", "epsilon * grad")],
            why="the raw gradient instead of its sign"),
    Variant("fg_no_clamp", "answer_fgsm_attack",
            replace=[(".clamp(0.0, 1.0)[0]", "[0]")],
            why="does not clamp to [0, 1]"),
    Variant("fg_subtract", "answer_fgsm_attack",
            replace=[("(x + epsilon * grad.sign())", "(x - epsilon * grad.sign())")],
            why="steps down the loss"),
    Variant("fg_in_place", "answer_fgsm_attack", source='''
def fgsm_attack(model, image, label, epsilon):
    x = image[None]
    x.requires_grad_(True)
    loss = F.cross_entropy(model(x), torch.tensor([int(label)], device=x.device))
    loss.backward()
    with torch.no_grad():
        image += epsilon * x.grad[0].sign()
        image.clamp_(0.0, 1.0)
    image.requires_grad_(False)
    return image
''', why="modifies the input image in place"),
    Variant("fg_score_gradient", "answer_fgsm_attack",
            replace=[("loss = F.cross_entropy(model(x), target)", "loss = -model(x)[0, target[0]]")],
            why="lowers the label's score instead of raising the loss"),
    Variant("fg_normalized_gradient", "answer_fgsm_attack",
            replace=[("epsilon * grad.sign()", "epsilon * grad / grad.abs().max()")],
            why="gradient scaled to max 1 instead of its sign"),
]


ALTERNATIVE = [
    Variant("rb_sequential_branch", "answer_residual_block", source=_BLOCK_HEAD + '''
        self.branch = nn.Sequential(
            nn.Conv2d(channels, channels, 3, 1, 1, bias=False), nn.BatchNorm2d(channels), nn.ReLU(),
            nn.Conv2d(channels, channels, 3, 1, 1, bias=False), nn.BatchNorm2d(channels))
        self.out_relu = nn.ReLU()

    def forward(self, x):
        return self.out_relu(self.branch(x) + x)
''', why="F as an nn.Sequential, one more nn.ReLU for the output"),
    Variant("rb_norms_registered_first", "answer_residual_block", source=_BLOCK_HEAD + '''
        self.norms = nn.ModuleList([nn.BatchNorm2d(channels) for _ in range(2)])
        self.relu = nn.ReLU()
        self.convs = nn.ModuleList([nn.Conv2d(channels, channels, (3, 3), padding=(1, 1),
                                              bias=False) for _ in range(2)])

    def forward(self, x):
        h = self.relu(self.norms[0](self.convs[0](x)))
        h = self.norms[1](self.convs[1](h))
        return self.relu(h + x)
''', why="ModuleLists, norms registered before convs, one shared nn.ReLU"),
    Variant("cp_named_parameters", "answer_count_parameters", source='''
def count_parameters(model):
    import math
    total = 0
    for name, p in model.named_parameters():
        if p.requires_grad:
            total += math.prod(p.shape)
    return total
''', why="named_parameters and math.prod of the shapes"),
    Variant("bm_global_pool", "answer_build_model", source='''
def build_model(num_classes=10):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Sequential(nn.Conv2d(1, 24, 3, padding=1, bias=False),
                                      nn.BatchNorm2d(24), nn.ReLU())
            self.block1 = ResidualBlock(24)
            self.down = nn.Sequential(nn.Conv2d(24, 48, 3, stride=2, padding=1, bias=False),
                                      nn.BatchNorm2d(48), nn.ReLU())
            self.block2 = ResidualBlock(48)
            self.head = nn.Linear(48, num_classes)

        def forward(self, x):
            x = self.block2(self.down(self.block1(self.stem(x))))
            return self.head(x.mean(dim=(2, 3)))

    return Net()
''', why="a custom module, strided conv for downsampling, global average pooling"),
    Variant("te_sum_reduction", "answer_train_epoch", source='''
def train_epoch(model, loader, optimizer, device):
    model.train()
    total, count = 0.0, 0
    for images, labels in loader:
        images = images.to(device)
        labels = labels.to(device)
        summed = F.cross_entropy(model(images), labels, reduction="sum")
        model.zero_grad(set_to_none=True)
        (summed / labels.numel()).backward()
        optimizer.step()
        total += float(summed)
        count += labels.numel()
    if not count:
        raise ValueError("empty loader")
    return total / count
''', why="sums the loss, divides before backward; model.zero_grad"),
    Variant("te_len_dataset", "answer_train_epoch",
            replace=[("    if count == 0:\n        raise ValueError(\"train_epoch: the loader yielded no batches\")\n    return total / count",
                      "    if count == 0:\n        raise ValueError(\"empty\")\n    return total / len(loader.dataset)")],
            why="divides by len(loader.dataset)"),
    Variant("ev_concatenate", "answer_evaluate", source='''
def evaluate(model, loader, device):
    model.eval()
    all_logits, all_labels = [], []
    with torch.inference_mode():
        for images, labels in loader:
            all_logits.append(model(images.to(device)))
            all_labels.append(labels.to(device))
    if not all_labels:
        raise ValueError("empty loader")
    logits, labels = torch.cat(all_logits), torch.cat(all_labels)
    loss = F.cross_entropy(logits, labels).item()
    accuracy = (logits.max(dim=1).indices == labels).double().mean().item()
    return loss, accuracy
''', why="concatenates all logits, inference_mode, torch.max"),
    Variant("rs_pad_and_crop", "answer_random_shift", source='''
def random_shift(images, max_shift, generator):
    if images.dim() != 4 or max_shift < 0:
        raise ValueError("images (N, C, H, W) and max_shift >= 0")
    m = int(max_shift)
    n, c, h, w = images.shape
    shifts = torch.randint(-m, m + 1, (n, 2), generator=generator)
    padded = F.pad(images, (m, m, m, m))
    out = torch.empty_like(images)
    for k in range(n):
        dy, dx = shifts[k].tolist()
        out[k] = padded[k, :, m - dy:m - dy + h, m - dx:m - dx + w]
    return out
''', why="F.pad by max_shift, then crop a window per image"),
    Variant("rs_roll_and_mask", "answer_random_shift", source='''
def random_shift(images, max_shift, generator):
    if images.ndim != 4:
        raise ValueError("images must be (N, C, H, W)")
    if max_shift < 0:
        raise ValueError("max_shift must be >= 0")
    n, c, h, w = images.shape
    shifts = torch.randint(-max_shift, max_shift + 1, (n, 2), generator=generator)
    rows = torch.arange(h, device=images.device)
    cols = torch.arange(w, device=images.device)
    out = []
    for k in range(n):
        dy, dx = int(shifts[k, 0]), int(shifts[k, 1])
        rolled = torch.roll(images[k], shifts=(dy, dx), dims=(1, 2))
        keep = ((rows - dy >= 0) & (rows - dy < h))[:, None] & ((cols - dx >= 0) & (cols - dx < w))[None, :]
        out.append(rolled * keep)
    return torch.stack(out)
''', why="torch.roll, then zero the pixels that wrapped around"),
    Variant("rs_vectorized_gather", "answer_random_shift", source='''
def random_shift(images, max_shift, generator):
    if images.ndim != 4 or max_shift < 0:
        raise ValueError("bad arguments")
    n, c, h, w = images.shape
    shifts = torch.randint(-max_shift, max_shift + 1, (n, 2), generator=generator).to(images.device)
    i = torch.arange(h, device=images.device)[None, :, None] - shifts[:, 0, None, None]
    j = torch.arange(w, device=images.device)[None, None, :] - shifts[:, 1, None, None]
    valid = (i >= 0) & (i < h) & (j >= 0) & (j < w)
    flat = (i.clamp(0, h - 1) * w + j.clamp(0, w - 1)).reshape(n, 1, h * w).expand(n, c, h * w)
    out = images.reshape(n, c, h * w).gather(2, flat).reshape(n, c, h, w)
    return out * valid[:, None].to(images.dtype)
''', why="one gather with index grids and a validity mask, no loop"),
    Variant("oc_loop", "answer_occlusion_saliency", source='''
def occlusion_saliency(model, image, label, patch, stride, fill=0.0):
    if image.dim() != 3:
        raise ValueError("expected (C, H, W)")
    C, H, W = image.shape
    if patch < 1 or patch > min(H, W) or stride < 1:
        raise ValueError("bad patch/stride")
    with torch.no_grad():
        p0 = F.softmax(model(image.unsqueeze(0)), dim=1)[0, label]
        rows = []
        for r in range(0, H - patch + 1, stride):
            row = []
            for c in range(0, W - patch + 1, stride):
                x = image.clone()
                x[:, r:r + patch, c:c + patch] = fill
                row.append(p0 - F.softmax(model(x.unsqueeze(0)), dim=1)[0, label])
            rows.append(torch.stack(row))
    return torch.stack(rows)
''', why="a loop of model calls over the positions"),
    Variant("oc_masks", "answer_occlusion_saliency", source='''
def occlusion_saliency(model, image, label, patch, stride, fill=0.0):
    if image.ndim != 3:
        raise ValueError("one image")
    _, h, w = image.shape
    if not 1 <= patch <= min(h, w) or stride < 1:
        raise ValueError("bad patch or stride")
    rows, cols = (h - patch) // stride + 1, (w - patch) // stride + 1
    masks = torch.zeros(rows, cols, 1, h, w, device=image.device, dtype=image.dtype)
    for i in range(rows):
        for j in range(cols):
            masks[i, j, :, i * stride:i * stride + patch, j * stride:j * stride + patch] = 1
    masks = masks.reshape(rows * cols, 1, h, w)
    batch = image[None] * (1 - masks) + fill * masks
    with torch.no_grad():
        probs = model(torch.cat([image[None], batch])).softmax(dim=1)[:, label]
    return (probs[0] - probs[1:]).view(rows, cols)
''', why="occluded batch from masks, one forward pass with the original"),
    Variant("gs_backward", "answer_gradient_saliency", source='''
def gradient_saliency(model, image, label):
    x = image.detach().clone().unsqueeze(0)
    x.requires_grad = True
    model(x)[0, label].backward()
    return x.grad[0].abs().max(dim=0).values.detach()
''', why=".backward() and x.grad, max(...).values"),
    Variant("gs_torch_func", "answer_gradient_saliency", source='''
def gradient_saliency(model, image, label):
    from torch.func import grad
    g = grad(lambda x: model(x[None])[0, label])(image.detach())
    return g.abs().amax(dim=0)
''', why="torch.func.grad"),
    Variant("gb_autograd_function", "answer_guided_backprop", source='''
def guided_backprop(model, image, label):
    class GuidedReLU(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.clamp(min=0)

        @staticmethod
        def backward(ctx, grad_out):
            (x,) = ctx.saved_tensors
            return grad_out * (x > 0) * (grad_out > 0)

    relus = [m for m in model.modules() if isinstance(m, nn.ReLU)]
    saved = [m.forward for m in relus]
    for m in relus:
        m.forward = GuidedReLU.apply
    try:
        x = image.detach().clone().unsqueeze(0).requires_grad_(True)
        model(x)[0, label].backward()
    finally:
        for m, f in zip(relus, saved):
            m.forward = f
    return x.grad[0]
''', why="a custom autograd.Function swapped in for the ReLUs' forward, then restored"),
    Variant("gb_tensor_hooks", "answer_guided_backprop", source='''
def guided_backprop(model, image, label):
    def on_forward(module, inputs, output):
        positive = inputs[0] > 0
        output.register_hook(lambda g: torch.where(positive & (g > 0), g, torch.zeros_like(g)))

    handles = [m.register_forward_hook(on_forward) for m in model.modules()
               if isinstance(m, nn.ReLU)]
    try:
        x = image.detach().clone()[None].requires_grad_(True)
        (g,) = torch.autograd.grad(model(x)[0, label], x)
    finally:
        for h in handles:
            h.remove()
    return g[0]
''', why="forward hooks that put a tensor hook on each ReLU output"),
    Variant("cv_sgd_maximize", "answer_class_visualization", source='''
def class_visualization(model, target, steps, lr, l2_reg, generator, shape=(1, 16, 16)):
    device = next(model.parameters()).device
    x = (0.1 * torch.randn(tuple(shape), generator=generator)).to(device)
    x.requires_grad_(True)
    opt = torch.optim.SGD([x], lr=lr, maximize=True)
    for _ in range(steps):
        opt.zero_grad()
        J = model(x.unsqueeze(0))[0, target] - l2_reg * x.pow(2).sum()
        J.backward()
        opt.step()
    model.zero_grad(set_to_none=True)
    return x.detach()
''', why="torch.optim.SGD(maximize=True) on x only"),
    Variant("cv_analytic_penalty", "answer_class_visualization", source='''
def class_visualization(model, target, steps, lr, l2_reg, generator, shape=(1, 16, 16)):
    device = next(model.parameters()).device
    x = 0.1 * torch.randn(tuple(shape), generator=generator)
    x = x.to(device)
    for _ in range(steps):
        x = x.detach().requires_grad_(True)
        (g,) = torch.autograd.grad(model(x[None])[0, target], x)
        x = x + lr * (g - 2 * l2_reg * x)
    return x.detach()
''', why="the penalty's gradient written by hand, new tensor each step"),
    Variant("fg_backward", "answer_fgsm_attack", source='''
def fgsm_attack(model, image, label, epsilon):
    x = image.clone().detach().unsqueeze(0).requires_grad_()
    loss = F.cross_entropy(model(x), torch.full((1,), int(label), dtype=torch.long, device=x.device))
    model.zero_grad()
    loss.backward()
    adv = torch.clamp(x.detach() + epsilon * torch.sign(x.grad), min=0.0, max=1.0)
    return adv.squeeze(0)
''', why=".backward(), torch.sign and torch.clamp"),
    Variant("fg_nll_log_softmax", "answer_fgsm_attack", source='''
def fgsm_attack(model, image, label, epsilon):
    x = image.detach().clone().requires_grad_(True)
    log_p = F.log_softmax(model(x.unsqueeze(0)), dim=1)
    loss = -log_p[0, int(label)]
    (g,) = torch.autograd.grad(loss, x)
    return (x + epsilon * g.sign()).clamp(0, 1).detach()
''', why="negative log-softmax of the label (the same loss), gradient of the 3-D image"),
]
