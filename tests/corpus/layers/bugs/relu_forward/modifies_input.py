"""Zeroes the negative entries of the input array in place and returns it as out."""

MISTAKE = "modifies-input"


def relu_forward(x):
    x[x < 0] = 0
    return x, x > 0
