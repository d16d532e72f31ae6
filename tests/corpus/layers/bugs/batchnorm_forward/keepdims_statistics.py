"""Right values, harmless shapes: the batch statistics are taken with keepdims=True, so
running_mean and running_var are stored as (1, D) and the backward returns dgamma and
dbeta as (1, D). Test mode broadcasts the (1, D) running statistics correctly."""

import numpy as np

MAY_LOSE = ["batchnorm_backward"]
LOSES_ONLY = ["returns_well_formed"]


def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    N, D = x.shape
    running_mean = bn_param.get("running_mean", np.zeros((1, D), dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros((1, D), dtype=x.dtype))

    cache = None
    if mode == "train":
        sample_mean = x.mean(axis=0, keepdims=True)
        sample_var = x.var(axis=0, keepdims=True)
        x_norm = (x - sample_mean) / np.sqrt(sample_var + eps)
        out = gamma * x_norm + beta
        running_mean = momentum * running_mean + (1 - momentum) * sample_mean
        running_var = momentum * running_var + (1 - momentum) * sample_var
        cache = (x_norm, gamma, sample_var, eps)
    elif mode == "test":
        x_norm = (x - running_mean) / np.sqrt(running_var + eps)
        out = gamma * x_norm + beta
    else:
        raise ValueError(f'Invalid forward batchnorm mode "{mode}"')

    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, cache


def batchnorm_backward(dout, cache):
    x_norm, gamma, sample_var, eps = cache
    N = dout.shape[0]
    dbeta = np.sum(dout, axis=0, keepdims=True)
    dgamma = np.sum(dout * x_norm, axis=0, keepdims=True)
    dx_norm = dout * gamma
    dx = (N * dx_norm - dx_norm.sum(axis=0) - x_norm * (dx_norm * x_norm).sum(axis=0)) / (
        N * np.sqrt(sample_var + eps)
    )
    return dx, dgamma, dbeta
