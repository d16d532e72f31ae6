"""Divides the caller's gradient array in place by the RMS before stepping (values are right)."""

import numpy as np

MISTAKE = "modifies-input"


def rmsprop(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    d = config["decay_rate"]
    cache = d * config.get("cache", np.zeros_like(w)) + (1 - d) * dw**2
    config["cache"] = cache
    dw /= np.sqrt(cache) + config["epsilon"]
    return w - config["learning_rate"] * dw, config
