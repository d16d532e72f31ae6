"""Computes and returns the orthogonal matrix in float32 instead of float64."""

import numpy as np


def orthogonal(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    a = rng.standard_normal((max(fan_in, fan_out), min(fan_in, fan_out)), dtype=np.float32)
    q, _ = np.linalg.qr(a)
    q = q.T if fan_in < fan_out else q
    return np.float32(gain) * q
