"""Negative-side derivative taken as out instead of out + alpha (= alpha * exp(x))."""

import numpy as np

MISTAKE = "elu-derivative-out"


def elu_backward(dout, cache):
    positive, out, alpha = cache
    return dout * np.where(positive, 1.0, out)
