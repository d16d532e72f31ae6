"""Uses scale**2 as the standard deviation instead of scale."""

MISTAKE = "scale-squared"


def small_random(shape, rng, scale=0.01):
    return scale**2 * rng.standard_normal(tuple(shape))
