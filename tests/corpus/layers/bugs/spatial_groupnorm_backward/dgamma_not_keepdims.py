"""dgamma and dbeta are returned with shape (C,) instead of (1, C, 1, 1)."""

import numpy as np


def spatial_groupnorm_backward(dout, cache):
    xhat, gamma, G = cache["xhat"], cache["gamma"], cache["G"]
    ivar = cache["nodes"]["ivar"][:, None]
    n = dout.shape[0]
    dxhat = (dout * gamma).reshape(n * G, -1)
    xh = xhat.reshape(n * G, -1)
    m = xh.shape[1]
    s1 = np.sum(dxhat, axis=1, keepdims=True)
    s2 = np.sum(dxhat * xh, axis=1, keepdims=True)
    dx = (ivar / m * (m * dxhat - s1 - xh * s2)).reshape(dout.shape)
    dgamma = np.sum(dout * xhat, axis=(0, 2, 3))
    dbeta = np.sum(dout, axis=(0, 2, 3))
    return dx, dgamma, dbeta
