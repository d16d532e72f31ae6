"""Classic ReLU with the in-place backward dx = dout; dx[x <= 0] = 0, which overwrites
the caller's dout (the values are right)."""

import numpy as np

EXPECT = {"relu_forward": "full", "relu_backward": "lose"}
MISTAKE = {"relu_backward": "modifies-input"}


def relu_forward(x):
    out = np.maximum(0, x)
    cache = x
    return out, cache


def relu_backward(dout, cache):
    dx, x = None, cache
    dx = dout
    dx[x <= 0] = 0
    return dx
