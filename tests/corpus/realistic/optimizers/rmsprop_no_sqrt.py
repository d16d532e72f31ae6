"""RMSProp that divides by the moving average itself, not its square root."""

import numpy as np

EXPECT = {"rmsprop": "lose"}
MISTAKE = {"rmsprop": "no-sqrt"}


def rmsprop(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))

    config["cache"] = config["decay_rate"] * config["cache"] + (1 - config["decay_rate"]) * dw**2
    next_w = w - config["learning_rate"] * dw / (config["cache"] + config["epsilon"])
    return next_w, config
