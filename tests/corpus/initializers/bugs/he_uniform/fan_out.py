"""Uses fan_out (shape[1]) instead of fan_in in the bound sqrt(6 / fan_in)."""

import numpy as np

MISTAKE = "fan-out"


def he_uniform(shape, rng):
    bound = np.sqrt(6.0 / shape[1])
    return rng.uniform(-bound, bound, size=tuple(shape))
