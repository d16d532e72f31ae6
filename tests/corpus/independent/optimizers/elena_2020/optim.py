"""First-order update rules, learning-rate schedules and parameter averaging."""

import numpy as np


def sgd(w, dw, config=None):
    if config is None:
        config = {}
    lr = config.get("learning_rate", 1e-2)
    config["learning_rate"] = lr
    next_w = w - lr * dw
    return next_w, config


def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    lr = config.get("learning_rate", 1e-2)
    mu = config.get("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))

    v = mu * v - lr * dw
    next_w = w + v

    config["velocity"] = v
    return next_w, config


def nesterov_momentum(w, dw, config=None):
    if config is None:
        config = {}
    lr = config.get("learning_rate", 1e-2)
    mu = config.get("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))

    v_prev = v
    v = mu * v - lr * dw
    next_w = w - mu * v_prev + (1 + mu) * v

    config["velocity"] = v
    return next_w, config


def adagrad(w, dw, config=None):
    if config is None:
        config = {}
    lr = config.get("learning_rate", 1e-2)
    eps = config.get("epsilon", 1e-7)
    cache = config.get("cache", np.zeros_like(w)) + dw ** 2

    next_w = w - lr * dw / (np.sqrt(cache) + eps)
    return next_w, config


def rmsprop(w, dw, config=None):
    if config is None:
        config = {}
    lr = config.get("learning_rate", 1e-2)
    decay_rate = config.get("decay_rate", 0.99)
    eps = config.get("epsilon", 1e-8)
    cache = config.get("cache", np.zeros_like(w))

    cache = decay_rate * cache + (1 - decay_rate) * dw ** 2
    next_w = w - lr * dw / (cache + eps)

    config["cache"] = cache
    return next_w, config


def adam(w, dw, config=None):
    if config is None:
        config = {}
    lr = config.get("learning_rate", 1e-3)
    beta1 = config.get("beta1", 0.9)
    beta2 = config.get("beta2", 0.999)
    eps = config.get("epsilon", 1e-8)
    m = config.get("m", np.zeros_like(w))
    v = config.get("v", np.zeros_like(w))
    t = config.get("t", 0)

    t += 1
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    next_w = w - lr * m_hat / (np.sqrt(v_hat) + eps)

    config["m"] = m
    config["v"] = v
    config["t"] = t
    return next_w, config


def adadelta(w, dw, config=None):
    if config is None:
        config = {}
    lr = config.get("learning_rate", 1.0)
    rho = config.get("rho", 0.95)
    eps = config.get("epsilon", 1e-6)
    cache = config.get("cache", np.zeros_like(w))
    delta = config.get("delta", np.zeros_like(w))

    cache = rho * cache + (1 - rho) * dw ** 2
    update = -np.sqrt(delta + eps) / np.sqrt(cache + eps) * dw
    delta = rho * delta + (1 - rho) * update ** 2
    next_w = w + lr * update

    config["cache"] = cache
    config["delta"] = delta
    return next_w, config


def step_decay(lr0, epoch, drop=0.5, epochs_per_drop=10):
    return float(lr0 * drop ** np.floor(epoch / epochs_per_drop))


def exponential_decay(lr0, t, k):
    return float(lr0 * np.exp(-k * t))


def inverse_time_decay(lr0, t, k):
    return float(lr0 / (1 + k * t))


def linear_decay(lr0, t, tau, lr_tau=None):
    lr_tau = lr_tau or 0.01 * lr0
    a = min(t / tau, 1.0)
    return float((1 - a) * lr0 + a * lr_tau)


def ema_update(avg, w, decay=0.995):
    return decay * avg + (1 - decay) * w
