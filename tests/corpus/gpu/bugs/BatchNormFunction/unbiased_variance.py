"""Normalizes with the unbiased variance (torch.var's default), not the biased one."""

import torch

MISTAKE = "unbiased-variance"


class BatchNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, gamma, beta, eps=1e-5):
        mean = x.mean(0)
        std = torch.sqrt(x.var(0) + eps)
        xhat = (x - mean) / std
        ctx.save_for_backward(xhat, gamma, std)
        return gamma * xhat + beta

    @staticmethod
    def backward(ctx, grad_out):
        xhat, gamma, std = ctx.saved_tensors
        n = grad_out.shape[0]
        dxhat = grad_out * gamma
        dx = (n * dxhat - dxhat.sum(0) - xhat * (dxhat * xhat).sum(0)) / (n * std)
        return dx, (grad_out * xhat).sum(0), grad_out.sum(0), None
