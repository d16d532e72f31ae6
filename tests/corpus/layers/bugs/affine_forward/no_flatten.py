"""Forgets to flatten x to (N, D), so x @ w fails for inputs of shape (N, d1, ..., dk)."""

import numpy as np

CRASHES = True  # raises on multi-dimensional x; identical to the correct output on 2-D x
# a grader that builds affine_backward's cache with the student's own forward on
# (N, d1, ..., dk) input cannot grade the backward either
MAY_LOSE = ["affine_backward"]


def affine_forward(x, w, b):
    out = np.dot(x, w) + b
    cache = {"x2d": x.reshape(x.shape[0], -1), "w": w, "x_shape": x.shape}
    return out, cache
