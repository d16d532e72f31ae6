"""Moves w with the velocity from before the update, then updates the velocity."""

import numpy as np

MISTAKE = "steps-with-old-velocity"


def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    next_w = w + v
    config["velocity"] = config["momentum"] * v - config["learning_rate"] * dw
    return next_w, config
