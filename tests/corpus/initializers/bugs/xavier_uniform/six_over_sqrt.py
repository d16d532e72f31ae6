"""Uses the slides' misprinted bound gain * 6 / sqrt(fan_in + fan_out) (sqrt(6) is right)."""

import numpy as np

MISTAKE = "bound-6-over-sqrt"


def xavier_uniform(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    bound = gain * 6.0 / np.sqrt(fan_in + fan_out)
    return rng.uniform(-bound, bound, size=tuple(shape))
