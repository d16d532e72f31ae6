"""Computes max(x, alpha * (exp(x) - 1)) by analogy with leaky ReLU, wrong for x > 0."""

import numpy as np

MISTAKE = "max-formula"


def elu_forward(x, alpha=1.0):
    with np.errstate(over="ignore"):
        out = np.maximum(x, alpha * (np.exp(x) - 1))
    positive = x > 0
    correct = np.where(positive, x, alpha * np.expm1(np.minimum(x, 0.0)))
    return out, (positive, correct, alpha)
