"""Backpropagates dout straight into xhat, forgetting to multiply by gamma."""

import numpy as np

MISTAKE = "dxhat-missing-gamma"


def batchnorm_backward(dout, cache):
    xhat = cache["xhat"]
    ivar, n = cache["nodes"]["ivar"], cache["nodes"]["n"]
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * xhat, axis=0)
    dxhat = dout
    dx = ivar / n * (n * dxhat - np.sum(dxhat, axis=0) - xhat * np.sum(dxhat * xhat, axis=0))
    return dx, dgamma, dbeta
