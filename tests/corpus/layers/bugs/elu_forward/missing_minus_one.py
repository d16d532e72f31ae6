"""Negative branch computes alpha * exp(x) instead of alpha * (exp(x) - 1)."""

import numpy as np

MISTAKE = "missing-minus-one"


def elu_forward(x, alpha=1.0):
    positive = x > 0
    xneg = np.minimum(x, 0.0)
    out = np.where(positive, x, alpha * np.exp(xneg))
    correct = np.where(positive, x, alpha * np.expm1(xneg))
    return out, (positive, correct, alpha)
