"""Ignores the gain argument."""

import numpy as np

MISTAKE = "ignores-gain"


def orthogonal(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    a = rng.standard_normal((max(fan_in, fan_out), min(fan_in, fan_out)))
    q, r = np.linalg.qr(a)
    q = q * np.sign(np.diag(r))
    return q.T if fan_in < fan_out else q
