"""Weight initializers for fully connected layers."""

import numpy as np


def zeros(shape):
    return np.zeros(shape)


def small_random(shape, rng, scale=0.01):
    return rng.normal(0.0, scale, size=shape)


def lecun_uniform(shape, rng):
    fan_in = shape[0]
    bound = 1.0 / np.sqrt(fan_in)
    return rng.uniform(-bound, bound, size=shape)


def xavier_uniform(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    bound = gain * np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-bound, bound, size=shape)


def xavier_normal(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    std = gain * np.sqrt(2.0 / (fan_in + fan_out))
    return rng.normal(0.0, std, size=shape)


def he_normal(shape, rng):
    fan_in = shape[0]
    std = np.sqrt(2.0 / fan_in)
    return rng.normal(0.0, std, size=shape)


def he_uniform(shape, rng):
    fan_in = shape[0]
    bound = np.sqrt(6.0 / fan_in)
    return rng.uniform(-bound, bound, size=shape)


def orthogonal(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    # QR of a tall Gaussian matrix: Q has orthonormal columns
    a = rng.standard_normal((max(fan_in, fan_out), min(fan_in, fan_out)))
    q, r = np.linalg.qr(a)
    q = q * np.sign(np.diag(r))  # make the decomposition unique -> Haar distributed
    if fan_in < fan_out:
        q = q.T
    return gain * q


def sparse(shape, rng, k=15, scale=1.0):
    fan_in, fan_out = shape
    W = np.zeros(shape)
    nnz = min(k, fan_in)
    for j in range(fan_out):
        rows = rng.choice(fan_in, size=nnz, replace=False)
        W[rows, j] = rng.normal(0.0, scale, size=nnz)
    return W
