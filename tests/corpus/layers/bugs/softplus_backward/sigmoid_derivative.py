"""Backward uses the derivative of the sigmoid, s * (1 - s), instead of the sigmoid s."""

MISTAKE = "sigmoid-derivative"


def softplus_backward(dout, cache):
    s = cache
    return dout * s * (1 - s)
