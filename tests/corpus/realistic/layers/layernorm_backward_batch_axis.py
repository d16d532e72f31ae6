"""Layernorm written from the batchnorm code: the forward is right (axis=1), the backward
kept the batchnorm sums over axis 0."""

import numpy as np

EXPECT = {"layernorm_forward": "full", "layernorm_backward": "lose"}
MISTAKE = {"layernorm_backward": "batchnorm-axis"}


def layernorm_forward(x, gamma, beta, ln_param):
    eps = ln_param.get("eps", 1e-5)
    mu = np.mean(x, axis=1, keepdims=True)
    var = np.var(x, axis=1, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv_std
    out = gamma * x_hat + beta
    return out, (x_hat, gamma, inv_std)


def layernorm_backward(dout, cache):
    x_hat, gamma, inv_std = cache
    N = dout.shape[0]
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * x_hat, axis=0)
    dx = (
        (1.0 / N)
        * gamma
        * inv_std
        * (N * dout - np.sum(dout, axis=0) - x_hat * np.sum(dout * x_hat, axis=0))
    )
    return dx, dgamma, dbeta
