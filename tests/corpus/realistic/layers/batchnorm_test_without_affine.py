"""Test mode returns the normalized input and forgets gamma and beta."""

import numpy as np

EXPECT = {"batchnorm_forward": "lose", "batchnorm_backward": "full"}
MISTAKE = {"batchnorm_forward": "test-mode-no-affine"}


def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    N, D = x.shape
    running_mean = bn_param.get("running_mean", np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(D, dtype=x.dtype))
    cache = None
    if mode == "train":
        mu = x.mean(axis=0)
        var = x.var(axis=0)
        std = np.sqrt(var + eps)
        x_norm = (x - mu) / std
        out = gamma * x_norm + beta
        cache = (x_norm, gamma, std)
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
    else:
        out = (x - running_mean) / np.sqrt(running_var + eps)
    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, cache


def batchnorm_backward(dout, cache):
    x_norm, gamma, std = cache
    N = dout.shape[0]
    dgamma = np.sum(dout * x_norm, axis=0)
    dbeta = np.sum(dout, axis=0)
    dx_norm = dout * gamma
    dx = (N * dx_norm - dx_norm.sum(axis=0) - x_norm * (dx_norm * x_norm).sum(axis=0)) / (N * std)
    return dx, dgamma, dbeta
