"""Scales the positive inputs by alpha and passes the negative ones unchanged."""

import numpy as np

MISTAKE = "alpha-on-positive-side"


def prelu_forward(x, alpha):
    out = np.where(x > 0, alpha * x, x)
    return out, (x > 0, np.minimum(x, 0.0), alpha)
