"""Draws from the Xavier normal N(0, gain^2 * 2 / (fan_in + fan_out)) instead of the uniform."""

import numpy as np

MISTAKE = "normal-instead-of-uniform"


def xavier_uniform(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    std = gain * np.sqrt(2.0 / (fan_in + fan_out))
    return std * rng.standard_normal(tuple(shape))
