"""Forgets to transpose Q when fan_in < fan_out, returning shape (fan_out, fan_in)."""

import numpy as np


def orthogonal(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    a = rng.standard_normal((max(fan_in, fan_out), min(fan_in, fan_out)))
    q, r = np.linalg.qr(a)
    return gain * q * np.sign(np.diag(r))
