"""First-order update rules, learning-rate schedules and parameter averaging.

(My version: I never mutate the caller's dict -- every rule works on a copy of config
and returns the copy.)
"""

import math

import numpy as np


def _copy_config(config):
    # work on a shallow copy so that the caller's dict is never modified
    return {} if config is None else dict(config)


def sgd(w, dw, config=None):
    config = _copy_config(config)
    lr = config.get("learning_rate", 1e-2)
    config["learning_rate"] = lr

    next_w = w - lr * dw
    return next_w, config


def sgd_momentum(w, dw, config=None):
    config = _copy_config(config)
    lr = config.get("learning_rate", 1e-2)
    mu = config.get("momentum", 0.9)
    v = config.get("velocity")
    if v is None:
        v = np.zeros(w.shape, dtype=np.float32)  # becomes float64 after the first update

    v = mu * v - lr * dw
    next_w = w + v

    config.update(learning_rate=lr, momentum=mu, velocity=v)
    return next_w, config


def nesterov_momentum(w, dw, config=None):
    config = _copy_config(config)
    lr = config.get("learning_rate", 1e-2)
    mu = config.get("momentum", 0.9)
    v_prev = config.get("velocity")
    if v_prev is None:
        v_prev = np.zeros_like(w)

    v = mu * v_prev - lr * dw
    next_w = w - mu * v_prev + (1.0 + mu) * v

    config.update(learning_rate=lr, momentum=mu, velocity=v)
    return next_w, config


def adagrad(w, dw, config=None):
    config = _copy_config(config)
    lr = config.get("learning_rate", 1e-2)
    eps = config.get("epsilon", 1e-7)
    cache = config.get("cache")
    if cache is None:
        cache = np.zeros_like(w)

    cache = cache + dw * dw
    next_w = w - lr * dw / (np.sqrt(cache) + eps)

    config.update(learning_rate=lr, epsilon=eps, cache=cache)
    return next_w, config


def rmsprop(w, dw, config=None):
    config = _copy_config(config)
    lr = config.get("learning_rate", 1e-2)
    decay = config.get("decay_rate", 0.99)
    eps = config.get("epsilon", 1e-8)
    cache = config.get("cache")
    if cache is None:
        cache = np.zeros_like(w)

    cache = decay * cache + (1.0 - decay) * dw * dw
    next_w = w - lr * dw / (np.sqrt(cache) + eps)

    config.update(learning_rate=lr, decay_rate=decay, epsilon=eps, cache=cache)
    return next_w, config


def adam(w, dw, config=None):
    """Adam as in Algorithm 1 of Kingma & Ba, with the "more efficient" ordering of
    Section 2: the bias corrections are folded into the step size alpha_t and into
    epsilon_hat = epsilon * sqrt(1 - beta2^t), which is exactly the same update."""
    config = _copy_config(config)
    lr = config.get("learning_rate", 1e-3)
    beta1 = config.get("beta1", 0.9)
    beta2 = config.get("beta2", 0.999)
    eps = config.get("epsilon", 1e-8)
    m = config.get("m")
    v = config.get("v")
    if m is None:
        m = np.zeros_like(w)
    if v is None:
        v = np.zeros_like(w)
    t = config.get("t", 0) + 1

    m = beta1 * m + (1.0 - beta1) * dw
    v = beta2 * v + (1.0 - beta2) * dw * dw

    c2 = math.sqrt(1.0 - beta2 ** t)
    alpha_t = lr * c2 / (1.0 - beta1 ** t)
    eps_hat = eps * c2
    next_w = w - alpha_t * m / (np.sqrt(v) + eps_hat)

    config.update(learning_rate=lr, beta1=beta1, beta2=beta2, epsilon=eps, m=m, v=v, t=t)
    return next_w, config


def adadelta(w, dw, config=None):
    config = _copy_config(config)
    lr = config.get("learning_rate", 1.0)
    rho = config.get("rho", 0.95)
    eps = config.get("epsilon", 1e-6)
    cache = config.get("cache")
    delta = config.get("delta")
    if cache is None:
        cache = np.zeros_like(w)
    if delta is None:
        delta = np.zeros_like(w)

    cache = rho * cache + (1.0 - rho) * dw * dw
    update = -np.sqrt((delta + eps) / (cache + eps)) * dw
    delta = rho * delta + (1.0 - rho) * update * update
    next_w = w + lr * update

    config.update(learning_rate=lr, rho=rho, epsilon=eps, cache=cache, delta=delta)
    return next_w, config


def step_decay(lr0, epoch, drop=0.5, epochs_per_drop=10):
    return lr0 * math.pow(drop, math.floor(epoch / epochs_per_drop))


def exponential_decay(lr0, t, k):
    return lr0 * math.exp(-k * t)


def inverse_time_decay(lr0, t, k):
    return lr0 / (1.0 + k * t)


def linear_decay(lr0, t, tau, lr_tau=None):
    lr_tau = 0.01 * lr0 if lr_tau is None else lr_tau
    frac = min(float(t) / tau, 1.0)
    return (1.0 - frac) * lr0 + frac * lr_tau


def ema_update(avg, w, decay=0.995):
    # avg + (1 - decay) * (w - avg)  ==  decay * avg + (1 - decay) * w
    return avg + (1.0 - decay) * (w - avg)
