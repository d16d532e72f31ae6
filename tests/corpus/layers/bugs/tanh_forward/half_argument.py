"""Uses tanh(x) = 2 * sigmoid(x) - 1, missing the factor 2 inside (that is tanh(x / 2))."""

import numpy as np

MISTAKE = "half-argument"


def tanh_forward(x):
    with np.errstate(over="ignore"):
        out = 2.0 / (1.0 + np.exp(-x)) - 1.0
    return out, np.tanh(x)
