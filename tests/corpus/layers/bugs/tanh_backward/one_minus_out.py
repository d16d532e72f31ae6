"""Backward uses 1 - out instead of 1 - out**2."""

MISTAKE = "tanh-backward-1-minus-out"


def tanh_backward(dout, cache):
    out = cache
    return dout * (1 - out)
