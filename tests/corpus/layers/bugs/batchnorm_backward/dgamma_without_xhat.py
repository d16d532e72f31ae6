"""dgamma is computed as sum(dout) instead of sum(dout * xhat)."""

import numpy as np

MISTAKE = "dgamma-without-xhat"


def batchnorm_backward(dout, cache):
    xhat, gamma = cache["xhat"], cache["gamma"]
    ivar, n = cache["nodes"]["ivar"], cache["nodes"]["n"]
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout, axis=0)
    dxhat = dout * gamma
    dx = ivar / n * (n * dxhat - np.sum(dxhat, axis=0) - xhat * np.sum(dxhat * xhat, axis=0))
    return dx, dgamma, dbeta
