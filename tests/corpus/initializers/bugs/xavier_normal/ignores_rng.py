"""Draws from np.random's global state instead of the rng argument."""

import numpy as np

MISTAKE = "ignores-rng"


def xavier_normal(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    std = gain * np.sqrt(2.0 / (fan_in + fan_out))
    return np.random.normal(0.0, std, size=(fan_in, fan_out))
