"""N, D = x.shape: crashes on input that is not 2-D (no variant can reproduce a crash, so
no name is expected)."""

import numpy as np

EXPECT = {"dropout_forward": "lose"}


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = None
    if mode == "train":
        N, D = x.shape
        mask = (np.random.rand(N, D) < p) / p
        out = x * mask
    else:
        out = x
    return out, (dropout_param, mask)
