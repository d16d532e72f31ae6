"""Optimizers in the classic CS231n solution style (config.setdefault, in-place state
updates on fresh arrays), correct except for one accepted variation: RMSProp adds
epsilon INSIDE the square root, w - lr * dw / sqrt(cache + eps). With the course's
gradients that moves a step by far less than the grading tolerance, so this submission
must still score full marks."""

import numpy as np


def sgd(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    next_w = w - config["learning_rate"] * dw
    return next_w, config


def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v - config["learning_rate"] * dw
    next_w = w + v
    config["velocity"] = v
    return next_w, config


def nesterov_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v_prev = v
    v = config["momentum"] * v - config["learning_rate"] * dw
    next_w = w - config["momentum"] * v_prev + (1 + config["momentum"]) * v
    config["velocity"] = v
    return next_w, config


def adagrad(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("epsilon", 1e-7)
    config.setdefault("cache", np.zeros_like(w))
    config["cache"] = config["cache"] + dw**2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(config["cache"]) + config["epsilon"])
    return next_w, config


def rmsprop(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))
    decay = config["decay_rate"]
    config["cache"] = decay * config["cache"] + (1 - decay) * dw**2
    next_w = w - config["learning_rate"] * dw / np.sqrt(config["cache"] + config["epsilon"])
    return next_w, config


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
    beta1, beta2 = config["beta1"], config["beta2"]
    config["t"] += 1
    config["m"] = beta1 * config["m"] + (1 - beta1) * dw
    config["v"] = beta2 * config["v"] + (1 - beta2) * (dw**2)
    mt = config["m"] / (1 - beta1 ** config["t"])
    vt = config["v"] / (1 - beta2 ** config["t"])
    next_w = w - config["learning_rate"] * mt / (np.sqrt(vt) + config["epsilon"])
    return next_w, config


def adadelta(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1.0)
    config.setdefault("rho", 0.95)
    config.setdefault("epsilon", 1e-6)
    config.setdefault("cache", np.zeros_like(w))
    config.setdefault("delta", np.zeros_like(w))
    rho, eps = config["rho"], config["epsilon"]
    config["cache"] = rho * config["cache"] + (1 - rho) * dw**2
    update = -np.sqrt(config["delta"] + eps) / np.sqrt(config["cache"] + eps) * dw
    config["delta"] = rho * config["delta"] + (1 - rho) * update**2
    next_w = w + config["learning_rate"] * update
    return next_w, config


def step_decay(lr0, epoch, drop=0.5, epochs_per_drop=10):
    return float(lr0 * drop ** (epoch // epochs_per_drop))


def exponential_decay(lr0, t, k):
    return float(lr0 * np.exp(-k * t))


def inverse_time_decay(lr0, t, k):
    return float(lr0 / (1 + k * t))


def linear_decay(lr0, t, tau, lr_tau=None):
    if lr_tau is None:
        lr_tau = 0.01 * lr0
    a = min(t / tau, 1)
    return float((1 - a) * lr0 + a * lr_tau)


def ema_update(avg, w, decay=0.995):
    return decay * avg + (1 - decay) * w
