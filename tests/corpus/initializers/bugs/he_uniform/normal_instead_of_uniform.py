"""Draws from the He normal N(0, 2 / fan_in) instead of the uniform U(±sqrt(6 / fan_in))."""

import numpy as np

MISTAKE = "normal-instead-of-uniform"


def he_uniform(shape, rng):
    fan_in = shape[0]
    return np.sqrt(2.0 / fan_in) * rng.standard_normal(tuple(shape))
