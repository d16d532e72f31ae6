"""Passes dout through unchanged, ignoring where the input was negative."""

import numpy as np

MISTAKE = "ignores-mask"


def relu_backward(dout, cache):
    return np.array(dout, copy=True)
