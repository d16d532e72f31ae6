"""Draws shape (fan_out, fan_in), the torch weight layout, instead of (fan_in, fan_out)."""

import numpy as np


def he_normal(shape, rng):
    fan_in, fan_out = shape
    return rng.standard_normal((fan_out, fan_in)) * np.sqrt(2.0 / fan_in)
