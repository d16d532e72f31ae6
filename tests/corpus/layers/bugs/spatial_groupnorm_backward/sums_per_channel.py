"""The mean and variance corrections of dx are summed per channel instead of per group."""

import numpy as np


def spatial_groupnorm_backward(dout, cache):
    xhat, gamma, G = cache["xhat"], cache["gamma"], cache["G"]
    n, c, h, w = dout.shape
    ivar = np.repeat(cache["nodes"]["ivar"].reshape(n, G), c // G, axis=1)[:, :, None, None]
    dxhat = dout * gamma
    m = h * w
    s1 = np.sum(dxhat, axis=(2, 3), keepdims=True)
    s2 = np.sum(dxhat * xhat, axis=(2, 3), keepdims=True)
    dx = ivar / m * (m * dxhat - s1 - xhat * s2)
    dgamma = np.sum(dout * xhat, axis=(0, 2, 3), keepdims=True)
    dbeta = np.sum(dout, axis=(0, 2, 3), keepdims=True)
    return dx, dgamma, dbeta
