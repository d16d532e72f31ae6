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
        raise NotImplementedError("step")


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
        raise NotImplementedError("step")


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
        raise NotImplementedError("step")


def xavier_uniform_(tensor, gain=1.0):
    """Fill `tensor` in place with U(-b, b), b = gain * sqrt(6 / (fan_in + fan_out)), where
    for a weight of shape (out, in, *kernel) fan_in = in * prod(kernel) and
    fan_out = out * prod(kernel); return the tensor."""
    raise NotImplementedError("xavier_uniform_")


def kaiming_normal_(tensor, a=0.0, nonlinearity="relu"):
    """Fill `tensor` in place with N(0, std²), std = gain / sqrt(fan_in) (mode fan_in), where
    gain is sqrt(2) for relu, sqrt(2 / (1 + a²)) for leaky_relu, 1 for linear/sigmoid/conv,
    5/3 for tanh (as torch.nn.init.calculate_gain); return the tensor."""
    raise NotImplementedError("kaiming_normal_")


def orthogonal_(tensor, gain=1.0):
    """Fill `tensor` in place with gain times a (semi-)orthogonal matrix, viewing it as
    (shape[0], numel / shape[0]): orthonormal rows if it is wide, orthonormal columns if
    tall (QR of a Gaussian matrix, signs fixed by diag(R)); return the tensor."""
    raise NotImplementedError("orthogonal_")


class LinearFunction(torch.autograd.Function):
    """y = x @ weight.T + bias (F.linear) for x (N, in), weight (out, in), bias (out,) or
    None, with the backward pass written by hand."""

    @staticmethod
    def forward(ctx, x, weight, bias=None):
        raise NotImplementedError("forward")

    @staticmethod
    def backward(ctx, grad_out):
        raise NotImplementedError("backward")


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
