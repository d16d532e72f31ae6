"""Divides by sqrt(2 / fan_in), as misprinted in lecture slides, instead of multiplying."""

import numpy as np

MISTAKE = "divides-by-sqrt"


def he_normal(shape, rng):
    fan_in = shape[0]
    return rng.standard_normal(tuple(shape)) / np.sqrt(2.0 / fan_in)
