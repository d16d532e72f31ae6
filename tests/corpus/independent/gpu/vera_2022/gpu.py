"""PyTorch versions of the course's optimizers, initializers and two layers."""

import math

import torch


class SGD(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, momentum=0.0, nesterov=False, weight_decay=0.0):
        if lr < 0.0 or momentum < 0.0 or weight_decay < 0.0:
            raise ValueError("lr, momentum and weight_decay must be non-negative")
        if nesterov and momentum <= 0.0:
            raise ValueError("nesterov momentum requires a positive momentum")
        defaults = {"lr": lr, "momentum": momentum, "nesterov": nesterov}
        super().__init__(params, {**defaults, "weight_decay": weight_decay})

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            momentum = group["momentum"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad + group["weight_decay"] * p
                if momentum > 0:
                    state = self.state[p]
                    if "momentum_buffer" not in state:
                        state["momentum_buffer"] = g.clone()
                    else:
                        # running average of the gradients
                        state["momentum_buffer"].mul_(momentum).add_(g, alpha=1 - momentum)
                    buf = state["momentum_buffer"]
                    g = g + momentum * buf if group["nesterov"] else buf
                p.sub_(group["lr"] * g)
        return loss


class RMSprop(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0):
        if lr < 0.0 or eps < 0.0 or weight_decay < 0.0 or not alpha >= 0.0:
            raise ValueError("lr, alpha, eps and weight_decay must be non-negative")
        defaults = {"lr": lr, "alpha": alpha, "eps": eps, "weight_decay": weight_decay}
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad + group["weight_decay"] * p
                state = self.state[p]
                if "square_avg" not in state:
                    state["step"] = 0
                    state["square_avg"] = torch.zeros_like(p)
                state["step"] += 1
                state["square_avg"].mul_(group["alpha"]).addcmul_(g, g, value=1 - group["alpha"])
                p.sub_(group["lr"] * g / (state["square_avg"].sqrt() + group["eps"]))
        return loss


class Adam(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        if lr < 0.0 or eps < 0.0 or weight_decay < 0.0:
            raise ValueError("lr, eps and weight_decay must be non-negative")
        if not all(0.0 <= beta < 1.0 for beta in betas):
            raise ValueError("betas must lie in [0, 1)")
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay}
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad + group["weight_decay"] * p
                state = self.state[p]
                if "step" not in state:
                    state["step"] = 0
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                state["step"] += 1
                t = state["step"]
                state["exp_avg"] = beta1 * state["exp_avg"] + (1 - beta1) * g
                state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1 - beta2) * g * g
                mhat = state["exp_avg"] / (1 - beta1 ** t)
                vhat = state["exp_avg_sq"] / (1 - beta2 ** t)
                p.sub_(group["lr"] * mhat / (vhat.sqrt() + group["eps"]))
        return loss


def _fans(tensor):
    receptive = 1
    for s in tensor.shape[2:]:
        receptive *= s
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = _fans(tensor)
    b = gain * math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        tensor.uniform_(-b, b)
    return tensor


def kaiming_normal_(tensor, a=0.0, nonlinearity="relu"):
    if nonlinearity == "relu":
        gain = math.sqrt(2.0)
    elif nonlinearity == "leaky_relu":
        gain = math.sqrt(2.0 / (1.0 + a * a))
    elif nonlinearity == "tanh":
        gain = 5.0 / 3.0
    elif nonlinearity == "selu":
        gain = 0.75
    else:  # linear, sigmoid, conv*
        gain = 1.0
    fan_in, _ = _fans(tensor)
    with torch.no_grad():
        tensor.normal_(0.0, gain / math.sqrt(fan_in))
    return tensor


def orthogonal_(tensor, gain=1.0):
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    transpose = rows < cols
    shape = (cols, rows) if transpose else (rows, cols)
    q, r = torch.linalg.qr(torch.randn(shape, dtype=torch.float64, device=tensor.device))
    q = q * torch.sign(torch.diag(r))
    if transpose:
        q = q.T
    with torch.no_grad():
        tensor.copy_(gain * q.reshape(tensor.shape))
    return tensor


class LinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias=None):
        ctx.save_for_backward(x, weight, bias)
        out = x @ weight.T
        return out if bias is None else out + bias

    @staticmethod
    def backward(ctx, grad_out):
        x, weight, bias = ctx.saved_tensors
        db = None if bias is None else grad_out.sum(dim=0)
        return grad_out @ weight, grad_out.T @ x, db


class BatchNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, gamma, beta, eps=1e-5):
        mu = x.mean(dim=0)
        var = x.var(dim=0)
        xhat = (x - mu) / torch.sqrt(var + eps)
        ctx.save_for_backward(xhat, gamma, var)
        ctx.eps = eps
        return gamma * xhat + beta

    @staticmethod
    def backward(ctx, grad_out):
        xhat, gamma, var = ctx.saved_tensors
        n = grad_out.shape[0]
        dxhat = grad_out * gamma
        inv = 1.0 / torch.sqrt(var + ctx.eps)
        dx = inv / n * (n * dxhat - dxhat.sum(0) - xhat * (dxhat * xhat).sum(0))
        return dx, (grad_out * xhat).sum(0), grad_out.sum(0), None
