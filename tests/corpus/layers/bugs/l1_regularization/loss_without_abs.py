"""Loss is reg * sum(w), forgetting the absolute value."""

import numpy as np

MISTAKE = "missing-abs"


def l1_regularization(w, reg):
    return reg * np.sum(w), reg * np.sign(w)
