"""Returns the weight gradient as x.T @ grad_out, the transpose of weight's shape."""

import torch

MISTAKE = "weight-grad-transposed"
MAY_LOSE = ["training_run"]  # autograd rejects the wrong shape in the timed training step


class LinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias=None):
        ctx.save_for_backward(x, weight)
        return x @ weight.t() + bias

    @staticmethod
    def backward(ctx, grad_out):
        x, weight = ctx.saved_tensors
        return grad_out @ weight, x.t() @ grad_out, grad_out.sum(0)
