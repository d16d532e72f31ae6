"""Computes max(alpha, x) instead of max(alpha * x, x)."""

import numpy as np

MISTAKE = "max-with-alpha"


def leaky_relu_forward(x, alpha=0.01):
    out = np.maximum(alpha, x)
    return out, (x >= alpha * x, alpha)
