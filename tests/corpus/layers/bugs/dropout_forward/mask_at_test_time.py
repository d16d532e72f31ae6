"""Also draws and applies the dropout mask in test mode."""

import numpy as np

MISTAKE = "test-mode-applies-mask"


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode not in ("train", "test"):
        raise ValueError(mode)
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = np.random.binomial(1, p, size=x.shape).astype(np.float64) / p
    out = x * mask
    return out, (dict(dropout_param), mask if mode == "train" else None)
