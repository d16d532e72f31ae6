"""Inverted dropout whose backward divides by p once more, although the cached mask
already holds the 1/p."""

import numpy as np

EXPECT = {"dropout_forward": "full", "dropout_backward": "lose"}
MISTAKE = {"dropout_backward": "divides-by-p-twice"}


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = None
    if mode == "train":
        mask = (np.random.rand(*x.shape) < p) / p
        out = x * mask
    else:
        out = x
    return out, (dropout_param, mask)


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    if dropout_param["mode"] == "train":
        return dout * mask / dropout_param["p"]
    return dout
