"""Inverts the RMS ratio: sqrt(cache + eps) / sqrt(delta + eps)."""

import numpy as np

MISTAKE = "ratio-swapped"


def adadelta(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1.0)
    config.setdefault("rho", 0.95)
    config.setdefault("epsilon", 1e-6)
    rho, eps = config["rho"], config["epsilon"]
    cache = rho * config.get("cache", np.zeros_like(w)) + (1 - rho) * dw**2
    delta = config.get("delta", np.zeros_like(w))
    update = -np.sqrt(cache + eps) / np.sqrt(delta + eps) * dw
    config["delta"] = rho * delta + (1 - rho) * update**2
    config["cache"] = cache
    return w + config["learning_rate"] * update, config
