"""Naive log(1 + exp(x)) overflows to inf for large positive x."""

import numpy as np

MISTAKE = "overflow"
LARGE_INPUTS_ONLY = True


def softplus_forward(x):
    out = np.log(1 + np.exp(x))
    z = np.exp(-np.abs(x))
    sig = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    return out, sig
