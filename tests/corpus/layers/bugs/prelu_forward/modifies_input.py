"""Multiplies the input array in place by the slopes and returns it as out."""

import numpy as np

MISTAKE = "modifies-input"


def prelu_forward(x, alpha):
    cache = (x > 0, np.minimum(x, 0.0), alpha)
    x *= np.where(x > 0, 1.0, alpha)
    return x, cache
