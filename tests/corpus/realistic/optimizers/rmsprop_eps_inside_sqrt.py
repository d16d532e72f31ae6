"""Correct: RMSProp with epsilon inside the square root (Hinton's slides)."""

import numpy as np

EXPECT = {"rmsprop": "full"}


def rmsprop(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))
    cache = config["cache"]
    cache = config["decay_rate"] * cache + (1 - config["decay_rate"]) * (dw * dw)
    next_w = w - config["learning_rate"] * dw / np.sqrt(cache + config["epsilon"])
    config["cache"] = cache
    return next_w, config
