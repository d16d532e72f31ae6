"""Returns an array of shape (fan_out, fan_in) instead of (fan_in, fan_out)."""

import numpy as np


def zeros(shape):
    fan_in, fan_out = shape
    return np.zeros((fan_out, fan_in))
