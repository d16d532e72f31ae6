"""A stand-alone spatial batchnorm whose test mode divides by sqrt(running_var) + eps."""

import numpy as np

EXPECT = {"spatial_batchnorm_forward": "lose", "spatial_batchnorm_backward": "full"}
MISTAKE = {"spatial_batchnorm_forward": "eps-outside-sqrt"}


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    N, C, H, W = x.shape
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    running_mean = bn_param.get("running_mean", np.zeros(C))
    running_var = bn_param.get("running_var", np.zeros(C))
    g = gamma.reshape(1, C, 1, 1)
    b = beta.reshape(1, C, 1, 1)
    cache = None
    if mode == "train":
        mu = x.mean(axis=(0, 2, 3), keepdims=True)
        var = x.var(axis=(0, 2, 3), keepdims=True)
        std = np.sqrt(var + eps)
        x_hat = (x - mu) / std
        out = g * x_hat + b
        running_mean = momentum * running_mean + (1 - momentum) * mu.ravel()
        running_var = momentum * running_var + (1 - momentum) * var.ravel()
        cache = (x_hat, g, std)
    else:
        rm = running_mean.reshape(1, C, 1, 1)
        rv = running_var.reshape(1, C, 1, 1)
        out = g * (x - rm) / (np.sqrt(rv) + eps) + b
    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, cache


def spatial_batchnorm_backward(dout, cache):
    x_hat, g, std = cache
    M = dout.shape[0] * dout.shape[2] * dout.shape[3]
    dbeta = dout.sum(axis=(0, 2, 3))
    dgamma = (dout * x_hat).sum(axis=(0, 2, 3))
    dxh = dout * g
    dx = (
        M * dxh
        - dxh.sum(axis=(0, 2, 3), keepdims=True)
        - x_hat * (dxh * x_hat).sum(axis=(0, 2, 3), keepdims=True)
    ) / (M * std)
    return dx, dgamma, dbeta
