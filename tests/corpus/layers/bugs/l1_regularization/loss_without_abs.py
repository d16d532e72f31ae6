"""Loss is reg * sum(w), forgetting the absolute value."""

import numpy as np


def l1_regularization(w, reg):
    return reg * np.sum(w), reg * np.sign(w)
