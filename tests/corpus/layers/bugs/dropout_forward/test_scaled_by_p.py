"""Mixes vanilla and inverted dropout: scales by 1/p at train time and also by p at test time."""

import numpy as np

MISTAKE = "test-mode-scales-by-p"


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode == "train":
        if "seed" in dropout_param:
            np.random.seed(dropout_param["seed"])
        mask = np.random.binomial(1, p, size=x.shape).astype(np.float64) / p
        out = x * mask
    elif mode == "test":
        out, mask = x * p, None
    else:
        raise ValueError(mode)
    return out, (dict(dropout_param), mask)
