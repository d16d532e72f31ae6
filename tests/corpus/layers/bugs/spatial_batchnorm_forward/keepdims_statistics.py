"""Right values, harmless shapes: statistics over (N, H, W) with keepdims=True, so the
running statistics are stored as (1, C, 1, 1) and dgamma, dbeta come back as
(1, C, 1, 1); every value is right and test mode broadcasts."""

import numpy as np

MAY_LOSE = ["spatial_batchnorm_backward"]
LOSES_ONLY = ["returns_well_formed"]


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    C = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(C)).reshape(1, C, 1, 1)
    running_var = bn_param.get("running_var", np.zeros(C)).reshape(1, C, 1, 1)
    g = gamma.reshape(1, C, 1, 1)
    b = beta.reshape(1, C, 1, 1)
    if mode == "train":
        mu = np.mean(x, axis=(0, 2, 3), keepdims=True)
        var = np.var(x, axis=(0, 2, 3), keepdims=True)
        std = np.sqrt(var + eps)
        xhat = (x - mu) / std
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
        cache = (xhat, g, std)
    else:
        xhat = (x - running_mean) / np.sqrt(running_var + eps)
        cache = None
    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return g * xhat + b, cache


def spatial_batchnorm_backward(dout, cache):
    xhat, g, std = cache
    m = dout.shape[0] * dout.shape[2] * dout.shape[3]
    dbeta = dout.sum(axis=(0, 2, 3), keepdims=True)
    dgamma = (dout * xhat).sum(axis=(0, 2, 3), keepdims=True)
    dxhat = dout * g
    dx = (
        dxhat
        - dxhat.sum(axis=(0, 2, 3), keepdims=True) / m
        - xhat * (dxhat * xhat).sum(axis=(0, 2, 3), keepdims=True) / m
    ) / std
    return dx, dgamma, dbeta
