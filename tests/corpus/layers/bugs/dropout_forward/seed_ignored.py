"""Never seeds the generator, so equal seeds do not give equal masks."""

import numpy as np


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode == "train":
        mask = np.random.binomial(1, p, size=x.shape).astype(np.float64) / p
        out = x * mask
    elif mode == "test":
        out, mask = x.copy(), None
    else:
        raise ValueError(mode)
    return out, (dict(dropout_param), mask)
