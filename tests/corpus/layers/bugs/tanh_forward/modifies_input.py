"""Computes tanh in place with np.tanh(x, out=x), overwriting the input."""

import numpy as np

MISTAKE = "modifies-input"


def tanh_forward(x):
    out = np.tanh(x, out=x)
    return out, out
