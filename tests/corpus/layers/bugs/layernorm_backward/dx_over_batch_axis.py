"""dx reuses the batchnorm formula with sums over the batch axis instead of the features."""

import numpy as np

MISTAKE = "batchnorm-axis"


def layernorm_backward(dout, cache):
    xhat, gamma = cache["xhat"], cache["gamma"]
    ivar = cache["nodes"]["ivar"][:, None]
    dxhat = dout * gamma
    n = xhat.shape[0]
    s1 = np.sum(dxhat, axis=0)
    s2 = np.sum(dxhat * xhat, axis=0)
    dx = ivar / n * (n * dxhat - s1 - xhat * s2)
    dgamma = np.sum(dout * xhat, axis=0)
    dbeta = np.sum(dout, axis=0)
    return dx, dgamma, dbeta
