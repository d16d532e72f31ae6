"""Optimizers written by a student who puts epsilon inside every square root
(AdaGrad, RMSProp and Adam: dw / sqrt(cache + eps)) and keeps the hyperparameters in
local variables, returning a fresh config dict each step. Adam divides by
sqrt(v_hat + eps) with the bias-corrected v_hat. On the grader's gradients that moves a
step by far less than the tolerance: this submission must score full marks."""

import numpy as np


def _get(config, key, default):
    value = config.get(key)
    return default if value is None else value


def sgd(w, dw, config=None):
    config = dict(config or {})
    config.setdefault("learning_rate", 1e-2)
    return w - config["learning_rate"] * dw, config


def sgd_momentum(w, dw, config=None):
    config = dict(config or {})
    lr, momentum = _get(config, "learning_rate", 1e-2), _get(config, "momentum", 0.9)
    v = momentum * _get(config, "velocity", np.zeros_like(w)) - lr * dw
    config.update({"learning_rate": lr, "momentum": momentum, "velocity": v})
    return w + v, config


def nesterov_momentum(w, dw, config=None):
    config = dict(config or {})
    lr, momentum = _get(config, "learning_rate", 1e-2), _get(config, "momentum", 0.9)
    v_prev = _get(config, "velocity", np.zeros_like(w))
    v = momentum * v_prev - lr * dw
    config.update({"learning_rate": lr, "momentum": momentum, "velocity": v})
    return w + momentum * v - lr * dw, config


def adagrad(w, dw, config=None):
    config = dict(config or {})
    lr, eps = _get(config, "learning_rate", 1e-2), _get(config, "epsilon", 1e-7)
    cache = _get(config, "cache", np.zeros_like(w)) + np.square(dw)
    config.update({"learning_rate": lr, "epsilon": eps, "cache": cache})
    return w - lr * dw / np.sqrt(cache + eps), config


def rmsprop(w, dw, config=None):
    config = dict(config or {})
    lr, rate = _get(config, "learning_rate", 1e-2), _get(config, "decay_rate", 0.99)
    eps = _get(config, "epsilon", 1e-8)
    cache = rate * _get(config, "cache", np.zeros_like(w)) + (1 - rate) * np.square(dw)
    config.update({"learning_rate": lr, "decay_rate": rate, "epsilon": eps, "cache": cache})
    return w - lr * dw / np.sqrt(cache + eps), config


def adam(w, dw, config=None):
    config = dict(config or {})
    lr = _get(config, "learning_rate", 1e-3)
    b1, b2 = _get(config, "beta1", 0.9), _get(config, "beta2", 0.999)
    eps = _get(config, "epsilon", 1e-8)
    t = _get(config, "t", 0) + 1
    m = b1 * _get(config, "m", np.zeros_like(w)) + (1 - b1) * dw
    v = b2 * _get(config, "v", np.zeros_like(w)) + (1 - b2) * np.square(dw)
    m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
    config.update(
        {"learning_rate": lr, "beta1": b1, "beta2": b2, "epsilon": eps, "m": m, "v": v, "t": t}
    )
    return w - lr * m_hat / np.sqrt(v_hat + eps), config


def adadelta(w, dw, config=None):
    config = dict(config or {})
    lr, rho = _get(config, "learning_rate", 1.0), _get(config, "rho", 0.95)
    eps = _get(config, "epsilon", 1e-6)
    cache = rho * _get(config, "cache", np.zeros_like(w)) + (1 - rho) * np.square(dw)
    delta = _get(config, "delta", np.zeros_like(w))
    update = -dw * np.sqrt(delta + eps) / np.sqrt(cache + eps)
    delta = rho * delta + (1 - rho) * np.square(update)
    config.update({"learning_rate": lr, "rho": rho, "epsilon": eps, "cache": cache, "delta": delta})
    return w + lr * update, config


def step_decay(lr0, epoch, drop=0.5, epochs_per_drop=10):
    lr = lr0
    for _ in range(epoch // epochs_per_drop):
        lr *= drop
    return float(lr)


def exponential_decay(lr0, t, k):
    return float(lr0 * np.exp(-k * t))


def inverse_time_decay(lr0, t, k):
    return float(lr0 / (1 + k * t))


def linear_decay(lr0, t, tau, lr_tau=None):
    if lr_tau is None:
        lr_tau = lr0 / 100
    frac = min(1.0, t / tau)
    return float(lr0 - frac * (lr0 - lr_tau))


def ema_update(avg, w, decay=0.995):
    return avg + (1 - decay) * (w - avg)
