"""dalpha sums dout * x over every input, the positive ones included."""

import numpy as np

MISTAKE = "dalpha-unmasked"


def prelu_forward(x, alpha):
    out = np.where(x > 0, x, alpha * x)
    return out, (x, alpha)


def prelu_backward(dout, cache):
    x, alpha = cache
    dx = np.where(x > 0, dout, alpha * dout)
    dalpha = (dout * x).sum(axis=0)
    return dx, dalpha
