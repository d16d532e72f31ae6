"""Ignores the gain argument."""

import numpy as np

MISTAKE = "ignores-gain"


def xavier_uniform(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    bound = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-bound, bound, size=tuple(shape))
