"""The gradient omits the L1 term l1 * sign(w)."""

import numpy as np


def elastic_net_regularization(w, l1, l2):
    loss = l1 * np.sum(np.abs(w)) + 0.5 * l2 * np.sum(w * w)
    return loss, l2 * w
