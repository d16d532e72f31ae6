"""Forgets to add the bias b."""

import numpy as np

MISTAKE = "no-bias"


def affine_forward(x, w, b):
    x2d = x.reshape(x.shape[0], -1)
    out = np.dot(x2d, w)
    cache = {"x2d": x2d, "w": w, "x_shape": x.shape}
    return out, cache
