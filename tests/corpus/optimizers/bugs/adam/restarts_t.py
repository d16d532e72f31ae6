"""Ignores a supplied t and restarts the iteration count from 0 on every call."""

import numpy as np

MISTAKE = "t-reset"


def adam(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config["t"] = 0
    b1, b2 = config["beta1"], config["beta2"]
    config["t"] += 1
    t = config["t"]
    config["m"] = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
    config["v"] = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw**2
    mhat = config["m"] / (1 - b1**t)
    vhat = config["v"] / (1 - b2**t)
    return w - config["learning_rate"] * mhat / (np.sqrt(vhat) + config["epsilon"]), config
