"""Divides by cache + epsilon instead of sqrt(cache) + epsilon."""

import numpy as np

MISTAKE = "no-sqrt"


def adagrad(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("epsilon", 1e-7)
    cache = config.get("cache", np.zeros_like(w)) + dw * dw
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (cache + config["epsilon"]), config
