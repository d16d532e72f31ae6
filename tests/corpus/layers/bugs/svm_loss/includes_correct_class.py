"""Does not zero the margin of the correct class, so every sample adds 1 to the loss."""

import numpy as np

MISTAKE = "counts-correct-class"


def svm_loss(x, y):
    n = x.shape[0]
    rows = np.arange(n)
    margins = np.maximum(0, x - x[rows, y][:, None] + 1)
    loss = np.sum(margins) / n
    active = (margins > 0).astype(np.float64)
    active[rows, y] -= np.sum(active, axis=1)
    dx = active / n
    return loss, dx
