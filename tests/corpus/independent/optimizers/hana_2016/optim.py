import numpy as np

"""
This file implements various first-order update rules that are commonly used for
training neural networks. Each update rule accepts current weights and the
gradient of the loss with respect to those weights and produces the next set of
weights. Each update rule has the same interface:

def update(w, dw, config=None):
"""


def sgd(w, dw, config=None):
    """
    Performs vanilla stochastic gradient descent.

    config format:
    - learning_rate: Scalar learning rate.
    """
    if not config:
        config = {}
    config.setdefault('learning_rate', 1e-2)

    next_w = w - config['learning_rate'] * dw
    return next_w, config


def sgd_momentum(w, dw, config=None):
    if not config:
        config = {}
    config.setdefault('learning_rate', 1e-2)
    config.setdefault('momentum', 0.9)
    v = config.get('velocity', np.zeros_like(w))

    v = config['momentum'] * v - config['learning_rate'] * dw
    next_w = w + v

    config['velocity'] = v
    return next_w, config


def nesterov_momentum(w, dw, config=None):
    if not config:
        config = {}
    config.setdefault('learning_rate', 1e-2)
    config.setdefault('momentum', 0.9)
    v = config.get('velocity', np.zeros_like(w))

    mu = config['momentum']
    v_prev = v.copy()
    v = mu * v - config['learning_rate'] * dw
    next_w = w + (-mu * v_prev + (1 + mu) * v)

    config['velocity'] = v
    return next_w, config


def adagrad(w, dw, config=None):
    if not config:
        config = {}
    config.setdefault('learning_rate', 1e-2)
    config.setdefault('epsilon', 1e-7)
    config.setdefault('cache', np.zeros_like(w))

    cache = config['cache'] + dw * dw
    next_w = w - config['learning_rate'] * dw / (cache ** 0.5 + config['epsilon'])

    config['cache'] = cache
    return next_w, config


def rmsprop(w, dw, config=None):
    if not config:
        config = {}
    config.setdefault('learning_rate', 1e-2)
    config.setdefault('decay_rate', 0.99)
    config.setdefault('epsilon', 1e-8)
    config.setdefault('cache', np.zeros_like(w))

    cache = config['decay_rate'] * config['cache'] + (1 - config['decay_rate']) * dw ** 2
    next_w = w - config['learning_rate'] * dw / (cache ** 0.5 + config['epsilon'])

    config['cache'] = cache
    return next_w, config


def adam(w, dw, config=None):
    if not config:
        config = {}
    config.setdefault('learning_rate', 1e-3)
    config.setdefault('beta1', 0.9)
    config.setdefault('beta2', 0.999)
    config.setdefault('epsilon', 1e-8)
    config.setdefault('m', np.zeros_like(w))
    config.setdefault('v', np.zeros_like(w))
    config.setdefault('t', 0)

    b1 = config['beta1']
    b2 = config['beta2']
    config['t'] = config['t'] + 1
    config['m'] = b1 * config['m'] + (1 - b1) * dw
    config['v'] = b2 * config['v'] + (1 - b2) * dw ** 2
    mb = config['m'] / (1 - b1 ** config['t'])
    vb = config['v'] / (1 - b2 ** config['t'])
    next_w = w - config['learning_rate'] * mb / (vb ** 0.5 + config['epsilon'])

    return next_w, config


def adadelta(w, dw, config=None):
    """AdaDelta: the step is scaled by the ratio of the RMS of past updates to the RMS of
    past gradients.

        cache = rho * cache + (1 - rho) * dw**2
        update = -sqrt(delta + epsilon) / sqrt(cache + epsilon) * dw
        delta = rho * delta + (1 - rho) * update**2
        next_w = w + learning_rate * update

    config format:
    - learning_rate: Scalar multiplier of the update (default 1.0).
    - rho: Decay rate of both moving averages (default 0.95).
    - epsilon: Small scalar added inside both square roots (default 1e-6). It is what
      makes the very first step nonzero, so it must be in the numerator too.
    - cache: Moving average of squared gradients (starts at zeros).
    - delta: Moving average of squared updates (starts at zeros).
    """
    raise NotImplementedError("adadelta")


def step_decay(lr0, epoch, drop=0.5, epochs_per_drop=10):
    return lr0 * (drop ** (epoch // epochs_per_drop))


def exponential_decay(lr0, t, k):
    return lr0 * np.exp(-k * t)


def inverse_time_decay(lr0, t, k):
    return lr0 / (1. + k * t)


def linear_decay(lr0, t, tau, lr_tau=None):
    if lr_tau is None:
        lr_tau = lr0 / 100.
    a = min(t / float(tau), 1.)
    return (1 - a) * lr0 + a * lr_tau


def ema_update(avg, w, decay=0.995):
    return decay * avg + (1. - decay) * w
