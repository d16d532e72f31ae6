"""dx treats the unit as a ReLU: zero gradient instead of alpha on the negative side."""

import numpy as np

MISTAKE = "dx-ignores-alpha"


def prelu_backward(dout, cache):
    positive, negative_part, alpha = cache
    dx = dout * positive
    dalpha = np.sum(dout * negative_part, axis=0)
    return dx, dalpha
