"""Backward multiplies by sigmoid(-x) = 1 - sigmoid(x) instead of sigmoid(x)."""

MISTAKE = "derivative-sign"


def softplus_backward(dout, cache):
    return dout * (1 - cache)
