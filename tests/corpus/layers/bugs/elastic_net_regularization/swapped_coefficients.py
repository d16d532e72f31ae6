"""The l1 and l2 coefficients are swapped in both the loss and the gradient."""

import numpy as np

MISTAKE = "weights-swapped"


def elastic_net_regularization(w, l1, l2):
    loss = l2 * np.sum(np.abs(w)) + 0.5 * l1 * np.sum(w * w)
    dw = l2 * np.sign(w) + l1 * w
    return loss, dw
