"""Weight initializers, written independently of the reference.

Every public function draws its random numbers from rng in its own way, so that its
values differ from any textbook implementation while its distribution is right: normals
by the Box-Muller transform of rng.random or drawn as a (fan_out, fan_in) array and
transposed, uniforms as rescaled (and reflected) rng.random, orthogonal by QR WITHOUT the
sign correction, sparse by rng.permutation per column. No public function calls another
one: they share only private helpers.
"""

import math

import numpy as np


def _fan_in_fan_out(shape):
    fan_in, fan_out = (int(n) for n in shape)
    return fan_in, fan_out


def _box_muller(rng, fan_in, fan_out):
    """Standard normal (fan_in, fan_out) array from pairs of uniforms (Box-Muller)."""
    n = fan_in * fan_out
    pairs = (n + 1) // 2
    u1 = 1.0 - rng.random(pairs)  # in (0, 1]: log(u1) is finite
    u2 = rng.random(pairs)
    radius = np.sqrt(-2.0 * np.log(u1))
    z = np.concatenate([radius * np.cos(2.0 * np.pi * u2), radius * np.sin(2.0 * np.pi * u2)])
    return z[:n].reshape(fan_in, fan_out)


def zeros(shape):
    fan_in, fan_out = _fan_in_fan_out(shape)
    return np.full((fan_in, fan_out), 0.0)


def small_random(shape, rng, scale=0.01):
    fan_in, fan_out = _fan_in_fan_out(shape)
    return scale * _box_muller(rng, fan_in, fan_out)


def lecun_uniform(shape, rng):
    fan_in, fan_out = _fan_in_fan_out(shape)
    limit = 1.0 / math.sqrt(fan_in)
    return limit * (1.0 - 2.0 * rng.random((fan_in, fan_out)))


def xavier_uniform(shape, rng, gain=1.0):
    fan_in, fan_out = _fan_in_fan_out(shape)
    limit = gain * math.sqrt(6.0) / math.sqrt(fan_in + fan_out)
    unit = rng.random((fan_out, fan_in)).T
    return np.ascontiguousarray(limit * (2.0 * unit - 1.0))


def xavier_normal(shape, rng, gain=1.0):
    fan_in, fan_out = _fan_in_fan_out(shape)
    variance = gain * gain * 2.0 / (fan_in + fan_out)
    return math.sqrt(variance) * _box_muller(rng, fan_in, fan_out)


def he_normal(shape, rng):
    fan_in, fan_out = _fan_in_fan_out(shape)
    drawn = rng.normal(loc=0.0, scale=math.sqrt(2.0 / fan_in), size=(fan_out, fan_in))
    return np.ascontiguousarray(drawn.T)


def he_uniform(shape, rng):
    fan_in, fan_out = _fan_in_fan_out(shape)
    limit = math.sqrt(3.0) * math.sqrt(2.0 / fan_in)  # std sqrt(2/fan_in) = limit/sqrt(3)
    unit = rng.random(fan_in * fan_out)[::-1].reshape(fan_in, fan_out)
    return (0.5 - unit) * (2.0 * limit)


def orthogonal(shape, rng, gain=1.0):
    fan_in, fan_out = _fan_in_fan_out(shape)
    transpose = fan_in < fan_out
    rows, cols = (fan_out, fan_in) if transpose else (fan_in, fan_out)
    gaussian = rng.normal(size=(rows, cols))
    q, _ = np.linalg.qr(gaussian, mode="reduced")  # no sign correction
    w = q.T if transpose else q
    return gain * np.ascontiguousarray(w)


def sparse(shape, rng, k=15, scale=1.0):
    fan_in, fan_out = _fan_in_fan_out(shape)
    per_column = min(k, fan_in)
    w = np.zeros((fan_in, fan_out))
    for column in range(fan_out):
        chosen = rng.permutation(fan_in)[:per_column]
        w[chosen, column] = rng.normal(0.0, scale, size=per_column)
    return w
