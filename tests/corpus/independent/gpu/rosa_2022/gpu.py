"""PyTorch versions of the course's optimizers, initializers and two layers.

Rosa's version: optimizers written functionally (compute the new value, then copy it
into the parameter), Adam in Kingma & Ba's efficient form.
"""

import math

import torch


class SGD(torch.optim.Optimizer):
    """SGD with optional (Nesterov) momentum and L2 weight decay (dampening 0)."""

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
                g = p.grad + group["weight_decay"] * p
                if group["momentum"] > 0:
                    state = self.state[p]
                    # starting the buffer at zero gives b = g on the first step
                    b = state.get("momentum_buffer", torch.zeros_like(p))
                    b = group["momentum"] * b + g
                    state["momentum_buffer"] = b
                    g = g + group["momentum"] * b if group["nesterov"] else b
                p.copy_(p - group["lr"] * g)
        return loss


class RMSprop(torch.optim.Optimizer):
    """RMSProp (not centered, no momentum)."""

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
            a = group["alpha"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad + group["weight_decay"] * p
                state = self.state[p]
                sq = state.get("square_avg", torch.zeros_like(p))
                sq = a * sq + (1 - a) * g * g
                state["square_avg"] = sq
                state["step"] = state.get("step", 0) + 1
                p.copy_(p - group["lr"] * g / (torch.sqrt(sq) + group["eps"]))
        return loss


class Adam(torch.optim.Optimizer):
    """Adam (no amsgrad), bias corrections folded into the step size (Kingma & Ba,
    end of Section 2): alpha_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t) and
    eps_hat = eps * sqrt(1 - beta2^t), which is exactly the textbook update."""

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
                g = p.grad + group["weight_decay"] * p
                state = self.state[p]
                t = state.get("step", 0) + 1
                m = b1 * state.get("exp_avg", torch.zeros_like(p)) + (1 - b1) * g
                v = b2 * state.get("exp_avg_sq", torch.zeros_like(p)) + (1 - b2) * g * g
                state.update(step=t, exp_avg=m, exp_avg_sq=v)

                c2 = math.sqrt(1 - b2 ** t)
                alpha_t = group["lr"] * c2 / (1 - b1 ** t)
                eps_hat = group["eps"] * c2
                p.copy_(p - alpha_t * m / (v.sqrt() + eps_hat))
        return loss


def _fans(tensor):
    if tensor.dim() < 2:
        raise ValueError("need at least a 2-D tensor")
    receptive = tensor[0][0].numel() if tensor.dim() > 2 else 1
    return tensor.size(1) * receptive, tensor.size(0) * receptive


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = _fans(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        tensor.uniform_(-bound, bound)
    return tensor


_GAINS = {"linear": 1.0, "sigmoid": 1.0, "conv1d": 1.0, "conv2d": 1.0, "conv3d": 1.0,
          "conv_transpose1d": 1.0, "conv_transpose2d": 1.0, "conv_transpose3d": 1.0,
          "tanh": 5.0 / 3.0, "relu": math.sqrt(2.0), "selu": 0.75}


def kaiming_normal_(tensor, a=0.0, nonlinearity="relu"):
    if nonlinearity == "leaky_relu":
        gain = math.sqrt(2.0 / (1.0 + a * a))
    else:
        gain = _GAINS[nonlinearity]
    fan_in, _ = _fans(tensor)
    with torch.no_grad():
        tensor.normal_(0.0, gain / math.sqrt(fan_in))
    return tensor


def orthogonal_(tensor, gain=1.0):
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    wide = rows < cols
    a = torch.randn((cols, rows) if wide else (rows, cols), dtype=torch.float64, device=tensor.device)
    q, r = torch.linalg.qr(a)
    q = q * torch.diagonal(r).sign().unsqueeze(0)
    if wide:
        q = q.T
    with torch.no_grad():
        tensor.view(rows, cols).copy_(gain * q)
    return tensor


class LinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias=None):
        ctx.save_for_backward(x, weight)
        ctx.has_bias = bias is not None
        if bias is None:
            return x @ weight.T
        return torch.addmm(bias, x, weight.T)

    @staticmethod
    def backward(ctx, grad_out):
        x, weight = ctx.saved_tensors
        grad_x = grad_out @ weight
        grad_w = grad_out.T @ x
        grad_b = grad_out.sum(dim=0) if ctx.has_bias else None
        return grad_x, grad_w, grad_b


class BatchNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, gamma, beta, eps=1e-5):
        mu = x.mean(0, keepdim=True)
        xc = x - mu
        var = (xc * xc).mean(0, keepdim=True)
        inv = 1.0 / torch.sqrt(var + eps)
        xhat = xc * inv
        ctx.save_for_backward(xhat, gamma, inv)
        return gamma * xhat + beta

    @staticmethod
    def backward(ctx, grad_out):
        xhat, gamma, inv = ctx.saved_tensors
        n = grad_out.shape[0]
        dgamma = (grad_out * xhat).sum(0)
        dbeta = grad_out.sum(0)
        dx = (gamma * inv / n) * (n * grad_out - grad_out.sum(0, keepdim=True)
                                  - xhat * (grad_out * xhat).sum(0, keepdim=True))
        return dx, dgamma, dbeta, None
