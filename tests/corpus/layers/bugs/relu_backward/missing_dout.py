"""Returns the local derivative (the 0/1 mask) without multiplying by dout."""

import numpy as np

MISTAKE = "missing-dout"


def relu_backward(dout, cache):
    return cache.astype(np.float64)
