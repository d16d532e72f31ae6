"""Computes the new velocity but never writes it back into config."""

import numpy as np

MISTAKE = "velocity-not-stored"


def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v - config["learning_rate"] * dw
    return w + v, config
