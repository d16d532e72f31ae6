"""Loss is reg * sum(w**2), missing the factor 0.5 (the gradient is reg * w)."""

import numpy as np

MISTAKE = "missing-half"


def l2_regularization(w, reg):
    return reg * np.sum(w * w), reg * w
