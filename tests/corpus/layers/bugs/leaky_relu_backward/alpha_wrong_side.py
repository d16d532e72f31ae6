"""Uses slope alpha where the input was positive and 1 where it was negative."""

import numpy as np

MISTAKE = "alpha-on-positive-side"


def leaky_relu_backward(dout, cache):
    x_wins, alpha = cache
    return dout * np.where(x_wins, alpha, 1.0)
