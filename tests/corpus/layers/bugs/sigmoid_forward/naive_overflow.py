"""Naive exp(x) / (1 + exp(x)) overflows to nan for large positive x."""

import numpy as np

MISTAKE = "overflow"
LARGE_INPUTS_ONLY = True


def sigmoid_forward(x):
    e = np.exp(x)
    out = e / (1 + e)
    z = np.exp(-np.abs(x))
    stable = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    return out, stable
