"""Correct: the same in-place style on a copy of dout."""

EXPECT = {"relu_forward": "full", "relu_backward": "full"}


def relu_forward(x):
    out = x.copy()
    out[out < 0] = 0
    return out, x


def relu_backward(dout, cache):
    x = cache
    dx = dout.copy()
    dx[x <= 0] = 0
    return dx
