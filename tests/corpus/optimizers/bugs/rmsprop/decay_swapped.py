"""Weights the old cache by (1 - decay_rate) and the new dw**2 by decay_rate."""

import numpy as np

MISTAKE = "decay-swapped"


def rmsprop(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    d = config["decay_rate"]
    cache = (1 - d) * config.get("cache", np.zeros_like(w)) + d * dw**2
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config
