"""Leaves epsilon out of the numerator, so from delta = 0 the update is always zero."""

import numpy as np

MISTAKE = "no-eps-numerator"


def adadelta(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1.0)
    config.setdefault("rho", 0.95)
    config.setdefault("epsilon", 1e-6)
    rho, eps = config["rho"], config["epsilon"]
    cache = rho * config.get("cache", np.zeros_like(w)) + (1 - rho) * dw**2
    delta = config.get("delta", np.zeros_like(w))
    update = -np.sqrt(delta) / np.sqrt(cache + eps) * dw
    config["delta"] = rho * delta + (1 - rho) * update**2
    config["cache"] = cache
    return w + config["learning_rate"] * update, config
