"""Adds the scaled gradient to w instead of subtracting it."""

MISTAKE = "sign-flipped"


def sgd(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    return w + config["learning_rate"] * dw, config
