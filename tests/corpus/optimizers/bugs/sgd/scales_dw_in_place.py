"""Scales the caller's gradient array in place (dw *= lr) before stepping."""

MISTAKE = "modifies-input"


def sgd(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    dw *= config["learning_rate"]
    return w - dw, config
