"""Only normalizes the columns of a Gaussian matrix to unit length, without orthogonalizing them."""

import numpy as np


def orthogonal(shape, rng, gain=1.0):
    fan_in, fan_out = shape
    a = rng.standard_normal((fan_in, fan_out))
    if fan_in >= fan_out:
        a = a / np.linalg.norm(a, axis=0, keepdims=True)
    else:
        a = a / np.linalg.norm(a, axis=1, keepdims=True)
    return gain * a
