"""Backward uses the tanh derivative 1 - out**2 instead of out * (1 - out)."""

MISTAKE = "tanh-derivative"


def sigmoid_backward(dout, cache):
    out = cache
    return dout * (1 - out**2)
