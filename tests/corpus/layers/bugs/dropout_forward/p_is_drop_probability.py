"""Treats p as the probability of dropping a unit instead of keeping it."""

import numpy as np

MISTAKE = "p-is-drop-probability"


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode == "train":
        if "seed" in dropout_param:
            np.random.seed(dropout_param["seed"])
        kept = np.random.binomial(1, 1 - p, size=x.shape).astype(np.float64)
        out = x * kept / (1 - p)
        mask = kept / p
    elif mode == "test":
        out, mask = x.copy(), None
    else:
        raise ValueError(mode)
    return out, (dict(dropout_param), mask)
