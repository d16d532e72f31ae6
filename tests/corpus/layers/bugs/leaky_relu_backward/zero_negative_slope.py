"""Backward of a plain ReLU: the gradient of the negative side is zero instead of alpha."""

import numpy as np

MISTAKE = "relu-gradient"


def leaky_relu_backward(dout, cache):
    x_wins, alpha = cache
    return dout * np.where(x_wins, 1.0, 0.0)
