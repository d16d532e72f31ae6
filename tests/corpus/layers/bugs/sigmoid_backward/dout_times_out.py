"""Backward returns dout * out, missing the (1 - out) factor."""

MISTAKE = "dout-times-out"


def sigmoid_backward(dout, cache):
    out = cache
    return dout * out
