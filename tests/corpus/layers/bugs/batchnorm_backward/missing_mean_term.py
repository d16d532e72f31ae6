"""dx ignores the path through the batch mean (keeps only the variance correction)."""

import numpy as np

MISTAKE = "missing-dmean"


def batchnorm_backward(dout, cache):
    xhat, gamma = cache["xhat"], cache["gamma"]
    ivar, n = cache["nodes"]["ivar"], cache["nodes"]["n"]
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * xhat, axis=0)
    dxhat = dout * gamma
    dx = ivar / n * (n * dxhat - xhat * np.sum(dxhat * xhat, axis=0))
    return dx, dgamma, dbeta
