"""dgamma and dbeta are summed over N only and come back with shape (C, H, W)."""

import numpy as np


def spatial_batchnorm_backward(dout, cache):
    n, c, h, w = cache["shape"]
    bn = cache["bn"]
    xhat, gamma, ivar = bn["xhat"], bn["gamma"], bn["nodes"]["ivar"]
    dout2d = dout.transpose(0, 2, 3, 1).reshape(-1, c)
    m = dout2d.shape[0]
    dxhat = dout2d * gamma
    dx2d = ivar / m * (m * dxhat - np.sum(dxhat, axis=0) - xhat * np.sum(dxhat * xhat, axis=0))
    dx = dx2d.reshape(n, h, w, c).transpose(0, 3, 1, 2)
    xhat4d = xhat.reshape(n, h, w, c).transpose(0, 3, 1, 2)
    dgamma = np.sum(dout * xhat4d, axis=0)
    dbeta = np.sum(dout, axis=0)
    return dx, dgamma, dbeta
