import numpy as np

"""
This file implements various first-order update rules that are commonly used
for training neural networks. Each update rule accepts current weights and the
gradient of the loss with respect to those weights and produces the next set of
weights. Each update rule has the same interface:

def update(w, dw, config=None):
"""


def sgd(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault('learning_rate', 1e-2)

    w -= config['learning_rate'] * dw
    return w, config


def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault('learning_rate', 1e-2)
    config.setdefault('momentum', 0.9)
    v = config.get('velocity', np.zeros_like(w))

    next_w = None
    # step with the current velocity, then integrate the gradient into it
    next_w = w + v
    v = config['momentum'] * v - config['learning_rate'] * dw
    config['velocity'] = v

    return next_w, config


def nesterov_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault('learning_rate', 1e-2)
    config.setdefault('momentum', 0.9)
    v = config.get('velocity', np.zeros_like(w))

    mu = config['momentum']
    v_prev = v
    v = mu * v - config['learning_rate'] * dw
    next_w = w - mu * v_prev + (1 + mu) * v
    config['velocity'] = v

    return next_w, config


def adagrad(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault('learning_rate', 1e-2)
    config.setdefault('epsilon', 1e-7)
    config.setdefault('cache', np.zeros_like(w))

    config['cache'] += dw ** 2
    next_w = w - config['learning_rate'] * dw / (np.sqrt(config['cache']) + config['epsilon'])
    return next_w, config


def rmsprop(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault('learning_rate', 1e-2)
    config.setdefault('decay_rate', 0.99)
    config.setdefault('epsilon', 1e-8)
    config.setdefault('cache', np.zeros_like(w))

    dr = config['decay_rate']
    config['cache'] = dr * config['cache'] + (1 - dr) * dw ** 2
    next_w = w - config['learning_rate'] * dw / (np.sqrt(config['cache']) + config['epsilon'])
    return next_w, config


def adam(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault('learning_rate', 1e-3)
    config.setdefault('beta1', 0.9)
    config.setdefault('beta2', 0.999)
    config.setdefault('epsilon', 1e-8)
    config.setdefault('m', np.zeros_like(w))
    config.setdefault('v', np.zeros_like(w))
    config.setdefault('t', 0)

    next_w = None
    beta1, beta2, eps = config['beta1'], config['beta2'], config['epsilon']
    t = config['t'] + 1
    config['m'] = beta1 * config['m'] + (1 - beta1) * dw
    config['v'] = beta2 * config['v'] + (1 - beta2) * (dw ** 2)
    mb = config['m'] / (1 - beta1 ** t)
    vb = config['v'] / (1 - beta2 ** t)
    # print('adam t =', t, 'max |mb| =', np.abs(mb).max())
    next_w = w - config['learning_rate'] * mb / (np.sqrt(vb) + eps)

    return next_w, config


def adadelta(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault('learning_rate', 1.0)
    config.setdefault('rho', 0.95)
    config.setdefault('epsilon', 1e-6)
    config.setdefault('cache', np.zeros_like(w))
    config.setdefault('delta', np.zeros_like(w))

    rho, eps = config['rho'], config['epsilon']
    config['cache'] = rho * config['cache'] + (1 - rho) * dw ** 2
    update = -np.sqrt(config['delta'] + eps) / np.sqrt(config['cache'] + eps) * dw
    config['delta'] = rho * config['delta'] + (1 - rho) * update ** 2
    next_w = w + config['learning_rate'] * update
    return next_w, config


def step_decay(lr0, epoch, drop=0.5, epochs_per_drop=10):
    return float(lr0 * drop ** np.floor(epoch / epochs_per_drop))


def exponential_decay(lr0, t, k):
    return float(lr0 * np.exp(-k * t))


def inverse_time_decay(lr0, t, k):
    return float(lr0 / (1 + k * t))


def linear_decay(lr0, t, tau, lr_tau=None):
    if lr_tau is None:
        lr_tau = 0.01 * lr0
    a = min(t / tau, 1)
    lr = (1 - a) * lr0 + a * lr_tau
    print('linear_decay: t=%s lr=%s' % (t, lr))
    return float(lr)


def ema_update(avg, w, decay=0.995):
    return decay * avg + (1 - decay) * w
