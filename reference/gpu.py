"""PyTorch versions of the course's optimizers, initializers and two layers.

Each object has the semantics of its `torch.optim` / `torch.nn.init` / `torch.nn.functional`
counterpart (the grader compares against both), written with ordinary tensor operations.
Everything must work on CPU and CUDA tensors of any floating dtype.
"""

import math

import torch


# BEGIN SOLUTION
def _evaluate(closure):
    """closure() with gradients enabled (step itself runs under no_grad), or None."""
    if closure is None:
        return None
    with torch.enable_grad():
        return closure()


def _gradients(optimizer):
    """(group, parameter, gradient plus L2 weight decay) for each parameter with a gradient."""
    for group in optimizer.param_groups:
        for p in group["params"]:
            if p.grad is not None:
                decay = group["weight_decay"]
                yield group, p, p.grad + decay * p if decay else p.grad


# END SOLUTION


class SGD(torch.optim.Optimizer):
    """Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay,
    like `torch.optim.SGD` with dampening 0.

    Per parameter p with gradient g: g = g + weight_decay * p; with momentum the buffer is
    b = g on the first step and b = momentum * b + g afterwards (stored in
    `self.state[p]["momentum_buffer"]`); the step uses g + momentum * b (nesterov) or b;
    then p = p - lr * step. Parameters whose `.grad` is None are skipped.
    """

    def __init__(self, params, lr=1e-2, momentum=0.0, nesterov=False, weight_decay=0.0):
        if lr < 0.0 or momentum < 0.0 or weight_decay < 0.0:
            raise ValueError("lr, momentum and weight_decay must be non-negative")
        if nesterov and momentum <= 0.0:
            raise ValueError("nesterov momentum requires a positive momentum")
        defaults = {"lr": lr, "momentum": momentum, "nesterov": nesterov}
        super().__init__(params, {**defaults, "weight_decay": weight_decay})

    @torch.no_grad()
    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns closure() if given."""
        # BEGIN SOLUTION
        loss = _evaluate(closure)
        for group, p, g in _gradients(self):
            momentum = group["momentum"]
            if momentum:
                state = self.state[p]
                buffer = state.get("momentum_buffer")
                buffer = g.clone() if buffer is None else momentum * buffer + g
                state["momentum_buffer"] = buffer
                g = g + momentum * buffer if group["nesterov"] else buffer
            p -= group["lr"] * g
        return loss
        # END SOLUTION


class RMSprop(torch.optim.Optimizer):
    """RMSProp like `torch.optim.RMSprop` (not centered, no momentum).

    Per parameter: g = g + weight_decay * p; square_avg = alpha * square_avg +
    (1 - alpha) * g**2 (zeros at first, in `self.state[p]["square_avg"]`, with a `step`
    count); p = p - lr * g / (sqrt(square_avg) + eps). Parameters without a gradient are
    skipped.
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0):
        if lr < 0.0 or eps < 0.0 or weight_decay < 0.0 or not alpha >= 0.0:
            raise ValueError("lr, alpha, eps and weight_decay must be non-negative")
        defaults = {"lr": lr, "alpha": alpha, "eps": eps, "weight_decay": weight_decay}
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns closure() if given."""
        # BEGIN SOLUTION
        loss = _evaluate(closure)
        for group, p, g in _gradients(self):
            alpha, state = group["alpha"], self.state[p]
            if not state:
                state["step"] = torch.tensor(0.0)
                state["square_avg"] = torch.zeros_like(p, memory_format=torch.preserve_format)
            state["step"] += 1
            square_avg = alpha * state["square_avg"] + (1 - alpha) * g * g
            state["square_avg"] = square_avg
            p -= group["lr"] * g / (square_avg.sqrt() + group["eps"])
        return loss
        # END SOLUTION


class Adam(torch.optim.Optimizer):
    """Adam like `torch.optim.Adam` (no amsgrad; weight decay added to the gradient).

    Per parameter, at step t (counted from 1, in `self.state[p]["step"]`):
    g = g + weight_decay * p; m = beta1 * m + (1 - beta1) * g;
    v = beta2 * v + (1 - beta2) * g**2 (`exp_avg`, `exp_avg_sq`, zeros at first);
    p = p - lr * mhat / (sqrt(vhat) + eps) with mhat = m / (1 - beta1**t) and
    vhat = v / (1 - beta2**t). Parameters without a gradient are skipped.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        if lr < 0.0 or eps < 0.0 or weight_decay < 0.0:
            raise ValueError("lr, eps and weight_decay must be non-negative")
        if not all(0.0 <= beta < 1.0 for beta in betas):
            raise ValueError("betas must lie in [0, 1)")
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay}
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns closure() if given."""
        # BEGIN SOLUTION
        loss = _evaluate(closure)
        for group, p, g in _gradients(self):
            (beta1, beta2), state = group["betas"], self.state[p]
            if not state:
                state["step"] = torch.tensor(0.0)
                state["exp_avg"] = torch.zeros_like(p, memory_format=torch.preserve_format)
                state["exp_avg_sq"] = torch.zeros_like(p, memory_format=torch.preserve_format)
            state["step"] += 1
            t = float(state["step"])
            m = beta1 * state["exp_avg"] + (1 - beta1) * g
            v = beta2 * state["exp_avg_sq"] + (1 - beta2) * g * g
            state["exp_avg"], state["exp_avg_sq"] = m, v
            m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
            p -= group["lr"] * m_hat / (v_hat.sqrt() + group["eps"])
        return loss
        # END SOLUTION


# BEGIN SOLUTION
def _fans(tensor):
    """fan_in and fan_out as torch.nn.init computes them (conv kernels included)."""
    if tensor.dim() < 2:
        raise ValueError("fan in and fan out need a tensor with at least 2 dimensions")
    receptive = math.prod(tensor.shape[2:])
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


# END SOLUTION


def xavier_uniform_(tensor, gain=1.0):
    """Fill `tensor` in place with U(-b, b), b = gain * sqrt(6 / (fan_in + fan_out)), where
    for a weight of shape (out, in, *kernel) fan_in = in * prod(kernel) and
    fan_out = out * prod(kernel); return the tensor."""
    # BEGIN SOLUTION
    fan_in, fan_out = _fans(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        return tensor.uniform_(-bound, bound)
    # END SOLUTION


def kaiming_normal_(tensor, a=0.0, nonlinearity="relu"):
    """Fill `tensor` in place with N(0, std²), std = gain / sqrt(fan_in) (mode fan_in), where
    gain is sqrt(2) for relu, sqrt(2 / (1 + a²)) for leaky_relu, 1 for linear/sigmoid/conv,
    5/3 for tanh (as torch.nn.init.calculate_gain); return the tensor."""
    # BEGIN SOLUTION
    gains = {"relu": math.sqrt(2.0), "leaky_relu": math.sqrt(2.0 / (1 + a**2)), "tanh": 5.0 / 3}
    if nonlinearity not in gains and nonlinearity not in {"linear", "sigmoid", "conv1d", "conv2d"}:
        raise ValueError(f"unsupported nonlinearity {nonlinearity}")
    fan_in, _ = _fans(tensor)
    std = gains.get(nonlinearity, 1.0) / math.sqrt(fan_in)
    with torch.no_grad():
        return tensor.normal_(0.0, std)
    # END SOLUTION


def orthogonal_(tensor, gain=1.0):
    """Fill `tensor` in place with gain times a (semi-)orthogonal matrix, viewing it as
    (shape[0], numel / shape[0]): orthonormal rows if it is wide, orthonormal columns if
    tall (QR of a Gaussian matrix, signs fixed by diag(R)); return the tensor."""
    # BEGIN SOLUTION
    if tensor.dim() < 2:
        raise ValueError("orthogonal_ needs a tensor with at least 2 dimensions")
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    flat = torch.randn(rows, cols, dtype=tensor.dtype, device=tensor.device)
    if rows < cols:
        flat = flat.t()
    q, r = torch.linalg.qr(flat)
    q = q * torch.sign(torch.diagonal(r)).unsqueeze(0)
    if rows < cols:
        q = q.t()
    with torch.no_grad():
        tensor.view_as(q).copy_(q).mul_(gain)
    return tensor
    # END SOLUTION


class LinearFunction(torch.autograd.Function):
    """y = x @ weight.T + bias (F.linear) for x (N, in), weight (out, in), bias (out,) or
    None, with the backward pass written by hand."""

    @staticmethod
    def forward(ctx, x, weight, bias=None):
        # BEGIN SOLUTION
        ctx.save_for_backward(x, weight)
        ctx.has_bias = bias is not None
        out = x @ weight.t()
        return out + bias if bias is not None else out
        # END SOLUTION

    @staticmethod
    def backward(ctx, grad_out):
        # BEGIN SOLUTION
        x, weight = ctx.saved_tensors
        grad_bias = grad_out.sum(dim=0) if ctx.has_bias else None
        return grad_out @ weight, grad_out.t() @ x, grad_bias
        # END SOLUTION


class BatchNormFunction(torch.autograd.Function):
    """Training-mode batch normalization of x (N, D) (F.batch_norm with training=True):
    out = gamma * (x - mean) / sqrt(var + eps) + beta with the batch mean and the biased
    batch variance; backward written by hand (no gradient for eps)."""

    @staticmethod
    def forward(ctx, x, gamma, beta, eps=1e-5):
        # BEGIN SOLUTION
        mean = x.mean(dim=0)
        inv_std = torch.rsqrt(x.var(dim=0, unbiased=False) + eps)
        xhat = (x - mean) * inv_std
        ctx.save_for_backward(xhat, gamma, inv_std)
        return gamma * xhat + beta
        # END SOLUTION

    @staticmethod
    def backward(ctx, grad_out):
        # BEGIN SOLUTION
        xhat, gamma, inv_std = ctx.saved_tensors
        n = grad_out.shape[0]
        dxhat = grad_out * gamma
        dx = (inv_std / n) * (n * dxhat - dxhat.sum(0) - xhat * (dxhat * xhat).sum(0))
        return dx, (grad_out * xhat).sum(0), grad_out.sum(0), None
        # END SOLUTION
