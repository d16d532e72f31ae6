"""Uses fan_out (shape[1]) instead of fan_in in the bound 1/sqrt(fan_in)."""

import numpy as np

MISTAKE = "fan-out"


def lecun_uniform(shape, rng):
    bound = 1.0 / np.sqrt(shape[1])
    return rng.uniform(-bound, bound, size=tuple(shape))
