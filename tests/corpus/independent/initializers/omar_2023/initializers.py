"""Weight initializers for fully connected layers.

Every initializer builds the weight matrix W of a dense layer used as ``out = x @ W``.
"""

import numpy as np


def zeros(shape):
    return np.zeros(shape)


def small_random(shape, rng, scale=0.01):
    return scale * np.random.randn(*shape)


def lecun_uniform(shape, rng):
    fan_in = shape[0]
    return rng.uniform(-(fan_in ** -0.5), fan_in ** -0.5, size=shape)


def xavier_uniform(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    a = gain * (6.0 / (fan_in + fan_out)) ** 0.5
    return rng.uniform(-a, a, size=shape)


def xavier_normal(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    std = gain * (2.0 / (fan_in + fan_out)) ** 0.5
    return std * rng.standard_normal(size=shape)


def he_normal(shape, rng):
    fan_in = shape[0]
    return (2.0 / fan_in) ** 0.5 * rng.standard_normal(size=shape)


def he_uniform(shape, rng):
    fan_in = shape[0]
    a = (6.0 / fan_in) ** 0.5
    return rng.uniform(-a, a, size=shape)


def orthogonal(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    wide = fan_in < fan_out
    a = rng.standard_normal((fan_out, fan_in) if wide else (fan_in, fan_out))
    q, r = np.linalg.qr(a)
    q *= np.sign(np.diag(r))
    return q.T if wide else q


def sparse(shape, rng, k=15, scale=1.0):
    """Sparse initialization (Martens, 2010): every output unit (column of W) has exactly
    min(k, fan_in) nonzero incoming weights, at rows chosen at random (without repetition,
    independently for each column); their values are drawn independently from
    N(0, scale**2). All other weights are zero.

    Inputs:
    - shape: Tuple (fan_in, fan_out).
    - rng: A numpy.random.Generator, the only source of randomness.
    - k: Number of nonzero weights per column (default 15).
    - scale: Standard deviation of the nonzero weights (default 1.0).

    Returns:
    - W: A float64 array of shape (fan_in, fan_out).
    """
    raise NotImplementedError("sparse")
