"""Ignores the scale argument: the nonzero weights are N(0, 1) instead of N(0, scale^2)."""

import numpy as np


def sparse(shape, rng, k=15, scale=1.0):
    fan_in, fan_out = shape
    w = np.zeros((fan_in, fan_out))
    for j in range(fan_out):
        rows = rng.permutation(fan_in)[: min(k, fan_in)]
        w[rows, j] = rng.standard_normal(rows.size)
    return w
