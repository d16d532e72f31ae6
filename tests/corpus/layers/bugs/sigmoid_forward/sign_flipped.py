"""Computes 1 / (1 + exp(x)), i.e. sigmoid(-x)."""

import numpy as np

MISTAKE = "sign-error"


def sigmoid_forward(x):
    with np.errstate(over="ignore"):
        out = 1.0 / (1.0 + np.exp(x))
    z = np.exp(-np.abs(x))
    stable = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    return out, stable
