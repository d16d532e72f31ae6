"""Adds the learning-rate step to the velocity (v = momentum * v + lr * dw; w + v): ascent."""

import numpy as np

MISTAKE = "velocity-sign"


def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v + config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config
