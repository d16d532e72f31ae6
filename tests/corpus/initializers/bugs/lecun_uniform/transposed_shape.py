"""Returns weights of shape (fan_out, fan_in) instead of (fan_in, fan_out)."""

import numpy as np


def lecun_uniform(shape, rng):
    fan_in, fan_out = shape
    bound = 1.0 / np.sqrt(fan_in)
    return rng.uniform(-bound, bound, size=(fan_out, fan_in))
