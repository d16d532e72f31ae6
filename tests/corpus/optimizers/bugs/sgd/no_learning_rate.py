"""Steps by the raw gradient and never uses the learning rate."""

MISTAKE = "ignores-learning-rate"


def sgd(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    next_w = w - dw
    return next_w, config
