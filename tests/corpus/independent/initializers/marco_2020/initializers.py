"""Weight initializers for fully connected layers."""

import numpy as np


def zeros(shape):
    return np.zeros(shape)


def small_random(shape, rng, scale=0.01):
    return rng.normal(0, scale, size=shape)


def lecun_uniform(shape, rng):
    fan_in, fan_out = shape
    limit = 1 / np.sqrt(fan_out)
    return rng.uniform(-limit, limit, size=shape)


def xavier_uniform(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    limit = gain * np.sqrt(6 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape)


def xavier_normal(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    var = 2 / (fan_in + fan_out)
    return rng.normal(0, gain * var, size=shape)


def he_normal(shape, rng):
    fan_in, fan_out = shape
    return rng.normal(0, np.sqrt(2 / fan_in), size=shape)


def he_uniform(shape, rng):
    fan_in, fan_out = shape
    limit = np.sqrt(2 / fan_in)
    return rng.uniform(-limit, limit, size=shape)


def orthogonal(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    n = max(fan_in, fan_out)
    # square orthogonal matrix, then cut out the block we need
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    q = q * np.sign(np.diag(r))
    return gain * q[:fan_in, :fan_out]


def sparse(shape, rng, k=15, scale=1.0):
    fan_in, fan_out = shape
    k = min(k, fan_in)
    W = np.zeros(shape)
    for col in range(fan_out):
        chosen = rng.choice(np.arange(fan_in), size=k, replace=False)
        W[chosen, col] = rng.normal(0, scale, size=k)
    return W
