"""Lets the gradient through where the input was negative and blocks it where it was positive."""

import numpy as np

MISTAKE = "mask-inverted"


def relu_backward(dout, cache):
    return np.where(cache, 0.0, dout)
