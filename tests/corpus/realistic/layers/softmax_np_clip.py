"""np.clip(p, 1e-12, 1) before the log."""

import numpy as np

EXPECT = {"softmax_loss": "lose"}
MISTAKE = {"softmax_loss": "log-of-probability-plus-epsilon"}


def softmax_loss(x, y):
    N = x.shape[0]
    shifted = x - np.max(x, axis=1, keepdims=True)
    p = np.exp(shifted) / np.sum(np.exp(shifted), axis=1, keepdims=True)
    loss = -np.mean(np.log(np.clip(p[np.arange(N), y], 1e-12, 1.0)))
    dx = p.copy()
    dx[np.arange(N), y] -= 1
    return loss, dx / N
