"""Draws from a normal with the uniform's variance 1 / (3 fan_in) instead of the uniform."""

import numpy as np

MISTAKE = "normal-instead-of-uniform"


def lecun_uniform(shape, rng):
    fan_in = shape[0]
    return (1.0 / np.sqrt(3.0 * fan_in)) * rng.standard_normal(tuple(shape))
