"""dalpha averaged over the batch instead of summed."""

import numpy as np

MISTAKE = "dalpha-mean"


def prelu_backward(dout, cache):
    positive, negative_part, alpha = cache
    dx = dout * np.where(positive, 1.0, alpha)
    dalpha = np.mean(dout * negative_part, axis=0)
    return dx, dalpha
