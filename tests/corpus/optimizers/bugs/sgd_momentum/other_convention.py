"""Stores the velocity as momentum * v + dw and steps by w - lr * v (the other convention)."""

import numpy as np

MISTAKE = "velocity-other-convention"


def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v + dw
    next_w = w - config["learning_rate"] * v
    config["velocity"] = v
    return next_w, config
