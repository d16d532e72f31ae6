"""Clips the probability before the log: log(1e-20 + p)."""

import numpy as np

EXPECT = {"softmax_loss": "lose"}
MISTAKE = {"softmax_loss": "log-of-probability-plus-epsilon"}


def softmax_loss(x, y):
    N = len(y)
    e = np.exp(x - np.amax(x, axis=1, keepdims=True))
    p = e / np.sum(e, axis=1, keepdims=True)
    loss = np.sum(-np.log(1e-20 + p[np.arange(N), y])) / N
    one_hot = np.zeros_like(p)
    one_hot[np.arange(N), y] = 1
    dx = (p - one_hot) / N
    return loss, dx
