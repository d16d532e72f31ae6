"""Gradient is 2 * reg * w, the derivative of reg * sum(w**2) rather than of the 0.5 form."""

import numpy as np

MISTAKE = "missing-half-doubled-gradient"


def l2_regularization(w, reg):
    return 0.5 * reg * np.sum(w * w), 2 * reg * w
