"""Older-year dropout again, drawn the other way round: keep where rand < 1 - p."""

import numpy as np

EXPECT = {"dropout_forward": "lose"}
MISTAKE = {"dropout_forward": "p-is-drop-probability"}


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = None
    if mode == "train":
        keep_prob = 1 - p
        mask = (np.random.rand(*x.shape) < keep_prob) / keep_prob
        out = x * mask
    else:
        out = x.copy()
    return out, (dropout_param, mask)
