"""Steps with the raw moving averages m and v, without bias correction."""

import numpy as np

MISTAKE = "no-bias-correction"


def adam(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    b1, b2 = config["beta1"], config["beta2"]
    config["t"] = config.get("t", 0) + 1
    config["m"] = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
    config["v"] = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw**2
    step = config["learning_rate"] * config["m"] / (np.sqrt(config["v"]) + config["epsilon"])
    return w - step, config
