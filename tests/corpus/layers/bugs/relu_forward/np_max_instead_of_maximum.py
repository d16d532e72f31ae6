"""Uses np.max(x, 0), a reduction over axis 0, instead of the elementwise np.maximum(x, 0)."""

import numpy as np

MISTAKE = "np-max"


def relu_forward(x):
    out = np.max(x, 0)
    return out, x > 0
