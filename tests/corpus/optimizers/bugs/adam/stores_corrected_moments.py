"""Stores the bias-corrected mhat and vhat in config instead of the raw m and v."""

import numpy as np

MISTAKE = "stores-corrected-moments"


def adam(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))
    config.setdefault("t", 0)
    b1, b2 = config["beta1"], config["beta2"]
    config["t"] += 1
    t = config["t"]
    config["m"] = (b1 * config["m"] + (1 - b1) * dw) / (1 - b1**t)
    config["v"] = (b2 * config["v"] + (1 - b2) * dw**2) / (1 - b2**t)
    next_w = w - config["learning_rate"] * config["m"] / (np.sqrt(config["v"]) + config["epsilon"])
    return next_w, config
