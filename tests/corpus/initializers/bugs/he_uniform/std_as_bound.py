"""Uses the He std sqrt(2 / fan_in) as the uniform's bound instead of sqrt(6 / fan_in)."""

import numpy as np

MISTAKE = "std-as-bound"


def he_uniform(shape, rng):
    bound = np.sqrt(2.0 / shape[0])
    return rng.uniform(-bound, bound, size=tuple(shape))
