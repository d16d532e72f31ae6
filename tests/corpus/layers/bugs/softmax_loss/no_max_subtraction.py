"""Exponentiates the raw logits without subtracting the row max, overflowing for large logits."""

import numpy as np

MISTAKE = "no-max-subtraction"
LARGE_INPUTS_ONLY = True


def softmax_loss(x, y):
    n = x.shape[0]
    e = np.exp(x)
    probs = e / np.sum(e, axis=1, keepdims=True)
    loss = -np.sum(np.log(probs[np.arange(n), y])) / n
    dx = probs.copy()
    dx[np.arange(n), y] -= 1
    dx /= n
    return loss, dx
