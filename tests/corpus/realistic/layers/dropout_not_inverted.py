"""Plain (not inverted) dropout in train mode: the kept units are not divided by p."""

import numpy as np

EXPECT = {"dropout_forward": "lose"}
MISTAKE = {"dropout_forward": "not-inverted"}


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = None
    if mode == "train":
        mask = np.random.rand(*x.shape) < p
        out = x * mask
    elif mode == "test":
        out = x
    return out, (dropout_param, mask)
