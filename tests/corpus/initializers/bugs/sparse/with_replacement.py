"""Draws the rows of each column's nonzeros with replacement, so some columns get fewer than k."""

import numpy as np

MISTAKE = "rows-with-replacement"


def sparse(shape, rng, k=15, scale=1.0):
    fan_in, fan_out = shape
    w = np.zeros((fan_in, fan_out))
    for j in range(fan_out):
        rows = rng.integers(0, fan_in, size=min(k, fan_in))
        w[rows, j] = rng.normal(0.0, scale, size=rows.size)
    return w
