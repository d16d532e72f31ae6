"""Gives each row (input unit) k nonzero weights instead of each column (output unit)."""

import numpy as np

MISTAKE = "k-per-row"


def sparse(shape, rng, k=15, scale=1.0):
    fan_in, fan_out = shape
    count = min(k, fan_out)
    w = np.zeros((fan_in, fan_out))
    for i in range(fan_in):
        cols = rng.choice(fan_out, size=count, replace=False)
        w[i, cols] = scale * rng.standard_normal(count)
    return w
