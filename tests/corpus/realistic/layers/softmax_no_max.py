"""Exponentiates the raw scores (no max subtraction): nan for large logits."""

import numpy as np

EXPECT = {"softmax_loss": "lose"}
MISTAKE = {"softmax_loss": "no-max-subtraction"}


def softmax_loss(x, y):
    N = x.shape[0]
    exp_x = np.exp(x)
    probs = exp_x / np.sum(exp_x, axis=1, keepdims=True)
    loss = -np.sum(np.log(probs[np.arange(N), y])) / N
    dx = probs.copy()
    dx[np.arange(N), y] -= 1
    return loss, dx / N
