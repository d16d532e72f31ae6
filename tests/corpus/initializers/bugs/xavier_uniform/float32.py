"""Returns float32 weights instead of float64."""

import numpy as np


def xavier_uniform(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    bound = gain * np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-bound, bound, size=tuple(shape)).astype(np.float32)
