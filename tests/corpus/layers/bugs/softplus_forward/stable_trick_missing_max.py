"""Stable rewrite uses x + log1p(exp(-|x|)) instead of max(x, 0) + log1p(exp(-|x|))."""

import numpy as np


def softplus_forward(x):
    out = x + np.log1p(np.exp(-np.abs(x)))
    z = np.exp(-np.abs(x))
    sig = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    return out, sig
