"""The gradient is probs / N, forgetting to subtract 1 at the correct class."""

import numpy as np

MISTAKE = "missing-onehot"


def softmax_loss(x, y):
    n = x.shape[0]
    shifted = x - np.max(x, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    loss = -np.sum(log_probs[np.arange(n), y]) / n
    dx = np.exp(log_probs) / n
    return loss, dx
