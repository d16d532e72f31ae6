"""Accumulates abs(dw) in the cache instead of dw**2."""

import numpy as np

MISTAKE = "abs-accumulation"


def adagrad(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("epsilon", 1e-7)
    cache = config.get("cache", np.zeros_like(w)) + np.abs(dw)
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config
