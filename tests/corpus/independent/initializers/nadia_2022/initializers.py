"""Weight initializers for fully connected layers."""

import numpy as np


def zeros(shape):
    return np.zeros(shape, dtype=np.float64)


def small_random(shape, rng, scale=0.01):
    return rng.normal(loc=0.0, scale=scale, size=shape)


def lecun_uniform(shape, rng):
    fan_in, _ = shape
    return rng.uniform(-1.0, 1.0, size=shape) * (1.0 / np.sqrt(fan_in))


def xavier_uniform(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    b = gain * np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-b, b, size=shape)


def xavier_normal(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    return rng.normal(0.0, gain * np.sqrt(2.0 / (fan_in + fan_out)), size=shape)


def he_normal(shape, rng):
    fan_in, _ = shape
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)


def he_uniform(shape, rng):
    fan_in, _ = shape
    b = np.sqrt(6.0 / fan_in)
    return rng.uniform(-b, b, size=shape)


def orthogonal(shape, rng, gain=1.0):
    # QR needs a tall matrix: draw (max, min) and bring it back to the requested shape
    n, m = max(shape), min(shape)
    a = rng.standard_normal((n, m))
    q, r = np.linalg.qr(a)
    q = q * np.sign(np.diag(r))
    return gain * q.reshape(shape)


def sparse(shape, rng, k=15, scale=1.0):
    fan_in, fan_out = shape
    W = np.zeros(shape)
    n = min(k, fan_in)
    for j in range(fan_out):
        rows = rng.integers(0, fan_in, size=n)
        W[rows, j] = rng.normal(0.0, scale, size=n)
    return W
