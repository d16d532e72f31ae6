"""The L2 part of the loss lacks the factor 0.5 (the gradient is right)."""

import numpy as np

MISTAKE = "missing-half"


def elastic_net_regularization(w, l1, l2):
    loss = l1 * np.sum(np.abs(w)) + l2 * np.sum(w * w)
    dw = l1 * np.sign(w) + l2 * w
    return loss, dw
