"""Uses the variance 1 / fan_in instead of 2 / fan_in (drawn with rng.normal)."""

import numpy as np

MISTAKE = "missing-factor-2"


def he_normal(shape, rng):
    fan_in = shape[0]
    return rng.normal(0.0, np.sqrt(1.0 / fan_in), size=tuple(shape))
