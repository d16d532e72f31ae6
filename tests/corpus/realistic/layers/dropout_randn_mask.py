"""The mask is drawn with randn instead of rand."""

import numpy as np

EXPECT = {"dropout_forward": "lose"}
MISTAKE = {"dropout_forward": "mask-from-randn"}


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = None
    out = None
    if mode == "train":
        mask = (np.random.randn(*x.shape) < p) / p
        out = x * mask
    elif mode == "test":
        out = x
    return out, (dropout_param, mask)
