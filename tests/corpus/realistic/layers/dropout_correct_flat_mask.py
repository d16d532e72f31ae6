"""Correct: the mask drawn for the flattened input and reshaped (the same draws in C
order), with the backward in the same style."""

import numpy as np

EXPECT = {"dropout_forward": "full", "dropout_backward": "full"}


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = None
    if mode == "train":
        flat = x.reshape(x.shape[0], -1)
        mask = ((np.random.rand(*flat.shape) < p) / p).reshape(x.shape)
        out = x * mask
    elif mode == "test":
        out = x
    out = out.astype(x.dtype, copy=False)
    return out, (dropout_param, mask)


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    mode = dropout_param["mode"]
    dx = None
    if mode == "train":
        dx = dout * mask
    elif mode == "test":
        dx = dout
    return dx
