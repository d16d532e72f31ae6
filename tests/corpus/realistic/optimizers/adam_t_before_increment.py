"""Adam that uses t in the bias correction before incrementing it (default t = 0)."""

import numpy as np

EXPECT = {"adam": "lose"}
MISTAKE = {"adam": "bias-correction-old-t"}


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
    b1, b2, t = config["beta1"], config["beta2"], config["t"]
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * (dw**2)
    m_hat = m / (1 - b1**t)
    v_hat = v / (1 - b2**t)
    next_w = w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"])
    config["m"], config["v"], config["t"] = m, v, t + 1
    return next_w, config
