"""First-order update rules, learning-rate schedules and parameter averaging.

Implementation note: all state arrays live in config and are updated in place
(np.ndarray augmented assignment), and w itself is updated in place and returned.
"""

import numpy as np


def _with_defaults(config, **defaults):
    """Fill in the missing hyperparameters of config (in place) and return it."""
    if config is None:
        config = {}
    for key, value in defaults.items():
        config.setdefault(key, value)
    return config


def _state(config, name, w):
    """The state array config[name], created as zeros the first time."""
    return config.setdefault(name, np.zeros_like(w))


def sgd(w, dw, config=None):
    config = _with_defaults(config, learning_rate=1e-2)
    w -= config["learning_rate"] * dw
    return w, config


def sgd_momentum(w, dw, config=None):
    config = _with_defaults(config, learning_rate=1e-2, momentum=0.9)
    v = _state(config, "velocity", w)
    v *= config["momentum"]
    v -= config["learning_rate"] * dw
    w += v
    return w, config


def nesterov_momentum(w, dw, config=None):
    # -mu*v_prev + (1+mu)*v_new  simplifies to  mu*v_new - lr*dw  (the form torch uses)
    config = _with_defaults(config, learning_rate=1e-2, momentum=0.9)
    lr, mu = config["learning_rate"], config["momentum"]
    v = _state(config, "velocity", w)
    v *= mu
    v -= lr * dw
    w += mu * v - lr * dw
    return w, config


def adagrad(w, dw, config=None):
    config = _with_defaults(config, learning_rate=1e-2, epsilon=1e-7)
    cache = _state(config, "cache", w)
    cache += np.square(dw)
    w -= config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    return w, config


def rmsprop(w, dw, config=None):
    config = _with_defaults(config, learning_rate=1e-2, decay_rate=0.99, epsilon=1e-8)
    rho = config["decay_rate"]
    cache = _state(config, "cache", w)
    cache *= rho
    cache += (1 - rho) * np.square(dw)
    w -= config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    return w, config


def adam(w, dw, config=None):
    config = _with_defaults(config, learning_rate=1e-3, beta1=0.9, beta2=0.999,
                            epsilon=1e-8, t=0)
    b1, b2 = config["beta1"], config["beta2"]
    m = _state(config, "m", w)
    v = _state(config, "v", w)

    config["t"] += 1
    t = config["t"]
    m *= b1
    m += (1 - b1) * dw
    v *= b2
    v += (1 - b2) * np.square(dw)

    m_hat = m / (1 - b1 ** t)
    v_hat = v / (1 - b2 ** t)
    w -= config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"])
    return w, config


def adadelta(w, dw, config=None):
    config = _with_defaults(config, learning_rate=1.0, rho=0.95, epsilon=1e-6)
    rho, eps = config["rho"], config["epsilon"]
    cache = _state(config, "cache", w)
    delta = _state(config, "delta", w)

    cache *= rho
    cache += (1 - rho) * np.square(dw)
    update = -np.sqrt(delta + eps) / np.sqrt(cache + eps) * dw
    delta *= rho
    delta += (1 - rho) * np.square(update)
    w += config["learning_rate"] * update
    return w, config


def step_decay(lr0, epoch, drop=0.5, epochs_per_drop=10):
    n_drops = np.floor(epoch / epochs_per_drop)
    return float(lr0 * np.power(drop, n_drops))


def exponential_decay(lr0, t, k):
    return float(lr0 * np.exp(-k * t))


def inverse_time_decay(lr0, t, k):
    return float(lr0 / (1.0 + k * t))


def linear_decay(lr0, t, tau, lr_tau=None):
    if lr_tau is None:
        lr_tau = 0.01 * lr0
    if t >= tau:
        return float(lr_tau)
    return float(lr0 + (lr_tau - lr0) * (t / tau))


def ema_update(avg, w, decay=0.995):
    new_avg = avg.copy()
    new_avg *= decay
    new_avg += (1 - decay) * w
    return new_avg
