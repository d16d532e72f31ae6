"""Normalizes each sample's channel over H, W only (instance norm) instead of over N, H, W."""

import numpy as np


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    n, c, h, w = x.shape
    running_mean = bn_param.get("running_mean", np.zeros(c))
    running_var = bn_param.get("running_var", np.zeros(c))
    g = gamma.reshape(1, c, 1, 1)
    bt = beta.reshape(1, c, 1, 1)
    if mode == "train":
        mu = x.mean(axis=(2, 3), keepdims=True)
        var = x.var(axis=(2, 3), keepdims=True)
        out = g * (x - mu) / np.sqrt(var + eps) + bt
        running_mean = momentum * running_mean + (1 - momentum) * mu.mean(axis=(0, 2, 3))
        running_var = momentum * running_var + (1 - momentum) * var.mean(axis=(0, 2, 3))
    elif mode == "test":
        rm = running_mean.reshape(1, c, 1, 1)
        rv = running_var.reshape(1, c, 1, 1)
        out = g * (x - rm) / np.sqrt(rv + eps) + bt
    else:
        raise ValueError(f"Invalid forward batchnorm mode {mode}")
    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var

    # the cache is what the backward pass expects (channels-last rows)
    x2d = x.transpose(0, 2, 3, 1).reshape(-1, c)
    if mode == "train":
        xmu = x2d - x2d.mean(axis=0)
        var2d = np.mean(xmu**2, axis=0)
        sqrtvar = np.sqrt(var2d + eps)
        nodes = {"n": x2d.shape[0], "xmu": xmu, "var": var2d, "sqrtvar": sqrtvar}
        nodes.update(ivar=1 / sqrtvar, eps=eps)
        bn_cache = {"mode": "train", "xhat": xmu / sqrtvar, "gamma": gamma, "nodes": nodes}
    else:
        scale = 1 / np.sqrt(running_var + eps)
        xhat = (x2d - running_mean) * scale
        bn_cache = {"mode": "test", "xhat": xhat, "gamma": gamma, "nodes": {"test_scale": scale}}
    return out, {"bn": bn_cache, "shape": (n, c, h, w)}
