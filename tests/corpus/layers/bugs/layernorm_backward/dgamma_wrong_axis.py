"""dgamma and dbeta are summed over the features (axis 1) instead of over the batch."""

import numpy as np

MISTAKE = "dgamma-dbeta-over-features"


def layernorm_backward(dout, cache):
    xhat, gamma = cache["xhat"], cache["gamma"]
    ivar = cache["nodes"]["ivar"][:, None]
    d = xhat.shape[1]
    dxhat = dout * gamma
    s1 = np.sum(dxhat, axis=1, keepdims=True)
    s2 = np.sum(dxhat * xhat, axis=1, keepdims=True)
    dx = ivar / d * (d * dxhat - s1 - xhat * s2)
    dgamma = np.sum(dout * xhat, axis=1)
    dbeta = np.sum(dout, axis=1)
    return dx, dgamma, dbeta
