"""Loss and gradient are summed over the batch instead of averaged."""

import numpy as np

MISTAKE = "no-average"


def svm_loss(x, y):
    rows = np.arange(x.shape[0])
    margins = np.maximum(0, x - x[rows, y][:, None] + 1)
    margins[rows, y] = 0
    loss = np.sum(margins)
    dx = (margins > 0).astype(np.float64)
    dx[rows, y] = -np.sum(dx, axis=1)
    return loss, dx
