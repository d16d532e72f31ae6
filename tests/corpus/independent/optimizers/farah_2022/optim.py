"""First-order update rules, learning-rate schedules and parameter averaging."""

import math

import numpy as np


def _setup(config, defaults):
    if config is None:
        config = {}
    for k, v in defaults.items():
        config.setdefault(k, v)
    return config


def sgd(w, dw, config=None):
    config = _setup(config, {"learning_rate": 1e-2})
    next_w = w - config["learning_rate"] * dw
    return next_w, config


def sgd_momentum(w, dw, config=None):
    config = _setup(config, {"learning_rate": 1e-2, "momentum": 0.9})
    v = config.setdefault("velocity", np.zeros_like(w))
    v *= config["momentum"]
    v -= config["learning_rate"] * dw
    next_w = w + v
    return next_w, config


def nesterov_momentum(w, dw, config=None):
    config = _setup(config, {"learning_rate": 1e-2, "momentum": 0.9})
    mu = config["momentum"]
    v = config.setdefault("velocity", np.zeros_like(w))
    v_prev = v
    v *= mu
    v -= config["learning_rate"] * dw
    next_w = w - mu * v_prev + (1 + mu) * v
    return next_w, config


def adagrad(w, dw, config=None):
    config = _setup(config, {"learning_rate": 1e-2, "epsilon": 1e-7})
    cache = config.setdefault("cache", np.zeros_like(w))
    cache += dw ** 2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    return next_w, config


def rmsprop(w, dw, config=None):
    config = _setup(config, {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8})
    rho = config["decay_rate"]
    cache = config.setdefault("cache", np.zeros_like(w))
    cache *= rho
    cache += (1 - rho) * dw ** 2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    return next_w, config


def adam(w, dw, config=None):
    config = _setup(config, {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999,
                             "epsilon": 1e-8, "t": 0})
    b1, b2 = config["beta1"], config["beta2"]
    m = config.setdefault("m", np.zeros_like(w))
    v = config.setdefault("v", np.zeros_like(w))
    config["t"] += 1
    m *= b1
    m += (1 - b1) * dw
    v *= b2
    v += (1 - b2) * dw ** 2
    mhat = m / (1 - b1 ** config["t"])
    vhat = v / (1 - b2 ** config["t"])
    next_w = w - config["learning_rate"] * mhat / (np.sqrt(vhat) + config["epsilon"])
    return next_w, config


def adadelta(w, dw, config=None):
    config = _setup(config, {"learning_rate": 1.0, "rho": 0.95, "epsilon": 1e-6})
    rho, eps = config["rho"], config["epsilon"]
    cache = config.setdefault("cache", np.zeros_like(w))
    delta = config.setdefault("delta", np.zeros_like(w))
    cache *= rho
    cache += (1 - rho) * dw ** 2
    update = -np.sqrt(delta + eps) / np.sqrt(cache + eps) * dw
    delta *= rho
    delta += (1 - rho) * update ** 2
    next_w = w + config["learning_rate"] * update
    return next_w, config


def step_decay(lr0, epoch, drop=0.5, epochs_per_drop=10):
    return lr0 * math.pow(drop, math.floor((1 + epoch) / epochs_per_drop))


def exponential_decay(lr0, t, k):
    return lr0 * math.exp(-k * t)


def inverse_time_decay(lr0, t, k):
    return lr0 / (1 + k * t)


def linear_decay(lr0, t, tau, lr_tau=None):
    if lr_tau is None:
        lr_tau = 0.01 * lr0
    a = min(t / tau, 1.0)
    return (1 - a) * lr0 + a * lr_tau


def ema_update(avg, w, decay=0.995):
    return decay * w + (1 - decay) * avg
