"""Reshapes dout to (-1, C) and dx back to (N, C, H, W) without the channels-last transposes."""

import numpy as np

MISTAKE = "reshape-without-transpose"


def spatial_batchnorm_backward(dout, cache):
    n, c, h, w = cache["shape"]
    bn = cache["bn"]
    xhat, gamma, ivar = bn["xhat"], bn["gamma"], bn["nodes"]["ivar"]
    dout2d = dout.reshape(-1, c)
    m = dout2d.shape[0]
    dbeta = np.sum(dout2d, axis=0)
    dgamma = np.sum(dout2d * xhat, axis=0)
    dxhat = dout2d * gamma
    dx2d = ivar / m * (m * dxhat - np.sum(dxhat, axis=0) - xhat * np.sum(dxhat * xhat, axis=0))
    return dx2d.reshape(n, c, h, w), dgamma, dbeta
