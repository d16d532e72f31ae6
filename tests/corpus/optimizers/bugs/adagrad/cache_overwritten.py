"""Overwrites the cache with the current dw**2 instead of adding to it."""

import numpy as np

MISTAKE = "cache-not-accumulated"


def adagrad(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("epsilon", 1e-7)
    config["cache"] = dw**2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(config["cache"]) + config["epsilon"])
    return next_w, config
