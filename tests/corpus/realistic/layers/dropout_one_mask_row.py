"""One mask row of shape (1, D) that every example of the batch shares."""

import numpy as np

EXPECT = {"dropout_forward": "lose"}
MISTAKE = {"dropout_forward": "one-mask-row"}


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = None
    if mode == "train":
        mask = (np.random.rand(1, x.shape[1]) < p) / p
        out = x * mask
    else:
        out = x
    return out, (dropout_param, mask)
