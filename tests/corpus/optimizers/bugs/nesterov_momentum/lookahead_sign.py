"""Adds momentum * v_prev in the look-ahead correction instead of subtracting it."""

import numpy as np

MISTAKE = "lookahead-sign"


def nesterov_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    mu = config["momentum"]
    v_prev = config.get("velocity", np.zeros_like(w))
    v = mu * v_prev - config["learning_rate"] * dw
    config["velocity"] = v
    return w + mu * v_prev + (1 + mu) * v, config
