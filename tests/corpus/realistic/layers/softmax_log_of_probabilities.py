"""Subtracts the row max, then takes log of the probabilities: the loss is inf when the
probability of the correct class underflows (logits around 1e4). It already subtracts the
max, so no-max-subtraction would be a wrong name; no known mistake fits."""

import numpy as np

EXPECT = {"softmax_loss": "lose"}


def softmax_loss(x, y):
    shifted = x - np.max(x, axis=1, keepdims=True)
    probs = np.exp(shifted)
    probs /= np.sum(probs, axis=1, keepdims=True)
    N = x.shape[0]
    loss = -np.sum(np.log(probs[np.arange(N), y])) / N
    dx = probs.copy()
    dx[np.arange(N), y] -= 1
    dx /= N
    return loss, dx
