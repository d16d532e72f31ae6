"""Uses t from before this step in the bias correction and increments it only at the end."""

import numpy as np

MISTAKE = "bias-correction-old-t"


def adam(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    b1, b2 = config["beta1"], config["beta2"]
    t = config.get("t", 0)
    m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
    v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw**2
    mhat = m / (1 - b1**t)
    vhat = v / (1 - b2**t)
    next_w = w - config["learning_rate"] * mhat / (np.sqrt(vhat) + config["epsilon"])
    config["m"], config["v"], config["t"] = m, v, t + 1
    return next_w, config
