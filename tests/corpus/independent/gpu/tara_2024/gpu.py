"""PyTorch versions of the course's optimizers, initializers and two layers.

Tara, 2024. Batch norm backward is done the "computational graph" way from the
CS231n notes (one small node at a time) because that is what I could debug.
"""

import math

import torch


def _grad_with_weight_decay(p, weight_decay):
    g = p.grad
    if weight_decay != 0:
        g = g.add(p, alpha=weight_decay)
    return g


class SGD(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, momentum=0.0, nesterov=False, weight_decay=0.0):
        if lr < 0.0 or momentum < 0.0 or weight_decay < 0.0:
            raise ValueError("lr, momentum and weight_decay must be non-negative")
        if nesterov and momentum <= 0.0:
            raise ValueError("nesterov momentum requires a positive momentum")
        defaults = {"lr": lr, "momentum": momentum, "nesterov": nesterov}
        super().__init__(params, {**defaults, "weight_decay": weight_decay})

    def _update(self, p, group):
        g = _grad_with_weight_decay(p, group["weight_decay"])
        mu = group["momentum"]
        if mu != 0:
            state = self.state[p]
            if state.get("momentum_buffer") is None:
                state["momentum_buffer"] = g.clone()
            else:
                state["momentum_buffer"].mul_(mu).add_(g)
            buf = state["momentum_buffer"]
            g = g.add(buf, alpha=mu) if group["nesterov"] else buf
        p.add_(g, alpha=-group["lr"])

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    self._update(p, group)
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
                g = _grad_with_weight_decay(p, group["weight_decay"])
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["square_avg"] = torch.zeros_like(p)
                state["step"] += 1
                sa = state["square_avg"]
                sa.mul_(group["alpha"]).addcmul_(g, g, value=1 - group["alpha"])
                p.addcdiv_(g, sa.sqrt().add_(group["eps"]), value=-group["lr"])
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
                g = _grad_with_weight_decay(p, group["weight_decay"])
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                state["step"] += 1
                t = state["step"]
                # m <- m + (1 - beta1) (g - m)  ==  beta1 m + (1 - beta1) g
                state["exp_avg"].lerp_(g, 1 - beta1)
                state["exp_avg_sq"].mul_(beta2).addcmul_(g, g, value=1 - beta2)
                m_hat = state["exp_avg"] / (1 - beta1 ** t)
                v_hat = state["exp_avg_sq"] / (1 - beta2 ** t)
                p.addcdiv_(m_hat, v_hat.sqrt().add_(group["eps"]), value=-group["lr"])
        return loss


def _fans(tensor):
    dims = tensor.dim()
    if dims < 2:
        raise ValueError("need a tensor with at least 2 dimensions")
    receptive_field_size = 1
    if dims > 2:
        for s in tensor.shape[2:]:
            receptive_field_size *= s
    return tensor.size(1) * receptive_field_size, tensor.size(0) * receptive_field_size


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = _fans(tensor)
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        tensor.uniform_(-a, a)
    return tensor


_GAIN = {
    "linear": lambda a: 1.0,
    "sigmoid": lambda a: 1.0,
    "conv1d": lambda a: 1.0,
    "conv2d": lambda a: 1.0,
    "conv3d": lambda a: 1.0,
    "conv_transpose1d": lambda a: 1.0,
    "conv_transpose2d": lambda a: 1.0,
    "conv_transpose3d": lambda a: 1.0,
    "tanh": lambda a: 5.0 / 3,
    "relu": lambda a: math.sqrt(2.0),
    "leaky_relu": lambda a: math.sqrt(2.0 / (1 + a ** 2)),
    "selu": lambda a: 3.0 / 4,
}


def kaiming_normal_(tensor, a=0.0, nonlinearity="relu"):
    fan_in, _ = _fans(tensor)
    std = _GAIN[nonlinearity](a) / math.sqrt(fan_in)
    with torch.no_grad():
        tensor.normal_(0, std)
    return tensor


def orthogonal_(tensor, gain=1.0):
    rows = tensor.size(0)
    cols = tensor.numel() // rows
    n, m = max(rows, cols), min(rows, cols)
    q, r = torch.linalg.qr(torch.randn(n, m, dtype=torch.float64, device=tensor.device))
    q = q * torch.diag(r).sign()
    if rows < cols:
        q = q.t()
    with torch.no_grad():
        tensor.copy_(q.reshape(tensor.shape)).mul_(gain)
    return tensor


class LinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias=None):
        ctx.save_for_backward(x, weight, bias)
        y = torch.matmul(x, weight.transpose(0, 1))
        if bias is not None:
            y = y + bias
        return y

    @staticmethod
    def backward(ctx, grad_out):
        x, weight, bias = ctx.saved_tensors
        need_x, need_w = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        dx = torch.matmul(grad_out, weight) if need_x else None
        dw = torch.matmul(grad_out.transpose(0, 1), x) if need_w else None
        db = grad_out.sum(0) if bias is not None and ctx.needs_input_grad[2] else None
        return dx, dw, db


class BatchNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, gamma, beta, eps=1e-5):
        n = x.shape[0]
        mu = x.sum(0) / n
        xmu = x - mu
        sq = xmu ** 2
        var = sq.sum(0) / n
        sqrtvar = torch.sqrt(var + eps)
        ivar = 1.0 / sqrtvar
        xhat = xmu * ivar
        out = gamma * xhat + beta
        ctx.save_for_backward(xhat, gamma, xmu, ivar, sqrtvar)
        return out

    @staticmethod
    def backward(ctx, dout):
        xhat, gamma, xmu, ivar, sqrtvar = ctx.saved_tensors
        n = dout.shape[0]
        dbeta = dout.sum(0)
        dgamma = (dout * xhat).sum(0)
        dxhat = dout * gamma
        divar = (dxhat * xmu).sum(0)
        dxmu1 = dxhat * ivar
        dsqrtvar = -1.0 / (sqrtvar ** 2) * divar
        dvar = 0.5 / sqrtvar * dsqrtvar
        dsq = torch.ones_like(dout) * dvar / n
        dxmu2 = 2 * xmu * dsq
        dx1 = dxmu1 + dxmu2
        dmu = -dx1.sum(0)
        dx2 = torch.ones_like(dout) * dmu / n
        dx = dx1 + dx2
        return dx, dgamma, dbeta, None
