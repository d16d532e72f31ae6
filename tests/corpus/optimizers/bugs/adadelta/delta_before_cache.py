"""Computes the update with the old gradient cache and only then decays it with dw**2."""

import numpy as np


def adadelta(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1.0)
    config.setdefault("rho", 0.95)
    config.setdefault("epsilon", 1e-6)
    rho, eps = config["rho"], config["epsilon"]
    cache = config.get("cache", np.zeros_like(w))
    delta = config.get("delta", np.zeros_like(w))
    update = -np.sqrt(delta + eps) / np.sqrt(cache + eps) * dw
    config["cache"] = rho * cache + (1 - rho) * dw**2
    config["delta"] = rho * delta + (1 - rho) * update**2
    return w + config["learning_rate"] * update, config
