"""An independent correct gpu.py, written unlike the reference on purpose: state created
lazily with explicit tensors, Adam with the bias-corrected moments computed explicitly,
Nesterov in the look-ahead form, RMSprop dividing by a separately built denominator,
initializers that draw into a fresh tensor and copy it over, orthogonal_ from an SVD,
LinearFunction with addmm, and BatchNormFunction's backward in the three-term form."""

import math

import torch


def _with_decay(p, g, decay):
    return g + decay * p if decay else g


class SGD(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, momentum=0.0, nesterov=False, weight_decay=0.0):
        super().__init__(
            params,
            dict(lr=lr, momentum=momentum, nesterov=nesterov, weight_decay=weight_decay),
        )

    def step(self, closure=None):
        loss = closure() if closure is not None else None
        with torch.no_grad():
            for group in self.param_groups:
                mu = group["momentum"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    g = _with_decay(p, p.grad, group["weight_decay"])
                    if mu != 0:
                        state = self.state[p]
                        if "momentum_buffer" in state:
                            state["momentum_buffer"] = mu * state["momentum_buffer"] + g
                        else:
                            state["momentum_buffer"] = g.clone()
                        buf = state["momentum_buffer"]
                        g = g + mu * buf if group["nesterov"] else buf
                    p.sub_(group["lr"] * g)
        return loss


class RMSprop(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay))

    def step(self, closure=None):
        loss = closure() if closure is not None else None
        with torch.no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    g = _with_decay(p, p.grad, group["weight_decay"])
                    state = self.state[p]
                    avg = state.get("square_avg", torch.zeros_like(p))
                    avg = group["alpha"] * avg + (1.0 - group["alpha"]) * g * g
                    state["square_avg"] = avg
                    state["step"] = state.get("step", 0) + 1
                    denominator = torch.sqrt(avg) + group["eps"]
                    p.copy_(p - group["lr"] * g / denominator)
        return loss


class Adam(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    def step(self, closure=None):
        loss = closure() if closure is not None else None
        with torch.no_grad():
            for group in self.param_groups:
                b1, b2 = group["betas"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    g = _with_decay(p, p.grad, group["weight_decay"])
                    state = self.state[p]
                    t = state.get("step", 0) + 1
                    m = b1 * state.get("exp_avg", torch.zeros_like(p)) + (1 - b1) * g
                    v = b2 * state.get("exp_avg_sq", torch.zeros_like(p)) + (1 - b2) * g**2
                    state.update(step=t, exp_avg=m, exp_avg_sq=v)
                    m_hat = m / (1 - b1**t)
                    v_hat = v / (1 - b2**t)
                    p.sub_(group["lr"] * m_hat / (v_hat.sqrt() + group["eps"]))
        return loss


def _fan_in_out(tensor):
    shape = tuple(tensor.shape)
    kernel = 1
    for size in shape[2:]:
        kernel *= size
    return shape[1] * kernel, shape[0] * kernel


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = _fan_in_out(tensor)
    limit = gain * math.sqrt(6.0 / (fan_in + fan_out))
    drawn = (torch.rand(tensor.shape, dtype=tensor.dtype, device=tensor.device) * 2 - 1) * limit
    with torch.no_grad():
        tensor.copy_(drawn)
    return tensor


def kaiming_normal_(tensor, a=0.0, nonlinearity="relu"):
    fan_in, _ = _fan_in_out(tensor)
    if nonlinearity == "relu":
        gain = math.sqrt(2.0)
    elif nonlinearity == "leaky_relu":
        gain = math.sqrt(2.0 / (1.0 + a * a))
    elif nonlinearity == "tanh":
        gain = 5.0 / 3.0
    else:
        gain = 1.0
    drawn = torch.randn(tensor.shape, dtype=tensor.dtype, device=tensor.device)
    with torch.no_grad():
        tensor.copy_(drawn * (gain / math.sqrt(fan_in)))
    return tensor


def orthogonal_(tensor, gain=1.0):
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    gaussian = torch.randn(rows, cols, dtype=tensor.dtype, device=tensor.device)
    u, _, vh = torch.linalg.svd(gaussian, full_matrices=False)
    q = u @ vh
    with torch.no_grad():
        tensor.copy_((gain * q).reshape(tensor.shape))
    return tensor


class LinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias=None):
        ctx.save_for_backward(x, weight, bias)
        if bias is None:
            return torch.mm(x, weight.t())
        return torch.addmm(bias, x, weight.t())

    @staticmethod
    def backward(ctx, grad_out):
        x, weight, bias = ctx.saved_tensors
        grad_x = torch.mm(grad_out, weight)
        grad_weight = torch.mm(grad_out.t(), x)
        grad_bias = None if bias is None else grad_out.sum(0)
        return grad_x, grad_weight, grad_bias


class BatchNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, gamma, beta, eps=1e-5):
        mu = x.mean(0, keepdim=True)
        centered = x - mu
        var = (centered * centered).mean(0, keepdim=True)
        std = torch.sqrt(var + eps)
        xhat = centered / std
        ctx.save_for_backward(centered, std, gamma)
        return xhat * gamma + beta

    @staticmethod
    def backward(ctx, grad_out):
        centered, std, gamma = ctx.saved_tensors
        n = grad_out.shape[0]
        xhat = centered / std
        dxhat = grad_out * gamma
        dvar = (dxhat * centered).sum(0, keepdim=True) * -0.5 / std**3
        dmu = -(dxhat / std).sum(0, keepdim=True) - 2.0 * dvar * centered.mean(0, keepdim=True)
        dx = dxhat / std + dvar * 2.0 * centered / n + dmu / n
        return dx, (grad_out * xhat).sum(0), grad_out.sum(0), None
