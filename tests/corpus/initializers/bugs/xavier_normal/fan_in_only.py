"""Uses the variance gain^2 / fan_in (fan_in only) instead of gain^2 * 2 / (fan_in + fan_out)."""

import numpy as np

MISTAKE = "fan-in-only"


def xavier_normal(shape, rng, gain=1.0):
    fan_in = shape[0]
    return (gain / np.sqrt(fan_in)) * rng.standard_normal(tuple(shape))
