"""Backward uses 1 - out instead of 1 - out**2."""

MISTAKE = "one-minus-out"


def tanh_backward(dout, cache):
    out = cache
    return dout * (1 - out)
