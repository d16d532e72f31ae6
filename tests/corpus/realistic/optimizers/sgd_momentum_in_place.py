"""Correct: momentum with in-place updates of v and w."""

import numpy as np

EXPECT = {"sgd_momentum": "full"}


def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v *= config["momentum"]
    v -= config["learning_rate"] * dw
    w += v
    config["velocity"] = v
    return w, config
