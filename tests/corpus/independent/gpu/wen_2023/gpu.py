"""PyTorch versions of the course's optimizers, initializers and two layers."""

import math

import torch


def _prepare(p, weight_decay):
    """Gradient of p with L2 weight decay added (never modifies p.grad)."""
    return p.grad if weight_decay == 0 else p.grad + weight_decay * p


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
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = _prepare(p, group["weight_decay"])
                mu = group["momentum"]
                if mu > 0:
                    buf = self.state[p].get("momentum_buffer")
                    buf = g.clone() if buf is None else buf.mul_(mu).add_(g)
                    self.state[p]["momentum_buffer"] = buf
                    g = g.add(buf, alpha=mu) if group["nesterov"] else buf
                p.add_(g, alpha=-group["lr"])
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
                g = _prepare(p, group["weight_decay"])
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["square_avg"] = torch.zeros_like(p)
                state["step"] += 1
                sa = state["square_avg"]
                sa.mul_(group["alpha"]).addcmul_(g, g, value=1 - group["alpha"])
                p.addcdiv_(g, (sa + group["eps"]).sqrt(), value=-group["lr"])
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
            b1, b2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = _prepare(p, group["weight_decay"])
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                state["step"] += 1
                t = state["step"]
                m, v = state["exp_avg"], state["exp_avg_sq"]
                m.mul_(b1).add_(g, alpha=1 - b1)
                v.mul_(b2).addcmul_(g, g, value=1 - b2)
                denom = (v / (1 - b2 ** t)).sqrt_().add_(group["eps"])
                p.addcdiv_(m / (1 - b1 ** t), denom, value=-group["lr"])
        return loss


def _fans(t):
    rf = t[0][0].numel() if t.dim() > 2 else 1
    return t.size(1) * rf, t.size(0) * rf


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = _fans(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        return tensor.uniform_(-bound, bound)


def kaiming_normal_(tensor, a=0.0, nonlinearity="relu"):
    gain = {
        "relu": math.sqrt(2.0),
        "leaky_relu": math.sqrt(2.0 / (1.0 + a ** 2)),
        "tanh": 5.0 / 3.0,
        "selu": 0.75,
    }.get(nonlinearity, 1.0)
    fan_in, _ = _fans(tensor)
    with torch.no_grad():
        return tensor.normal_(0.0, gain / math.sqrt(fan_in))


def orthogonal_(tensor, gain=1.0):
    rows = tensor.size(0)
    cols = tensor.numel() // rows
    a = torch.randn(max(rows, cols), min(rows, cols), dtype=torch.float64, device=tensor.device)
    q, r = torch.linalg.qr(a)
    q = q * torch.diagonal(r).sign()
    if rows < cols:
        q = q.T
    with torch.no_grad():
        tensor.copy_(q.reshape(tensor.shape) * gain)
    return tensor


class LinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias=None):
        ctx.save_for_backward(x, weight, bias)
        y = x @ weight.t()
        if bias is not None:
            y = y + bias
        return y

    @staticmethod
    def backward(ctx, grad_out):
        x, weight, bias = ctx.saved_tensors
        grad_x = grad_out @ weight
        grad_w = grad_out.t() @ x
        grad_b = grad_out.mean(0) if bias is not None else None
        return grad_x, grad_w, grad_b


class BatchNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, gamma, beta, eps=1e-5):
        mean = x.mean(0)
        var = x.var(0, unbiased=False)
        invstd = 1.0 / torch.sqrt(var + eps)
        xhat = (x - mean) * invstd
        ctx.save_for_backward(xhat, gamma, invstd)
        return gamma * xhat + beta

    @staticmethod
    def backward(ctx, grad_out):
        xhat, gamma, invstd = ctx.saved_tensors
        n = grad_out.size(0)
        dbeta = grad_out.sum(0)
        dgamma = (grad_out * xhat).sum(0)
        dx = gamma * invstd / n * (n * grad_out - dbeta - xhat * dgamma)
        return dx, dgamma, dbeta, None
