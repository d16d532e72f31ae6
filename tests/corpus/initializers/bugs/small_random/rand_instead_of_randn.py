"""Draws from the uniform [0, 1) distribution (rng.random) instead of the standard normal."""

MISTAKE = "rand-instead-of-randn"


def small_random(shape, rng, scale=0.01):
    return scale * rng.random(tuple(shape))
