"""Keeps the velocity in a module-level global, so two parameters (or two configs) share it."""

import numpy as np

_velocity = None


def sgd_momentum(w, dw, config=None):
    global _velocity
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    if _velocity is None or _velocity.shape != np.shape(w):
        _velocity = np.array(config.get("velocity", np.zeros_like(w)), dtype=np.float64)
    _velocity = config["momentum"] * _velocity - config["learning_rate"] * dw
    config["velocity"] = _velocity
    return w + _velocity, config
