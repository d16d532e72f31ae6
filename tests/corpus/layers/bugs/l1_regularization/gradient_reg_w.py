"""Gradient is reg * w (the L2 gradient) instead of reg * sign(w)."""

import numpy as np

MISTAKE = "l2-gradient"


def l1_regularization(w, reg):
    return reg * np.sum(np.abs(w)), reg * w
