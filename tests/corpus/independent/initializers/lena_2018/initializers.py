"""Weight initializers for fully connected layers (formulas from the lecture slides)."""

import numpy as np


def get_fans(shape):
    return shape[0], shape[1]


def zeros(shape):
    return np.zeros(shape)


def small_random(shape, rng, scale=0.01):
    return scale * rng.standard_normal(shape)


def lecun_uniform(shape, rng):
    fan_in, _ = get_fans(shape)
    b = 1.0 / np.sqrt(fan_in)
    return rng.uniform(-b, b, size=shape)


def xavier_uniform(shape, rng, gain=1.0):
    fan_in, fan_out = get_fans(shape)
    # Glorot & Bengio (2010), eq. 16 as on the slide
    b = gain * 6.0 / np.sqrt(fan_in + fan_out)
    return rng.uniform(-b, b, size=shape)


def xavier_normal(shape, rng, gain=1.0):
    fan_in, fan_out = get_fans(shape)
    std = gain * np.sqrt(2.0 / (fan_in + fan_out))
    return std * rng.standard_normal(shape)


def he_normal(shape, rng):
    fan_in, _ = get_fans(shape)
    # W = np.random.randn(fan_in, fan_out) / np.sqrt(2/fan_in)   (lecture 6, slide 60)
    return rng.standard_normal(shape) / np.sqrt(2.0 / fan_in)


def he_uniform(shape, rng):
    fan_in, _ = get_fans(shape)
    b = np.sqrt(6.0 / fan_in)
    return rng.uniform(-b, b, size=shape)


def orthogonal(shape, rng, gain=1.0):
    fan_in, fan_out = get_fans(shape)
    transpose = fan_in < fan_out
    a = rng.standard_normal((fan_out, fan_in) if transpose else (fan_in, fan_out))
    q, r = np.linalg.qr(a)
    q = q * np.sign(np.diag(r))[np.newaxis, :]
    if transpose:
        q = q.T
    return gain * q


def sparse(shape, rng, k=15, scale=1.0):
    fan_in, fan_out = get_fans(shape)
    W = np.zeros(shape)
    nnz = min(k, fan_in)
    for j in range(fan_out):
        support = rng.choice(fan_in, size=nnz, replace=False)
        W[support, j] = scale * rng.standard_normal(nnz)
    return W
