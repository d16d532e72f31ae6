"""Known mistakes for the `gpu` assignment, as variants of :mod:`reference.gpu`.

Each variant is named exactly like the reference object it replaces (later definitions
shadow earlier ones at module level, which is intended: the registry keeps every variant,
in definition order). Optimizer and autograd Function variants subclass the reference and
rewrite only the method the mistake lives in. The grader drives them in its own process, on
the CPU, on the evidence of the failed check, and names one that reproduces the student's
values: an optimizer's whole trajectory, a Function's forward output or what its backward
returns (exact); an initializer's fills as a distribution (likely) or by their singular
values (exact where they do not depend on the draw; likely for ``no-qr``, whose random
matrix has a spectrum that does).
"""

import math

import torch

from reference import gpu as ref
from reference.mistakes import mistake

# ----------------------------------------------------------------------------------------
# private helpers (this module is never shown to students)
# ----------------------------------------------------------------------------------------


def _undecayed_gradients(optimizer):
    """(group, parameter, gradient) for each parameter with a gradient, no weight decay."""
    for group in optimizer.param_groups:
        for p in group["params"]:
            if p.grad is not None:
                yield group, p, p.grad


def _momentum_step(group, state, g, dampening=0.0, from_zeros=False):
    """SGD's step direction by the reference's rule, except that the buffer is updated as
    b = momentum * b + (1 - dampening) * g, starting from g or (`from_zeros`) from zeros."""
    momentum = group["momentum"]
    if not momentum:
        return g
    buffer = state.get("momentum_buffer")
    if buffer is None and from_zeros:
        buffer = torch.zeros_like(g)
    buffer = g.clone() if buffer is None else momentum * buffer + (1 - dampening) * g
    state["momentum_buffer"] = buffer
    return g + momentum * buffer if group["nesterov"] else buffer


def _moments(optimizer, group, p, g):
    """Adam's moving averages m, v updated with g (in the state, as the reference), and t."""
    (beta1, beta2), state = group["betas"], optimizer.state[p]
    if not state:
        state["step"] = torch.tensor(0.0)
        state["exp_avg"] = torch.zeros_like(p)
        state["exp_avg_sq"] = torch.zeros_like(p)
    state["step"] += 1
    state["exp_avg"] = beta1 * state["exp_avg"] + (1 - beta1) * g
    state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1 - beta2) * g * g
    return state["exp_avg"], state["exp_avg_sq"], float(state["step"])


def _gain(nonlinearity, a):
    gains = {"relu": math.sqrt(2.0), "leaky_relu": math.sqrt(2.0 / (1 + a**2)), "tanh": 5.0 / 3}
    return gains.get(nonlinearity, 1.0)


def _normal_(tensor, std):
    with torch.no_grad():
        return tensor.normal_(0.0, std)


def _uniform_(tensor, bound):
    with torch.no_grad():
        return tensor.uniform_(-bound, bound)


# ----------------------------------------------------------------------------------------
# SGD
# ----------------------------------------------------------------------------------------


@mistake(
    "nesterov-ignored",
    "accepts nesterov=True but always steps along the momentum buffer b; with Nesterov "
    "momentum the step is g + momentum * b.",
)
class SGD(ref.SGD):
    @torch.no_grad()
    def step(self, closure=None):
        loss = ref._evaluate(closure)
        for group, p, g in ref._gradients(self):
            plain = {**group, "nesterov": False}
            p -= group["lr"] * _momentum_step(plain, self.state[p], g)
        return loss


@mistake(
    "weight-decay-ignored",
    "never adds weight_decay * p to the gradient; with weight decay (L2), SGD steps with "
    "g = p.grad + weight_decay * p.",
)
class SGD(ref.SGD):  # noqa: F811
    @torch.no_grad()
    def step(self, closure=None):
        loss = ref._evaluate(closure)
        for group, p, g in _undecayed_gradients(self):
            p -= group["lr"] * _momentum_step(group, self.state[p], g)
        return loss


@mistake(
    "dampened-momentum",
    "keeps the momentum buffer as a moving average, b = momentum * b + (1 - momentum) * g "
    "starting from zeros; torch.optim.SGD (dampening 0) starts with b = g and then adds the "
    "whole gradient: b = momentum * b + g.",
)
class SGD(ref.SGD):  # noqa: F811
    @torch.no_grad()
    def step(self, closure=None):
        loss = ref._evaluate(closure)
        for group, p, g in ref._gradients(self):
            direction = _momentum_step(group, self.state[p], g, group["momentum"], True)
            p -= group["lr"] * direction
        return loss


@mistake(
    "dampened-momentum",
    "updates the momentum buffer with b = momentum * b + (1 - momentum) * g (dampening equal "
    "to momentum); torch.optim.SGD with dampening 0 adds the whole gradient: "
    "b = momentum * b + g.",
)
class SGD(ref.SGD):  # noqa: F811
    @torch.no_grad()
    def step(self, closure=None):
        loss = ref._evaluate(closure)
        for group, p, g in ref._gradients(self):
            p -= group["lr"] * _momentum_step(group, self.state[p], g, group["momentum"])
        return loss


# ----------------------------------------------------------------------------------------
# RMSprop
# ----------------------------------------------------------------------------------------


@mistake(
    "eps-inside-sqrt",
    "divides by sqrt(square_avg + eps) instead of sqrt(square_avg) + eps: eps is added "
    "after the square root.",
)
class RMSprop(ref.RMSprop):
    @torch.no_grad()
    def step(self, closure=None):
        loss = ref._evaluate(closure)
        for group, p, g in ref._gradients(self):
            alpha, state = group["alpha"], self.state[p]
            square_avg = alpha * state.get("square_avg", torch.zeros_like(p)) + (1 - alpha) * g * g
            state["square_avg"] = square_avg
            p -= group["lr"] * g / (square_avg + group["eps"]).sqrt()
        return loss


@mistake(
    "state-not-in-self-state",
    "keeps square_avg in an attribute of the optimizer instead of self.state[p]: "
    "state_dict() does not save it, so an optimizer rebuilt from a state_dict starts its "
    "averages again from zero; keep per-parameter state in self.state[p].",
)
class RMSprop(ref.RMSprop):  # noqa: F811
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.averages = {}

    @torch.no_grad()
    def step(self, closure=None):
        loss = ref._evaluate(closure)
        for group, p, g in ref._gradients(self):
            alpha = group["alpha"]
            square_avg = alpha * self.averages.get(p, torch.zeros_like(p)) + (1 - alpha) * g * g
            self.averages[p] = square_avg
            p -= group["lr"] * g / (square_avg.sqrt() + group["eps"])
        return loss


# ----------------------------------------------------------------------------------------
# Adam
# ----------------------------------------------------------------------------------------


@mistake(
    "no-bias-correction",
    "steps with the raw moving averages m and v; Adam corrects their bias towards zero: "
    "mhat = m / (1 - beta1**t), vhat = v / (1 - beta2**t).",
)
class Adam(ref.Adam):
    @torch.no_grad()
    def step(self, closure=None):
        loss = ref._evaluate(closure)
        for group, p, g in ref._gradients(self):
            m, v, _ = _moments(self, group, p, g)
            p -= group["lr"] * m / (v.sqrt() + group["eps"])
        return loss


@mistake(
    "decoupled-weight-decay",
    "decays the weights directly, p = p - lr * weight_decay * p, as AdamW does; Adam (like "
    "torch.optim.Adam) adds weight_decay * p to the gradient before the moving averages.",
)
class Adam(ref.Adam):  # noqa: F811
    @torch.no_grad()
    def step(self, closure=None):
        loss = ref._evaluate(closure)
        for group, p, g in _undecayed_gradients(self):
            (beta1, beta2), lr = group["betas"], group["lr"]
            p -= lr * group["weight_decay"] * p
            m, v, t = _moments(self, group, p, g)
            m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
            p -= lr * m_hat / (v_hat.sqrt() + group["eps"])
        return loss


# ----------------------------------------------------------------------------------------
# initializers
# ----------------------------------------------------------------------------------------


@mistake(
    "slides-bound",
    "uses the bound 6 / sqrt(fan_in + fan_out), a misprint of "
    "sqrt(6 / (fan_in + fan_out)): the square root covers the 6 too.",
)
def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = ref._fans(tensor)
    return _uniform_(tensor, gain * 6.0 / math.sqrt(fan_in + fan_out))


@mistake(
    "ignores-receptive-field",
    "takes fan_in and fan_out as shape[1] and shape[0] alone; for a conv weight "
    "(out, in, *kernel) both are multiplied by the kernel size prod(kernel).",
)
def xavier_uniform_(tensor, gain=1.0):  # noqa: F811
    fan_in, fan_out = tensor.shape[1], tensor.shape[0]
    return _uniform_(tensor, gain * math.sqrt(6.0 / (fan_in + fan_out)))


@mistake(
    "fan-out",
    "divides by sqrt(fan_out) (shape[0] times the kernel size); mode fan_in, the default, "
    "uses fan_in = shape[1] times the kernel size.",
)
def kaiming_normal_(tensor, a=0.0, nonlinearity="relu"):
    _, fan_out = ref._fans(tensor)
    return _normal_(tensor, _gain(nonlinearity, a) / math.sqrt(fan_out))


@mistake(
    "ignores-receptive-field",
    "takes fan_in as shape[1] alone; for a conv weight (out, in, *kernel) fan_in is "
    "in * prod(kernel).",
)
def kaiming_normal_(tensor, a=0.0, nonlinearity="relu"):  # noqa: F811
    return _normal_(tensor, _gain(nonlinearity, a) / math.sqrt(tensor.shape[1]))


@mistake(
    "leaky-gain-a-not-squared",
    "uses the leaky_relu gain sqrt(2 / (1 + a)); the gain is sqrt(2 / (1 + a²)), with the "
    "negative slope a squared.",
)
def kaiming_normal_(tensor, a=0.0, nonlinearity="relu"):  # noqa: F811
    gain = math.sqrt(2.0 / (1 + a)) if nonlinearity == "leaky_relu" else _gain(nonlinearity, a)
    fan_in, _ = ref._fans(tensor)
    return _normal_(tensor, gain / math.sqrt(fan_in))


@mistake(
    "ignores-gain",
    "never multiplies by gain: the matrix is orthogonal with norm 1; scale it by gain.",
)
def orthogonal_(tensor, gain=1.0):
    return ref.orthogonal_(tensor)


@mistake(
    "gain-squared",
    "multiplies by gain**2; the rows (or columns) of a gain-scaled orthogonal matrix have "
    "norm gain, so multiply by gain itself.",
)
def orthogonal_(tensor, gain=1.0):  # noqa: F811
    return ref.orthogonal_(tensor, gain**2)


@mistake(
    "no-qr",
    "fills the tensor with a random matrix (Gaussian, scaled by gain / sqrt(cols)) but never "
    "orthogonalizes it; take the Q factor of the QR decomposition of a Gaussian matrix "
    "(signs fixed by diag(R)) and multiply it by gain.",
)
def orthogonal_(tensor, gain=1.0):  # noqa: F811
    cols = tensor.numel() // tensor.shape[0]
    return _normal_(tensor, gain / math.sqrt(cols))


# ----------------------------------------------------------------------------------------
# autograd Functions
# ----------------------------------------------------------------------------------------


@mistake(
    "bias-grad-mean",
    "averages the bias gradient over the batch (grad_out.mean(0)); the bias is added to "
    "every example, so its gradient is the SUM grad_out.sum(0).",
)
class LinearFunction(ref.LinearFunction):
    @staticmethod
    def backward(ctx, grad_out):
        x, weight = ctx.saved_tensors
        grad_bias = grad_out.mean(dim=0) if ctx.has_bias else None
        return grad_out @ weight, grad_out.t() @ x, grad_bias


@mistake(
    "weight-grad-transposed",
    "returns the weight gradient as x.T @ grad_out, of shape (in, out); weight has shape "
    "(out, in), so its gradient is grad_out.T @ x.",
)
class LinearFunction(ref.LinearFunction):  # noqa: F811
    @staticmethod
    def backward(ctx, grad_out):
        x, weight = ctx.saved_tensors
        grad_bias = grad_out.sum(dim=0) if ctx.has_bias else None
        return grad_out @ weight, x.t() @ grad_out, grad_bias


@mistake(
    "missing-mean-term",
    "drops the gradient through the batch mean (the - dxhat.sum(0) term); every example "
    "moves the mean: dx = (n * dxhat - dxhat.sum(0) - xhat * (dxhat * xhat).sum(0)) / (n * std).",
)
class BatchNormFunction(ref.BatchNormFunction):
    @staticmethod
    def backward(ctx, grad_out):
        xhat, gamma, inv_std = ctx.saved_tensors
        n = grad_out.shape[0]
        dxhat = grad_out * gamma
        dx = (inv_std / n) * (n * dxhat - xhat * (dxhat * xhat).sum(0))
        return dx, (grad_out * xhat).sum(0), grad_out.sum(0), None


@mistake(
    "unbiased-variance",
    "normalizes with the unbiased variance (torch.var's default, dividing by N - 1); batch "
    "normalization uses the biased one: x.var(0, unbiased=False).",
)
class BatchNormFunction(ref.BatchNormFunction):  # noqa: F811
    @staticmethod
    def forward(ctx, x, gamma, beta, eps=1e-5):
        mean = x.mean(dim=0)
        inv_std = torch.rsqrt(x.var(dim=0) + eps)
        xhat = (x - mean) * inv_std
        ctx.save_for_backward(xhat, gamma, inv_std)
        return gamma * xhat + beta
