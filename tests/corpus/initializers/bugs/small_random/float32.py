"""Returns float32 weights instead of float64."""

import numpy as np


def small_random(shape, rng, scale=0.01):
    return rng.standard_normal(tuple(shape), dtype=np.float32) * np.float32(scale)
