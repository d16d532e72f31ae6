"""Adds the full dw**2 to the decayed cache, without the (1 - decay_rate) weight."""

import numpy as np

MISTAKE = "missing-one-minus-decay"


def rmsprop(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    cache = config["decay_rate"] * config.get("cache", np.zeros_like(w)) + dw**2
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config
