"""Uses fan_out (shape[1]) instead of fan_in (shape[0]) in the std sqrt(2 / fan_in)."""

import numpy as np

MISTAKE = "fan-out"


def he_normal(shape, rng):
    fan_out = shape[1]
    return np.sqrt(2.0 / fan_out) * rng.standard_normal(tuple(shape))
