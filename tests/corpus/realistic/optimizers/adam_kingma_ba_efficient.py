"""Correct: Adam in Kingma & Ba's efficient form, the correction folded into the step size."""

import numpy as np

EXPECT = {"adam": "full"}


def adam(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))
    config.setdefault("t", 0)
    config["t"] += 1
    t, b1, b2 = config["t"], config["beta1"], config["beta2"]
    config["m"] = b1 * config["m"] + (1 - b1) * dw
    config["v"] = b2 * config["v"] + (1 - b2) * dw**2
    alpha_t = config["learning_rate"] * np.sqrt(1 - b2**t) / (1 - b1**t)
    next_w = w - alpha_t * config["m"] / (np.sqrt(config["v"]) + config["epsilon"])
    return next_w, config
