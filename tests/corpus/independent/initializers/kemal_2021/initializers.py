"""Weight initializers for fully connected layers."""

import numpy as np


def _glorot_std(fan_in, fan_out, gain):
    return gain * np.sqrt(2.0 / (fan_in + fan_out))


def zeros(shape):
    fan_in, fan_out = shape
    return np.zeros((fan_in, fan_out))


def small_random(shape, rng, scale=0.01):
    # draw in float32 (half the memory for big layers), hand back float64
    return rng.standard_normal(shape, dtype=np.float32).astype(np.float64) * scale


def lecun_uniform(shape, rng):
    fan_in, _ = shape
    return rng.uniform(-1.0, 1.0, size=shape) / np.sqrt(fan_in)


def xavier_uniform(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    limit = gain * np.sqrt(6.0) / np.sqrt(fan_in + fan_out)
    return rng.uniform(low=-limit, high=limit, size=shape)


def xavier_normal(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    return rng.normal(loc=0.0, scale=_glorot_std(fan_in, fan_out, gain), size=shape)


def he_normal(shape, rng):
    fan_in, _ = shape
    std = np.sqrt(2.0 / fan_in)
    return rng.standard_normal(shape, dtype=np.float32).astype(np.float64) * std


def he_uniform(shape, rng):
    fan_in, _ = shape
    std = np.sqrt(2.0 / fan_in)
    limit = np.sqrt(3.0) * std  # var of U(-l, l) is l^2/3
    return rng.uniform(-limit, limit, size=shape)


def orthogonal(shape, rng, gain=1.0):
    # polar factor U V^T of a Gaussian matrix: the closest (semi-)orthogonal matrix,
    # uniformly distributed, works for tall, square and wide shapes alike
    a = rng.standard_normal(shape)
    u, _, vt = np.linalg.svd(a, full_matrices=False)
    return gain * (u @ vt)


def sparse(shape, rng, k=15, scale=1.0):
    fan_in, fan_out = shape
    nnz = min(k, fan_in)
    W = np.zeros(shape)
    for j in range(fan_out):
        idx = rng.permutation(fan_in)[:nnz]
        W[idx, j] = rng.normal(0.0, scale, nnz)
    return W
