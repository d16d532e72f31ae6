"""Keeps each weight with probability k / fan_in, so columns have k nonzeros only on average."""

MISTAKE = "bernoulli-mask"


def sparse(shape, rng, k=15, scale=1.0):
    fan_in, fan_out = shape
    mask = rng.random((fan_in, fan_out)) < min(k, fan_in) / fan_in
    return mask * rng.normal(0.0, scale, size=(fan_in, fan_out))
