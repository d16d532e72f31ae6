"""Passes the variance 2 / (fan_in + fan_out) to rng.normal as the standard deviation."""

MISTAKE = "variance-as-std"


def xavier_normal(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    variance = gain**2 * 2.0 / (fan_in + fan_out)
    return rng.normal(0.0, variance, size=tuple(shape))
