"""Treats the cached output as the input and applies tanh to it again."""

import numpy as np

MISTAKE = "tanh-of-output"


def tanh_backward(dout, cache):
    return dout * (1 - np.tanh(cache) ** 2)
