"""Draws from np.random's global state (np.random.randn) instead of the rng argument."""

import numpy as np

MISTAKE = "ignores-rng"


def he_normal(shape, rng):
    fan_in, fan_out = shape
    return np.random.randn(fan_in, fan_out) * np.sqrt(2.0 / fan_in)
