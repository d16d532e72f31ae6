"""2016-style dropout: the handout of that year called p the probability of DROPPING a
unit, so the mask keeps units with rand >= p and rescales by 1 - p."""

import numpy as np

EXPECT = {"dropout_forward": "lose"}
MISTAKE = {"dropout_forward": "p-is-drop-probability"}


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])

    mask = None
    out = None

    if mode == "train":
        mask = (np.random.rand(*x.shape) >= p) / (1 - p)
        out = x * mask
    elif mode == "test":
        out = x

    cache = (dropout_param, mask)
    out = out.astype(x.dtype, copy=False)
    return out, cache
