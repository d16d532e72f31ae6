"""The forward keeps a 0/1 mask and scales the output by 1/p; the backward multiplies by
that mask and forgets the 1/p."""

import numpy as np

EXPECT = {"dropout_forward": "full", "dropout_backward": "lose"}
MISTAKE = {"dropout_backward": "mask-not-scaled"}


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = None
    out = None
    if mode == "train":
        mask = np.random.rand(*x.shape) < p
        out = x * mask / p
    elif mode == "test":
        out = x
    return out, (dropout_param, mask)


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    dx = None
    if dropout_param["mode"] == "train":
        dx = dout * mask
    elif dropout_param["mode"] == "test":
        dx = dout
    return dx
