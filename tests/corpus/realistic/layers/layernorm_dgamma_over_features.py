"""Layernorm backward that sums dgamma and dbeta over the features (axis 1)."""

import numpy as np

EXPECT = {"layernorm_forward": "full", "layernorm_backward": "lose"}
MISTAKE = {"layernorm_backward": "dgamma-dbeta-over-features"}


def layernorm_forward(x, gamma, beta, ln_param):
    eps = ln_param.get("eps", 1e-5)
    mu = x.mean(axis=1, keepdims=True)
    xc = x - mu
    std = np.sqrt((xc**2).mean(axis=1, keepdims=True) + eps)
    x_hat = xc / std
    return gamma * x_hat + beta, (x_hat, gamma, std)


def layernorm_backward(dout, cache):
    x_hat, gamma, std = cache
    D = dout.shape[1]
    dxhat = dout * gamma
    dx = (
        D * dxhat
        - dxhat.sum(axis=1, keepdims=True)
        - x_hat * (dxhat * x_hat).sum(axis=1, keepdims=True)
    ) / (D * std)
    dgamma = np.sum(dout * x_hat, axis=1)
    dbeta = np.sum(dout, axis=1)
    return dx, dgamma, dbeta
