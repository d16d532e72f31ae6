"""Applies the slope alpha to the positive inputs instead of the negative ones."""

import numpy as np

MISTAKE = "alpha-on-positive-side"


def leaky_relu_forward(x, alpha=0.01):
    out = np.where(x > 0, alpha * x, x)
    return out, (x >= alpha * x, alpha)
