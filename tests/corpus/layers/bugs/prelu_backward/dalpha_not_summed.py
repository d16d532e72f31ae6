"""dalpha is not summed over the batch and comes back with shape (N, D)."""

import numpy as np

MISTAKE = "dalpha-not-summed"


def prelu_backward(dout, cache):
    positive, negative_part, alpha = cache
    dx = dout * np.where(positive, 1.0, alpha)
    dalpha = dout * negative_part
    return dx, dalpha
