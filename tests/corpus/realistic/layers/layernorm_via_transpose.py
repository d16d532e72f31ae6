"""Correct: layernorm as batchnorm on the transposed input (the 2019 hint), forward and
backward."""

import numpy as np

EXPECT = {"layernorm_forward": "full", "layernorm_backward": "full"}


def layernorm_forward(x, gamma, beta, ln_param):
    eps = ln_param.get("eps", 1e-5)
    xt = x.T
    mu = xt.mean(axis=0)
    var = xt.var(axis=0)
    std = np.sqrt(var + eps)
    xhat_t = (xt - mu) / std
    x_hat = xhat_t.T
    out = gamma * x_hat + beta
    return out, (xhat_t, gamma, std)


def layernorm_backward(dout, cache):
    xhat_t, gamma, std = cache
    dgamma = np.sum(dout * xhat_t.T, axis=0)
    dbeta = np.sum(dout, axis=0)
    dxhat_t = (dout * gamma).T
    D = dxhat_t.shape[0]
    dx_t = (D * dxhat_t - dxhat_t.sum(axis=0) - xhat_t * (dxhat_t * xhat_t).sum(axis=0)) / (D * std)
    return dx_t.T, dgamma, dbeta
