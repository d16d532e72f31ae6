"""PyTorch versions of the course's optimizers, initializers and two layers.

Each object has the semantics of its `torch.optim` / `torch.nn.init` / `torch.nn.functional`
counterpart (the grader compares against both), written with ordinary tensor operations.
Everything must work on CPU and CUDA tensors of any floating dtype.
"""

import math

import torch


class SGD(torch.optim.Optimizer):
    """Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay,
    like `torch.optim.SGD` with dampening 0.
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
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad.add(p, alpha=group["weight_decay"])
                if group["momentum"] != 0:
                    state = self.state[p]
                    if "momentum_buffer" in state:
                        buf = state["momentum_buffer"]
                        buf.mul_(group["momentum"]).add_(grad)
                    else:
                        buf = state["momentum_buffer"] = grad.clone()
                    if group["nesterov"]:
                        grad = grad.add(buf, alpha=group["momentum"])
                    else:
                        grad = buf
                p.add_(grad, alpha=-group["lr"])
        return loss


class RMSprop(torch.optim.Optimizer):
    """RMSProp like `torch.optim.RMSprop` (not centered, no momentum)."""

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
                grad = p.grad.add(p, alpha=group["weight_decay"])
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = 0
                    state["square_avg"] = torch.zeros_like(p)
                state["step"] += 1
                square_avg = state["square_avg"]
                square_avg.mul_(group["alpha"]).addcmul_(grad, grad, value=1 - group["alpha"])
                p.addcdiv_(grad, square_avg.sqrt().add_(group["eps"]), value=-group["lr"])
        return loss


class Adam(torch.optim.Optimizer):
    """Adam like `torch.optim.Adam` (no amsgrad; weight decay added to the gradient)."""

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
                grad = p.grad
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = 0
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                state["step"] += 1
                t = state["step"]
                exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
                exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
                exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                denom = (exp_avg_sq / (1 - beta2 ** t)).sqrt().add_(group["eps"])
                p.addcdiv_(exp_avg, denom, value=-group["lr"] / (1 - beta1 ** t))
                # weight decay
                if group["weight_decay"] != 0:
                    p.mul_(1 - group["lr"] * group["weight_decay"])
        return loss


def _fans(tensor):
    rf = math.prod(tensor.shape[2:]) if tensor.dim() > 2 else 1
    return tensor.shape[1] * rf, tensor.shape[0] * rf


def xavier_uniform_(tensor, gain=1.0):
    """Fill `tensor` in place with U(-b, b), b = gain * sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = _fans(tensor)
    b = gain * math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        tensor.uniform_(-b, b)
    return tensor


def kaiming_normal_(tensor, a=0.0, nonlinearity="relu"):
    """Fill `tensor` in place with N(0, std^2), std = gain / sqrt(fan_in)."""
    if nonlinearity == "relu":
        gain = math.sqrt(2.0)
    elif nonlinearity == "leaky_relu":
        gain = math.sqrt(2.0 / (1 + a))
    elif nonlinearity == "tanh":
        gain = 5.0 / 3
    elif nonlinearity == "selu":
        gain = 3.0 / 4
    else:
        gain = 1.0
    fan_in, _ = _fans(tensor)
    std = gain / math.sqrt(fan_in)
    with torch.no_grad():
        tensor.normal_(0, std)
    return tensor


def orthogonal_(tensor, gain=1.0):
    """Fill `tensor` in place with gain times a (semi-)orthogonal matrix."""
    rows = tensor.size(0)
    cols = tensor.numel() // rows
    flattened = torch.randn(rows, cols, dtype=torch.float64, device=tensor.device)
    if rows < cols:
        flattened = flattened.t()
    q, r = torch.linalg.qr(flattened)
    q *= torch.diag(r).sign()
    if rows < cols:
        q = q.t()
    with torch.no_grad():
        tensor.copy_(q.reshape(tensor.shape)).mul_(gain)
    return tensor


class LinearFunction(torch.autograd.Function):
    """y = x @ weight.T + bias (F.linear), backward written by hand."""

    @staticmethod
    def forward(ctx, x, weight, bias=None):
        ctx.save_for_backward(x, weight, bias)
        output = x.mm(weight.t())
        if bias is not None:
            output = output + bias
        return output

    @staticmethod
    def backward(ctx, grad_out):
        x, weight, bias = ctx.saved_tensors
        grad_x = grad_out.mm(weight)
        grad_w = grad_out.t().mm(x)
        grad_b = grad_out.sum(0) if bias is not None else None
        return grad_x, grad_w, grad_b


class BatchNormFunction(torch.autograd.Function):
    """Training-mode batch normalization of x (N, D) (F.batch_norm with training=True):
    out = gamma * (x - mean) / sqrt(var + eps) + beta with the batch mean and the biased
    batch variance; backward written by hand (no gradient for eps)."""

    @staticmethod
    def forward(ctx, x, gamma, beta, eps=1e-5):
        raise NotImplementedError("forward")

    @staticmethod
    def backward(ctx, grad_out):
        raise NotImplementedError("backward")
