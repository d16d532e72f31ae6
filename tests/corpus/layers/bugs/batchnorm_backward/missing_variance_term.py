"""dx ignores the path through the batch variance (keeps only the mean correction)."""

import numpy as np

MISTAKE = "missing-dvar"


def batchnorm_backward(dout, cache):
    xhat, gamma = cache["xhat"], cache["gamma"]
    ivar, n = cache["nodes"]["ivar"], cache["nodes"]["n"]
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * xhat, axis=0)
    dxhat = dout * gamma
    dx = ivar / n * (n * dxhat - np.sum(dxhat, axis=0))
    return dx, dgamma, dbeta
