"""Draws from np.random's global state instead of the rng argument."""

import numpy as np

MISTAKE = "ignores-rng"


def small_random(shape, rng, scale=0.01):
    return scale * np.random.randn(*shape)
