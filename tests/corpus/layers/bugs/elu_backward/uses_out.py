"""Negative-side derivative taken as out instead of out + alpha (= alpha * exp(x))."""

import numpy as np

MISTAKE = "derivative-missing-alpha-term"


def elu_backward(dout, cache):
    positive, out, alpha = cache
    return dout * np.where(positive, 1.0, out)
