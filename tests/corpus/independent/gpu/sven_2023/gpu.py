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
        """One update of every parameter that has a gradient; returns closure() if given."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()

        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            for p in params:
                g = p.grad
                if group["weight_decay"]:
                    g = g + group["weight_decay"] * p
                mu = group["momentum"]
                if mu:
                    st = self.state[p]
                    if "momentum_buffer" not in st:
                        st["momentum_buffer"] = g.detach().clone()
                    else:
                        st["momentum_buffer"].mul_(mu).add_(g)
                    buf = st["momentum_buffer"]
                    step = g + mu * buf if group["nesterov"] else buf
                else:
                    step = g
                p.sub_(group["lr"] * step)
        return loss


class RMSprop(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0):
        if lr < 0.0 or eps < 0.0 or weight_decay < 0.0 or not alpha >= 0.0:
            raise ValueError("lr, alpha, eps and weight_decay must be non-negative")
        defaults = {"lr": lr, "alpha": alpha, "eps": eps, "weight_decay": weight_decay}
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns closure() if given."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()

        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad
                if group["weight_decay"]:
                    g = g + group["weight_decay"] * p
                st = self.state[p]
                st.setdefault("step", 0)
                st.setdefault("square_avg", torch.zeros_like(p))
                st["step"] += 1
                sq = st["square_avg"]
                sq.mul_(group["alpha"]).addcmul_(g, g, value=1 - group["alpha"])
                p.addcdiv_(g, torch.sqrt(sq).add(group["eps"]), value=-group["lr"])
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
        """One update of every parameter that has a gradient; returns closure() if given."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()

        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad
                if group["weight_decay"]:
                    g = g + group["weight_decay"] * p
                st = self.state[p]
                st.setdefault("step", 0)
                st.setdefault("exp_avg", torch.zeros_like(p))
                st.setdefault("exp_avg_sq", torch.zeros_like(p))
                st["step"] += 1
                t = st["step"]
                m, v = st["exp_avg"], st["exp_avg_sq"]
                m.mul_(beta1).add_((1 - beta1) * g)
                v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
                m_hat = m / (1 - beta1 ** t)
                v_hat = v / (1 - beta2 ** t)
                p.sub_(group["lr"] * m_hat / (v_hat.sqrt() + group["eps"]))
        return loss


def _fan_in_fan_out(tensor):
    if tensor.ndim < 2:
        raise ValueError("fans are only defined for tensors with 2+ dimensions")
    rf = math.prod(tensor.shape[2:])
    return tensor.shape[1] * rf, tensor.shape[0] * rf


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = _fan_in_fan_out(tensor)
    b = gain * math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        return tensor.uniform_(-b, b)


def kaiming_normal_(tensor, a=0.0, nonlinearity="relu"):
    if nonlinearity in ("linear", "sigmoid") or nonlinearity.startswith("conv"):
        gain = 1.0
    elif nonlinearity == "tanh":
        gain = 5.0 / 3.0
    elif nonlinearity == "relu":
        gain = math.sqrt(2.0)
    elif nonlinearity == "leaky_relu":
        gain = math.sqrt(2.0 / (1 + a ** 2))
    elif nonlinearity == "selu":
        gain = 3.0 / 4.0
    else:
        raise ValueError("unsupported nonlinearity %r" % nonlinearity)
    fan_in, _ = _fan_in_fan_out(tensor)
    std = gain / math.sqrt(fan_in)
    with torch.no_grad():
        return tensor.normal_(mean=0.0, std=std)


def orthogonal_(tensor, gain=1.0):
    rows = tensor.size(0)
    cols = tensor.numel() // rows
    flat = torch.randn(rows, cols, dtype=torch.float64, device=tensor.device)
    if rows < cols:
        flat = flat.T
    q, r = torch.linalg.qr(flat)
    q = q * torch.sign(torch.diagonal(r))
    if rows < cols:
        q = q.T
    with torch.no_grad():
        tensor.copy_((gain * q).reshape(tensor.shape))
    return tensor


class LinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias=None):
        ctx.save_for_backward(x, weight, bias)
        out = x.matmul(weight.t())
        if bias is not None:
            out = out + bias
        return out

    @staticmethod
    def backward(ctx, grad_out):
        x, weight, bias = ctx.saved_tensors
        grad_x = grad_out.matmul(weight)
        grad_w = grad_out.t().matmul(x)
        grad_b = None if bias is None else grad_out.sum(0)
        return grad_x, grad_w, grad_b


class BatchNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, gamma, beta, eps=1e-5):
        xc = x - x.mean(0)
        var = xc.pow(2).mean(0)
        invstd = (var + eps).rsqrt()
        xhat = xc * invstd
        ctx.save_for_backward(xhat, gamma, invstd)
        return gamma * xhat + beta

    @staticmethod
    def backward(ctx, grad_out):
        xhat, gamma, invstd = ctx.saved_tensors
        dxhat = grad_out * gamma
        dx = invstd * (dxhat - dxhat.mean(0) - xhat * (dxhat * xhat).mean(0))
        return dx, (grad_out * xhat).sum(0), grad_out.sum(0), None
