"""The mask is drawn for the first two axes only, as if x were always (N, D)."""

import numpy as np

EXPECT = {"dropout_forward": "lose"}
MISTAKE = {"dropout_forward": "mask-assumes-2d"}


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = None
    if mode == "train":
        mask = (np.random.rand(x.shape[0], x.shape[1]) < p) / p
        out = x * mask
    else:
        out = x
    return out, (dropout_param, mask)
