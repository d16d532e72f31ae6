"""Uses exp(+k t), so the learning rate grows instead of decaying."""

import numpy as np

MISTAKE = "positive-exponent"


def exponential_decay(lr0, t, k):
    return float(lr0 * np.exp(k * t))
