"""First-order update rules, learning-rate schedules and parameter averaging."""

import numpy as np


def sgd(w, dw, config=None):
    """Vanilla stochastic gradient descent."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)

    w -= config["learning_rate"] * dw
    return w, config


def sgd_momentum(w, dw, config=None):
    """Stochastic gradient descent with momentum."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))

    next_w = None
    ###########################################################################
    # TODO: Implement the momentum update formula. Store the updated value in #
    # the next_w variable. You should also use and update the velocity v.     #
    ###########################################################################
    v = config["momentum"] * v - config["learning_rate"] * dw
    next_w = w + v
    ###########################################################################
    #                             END OF YOUR CODE                            #
    ###########################################################################
    config["velocity"] = v

    return next_w, config


def nesterov_momentum(w, dw, config=None):
    """Nesterov accelerated gradient, in the form where w is the look-ahead point."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))

    mu = config["momentum"]
    v_prev = v
    v = mu * v - config["learning_rate"] * dw
    next_w = w - mu * v_prev + (1 + mu) * v
    config["velocity"] = v

    return next_w, config


def adagrad(w, dw, config=None):
    """AdaGrad."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("epsilon", 1e-7)
    config.setdefault("cache", np.zeros_like(w))

    config["cache"] = config["cache"] + dw ** 2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(config["cache"]) + config["epsilon"])

    return next_w, config


def rmsprop(w, dw, config=None):
    """RMSProp."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))

    next_w = None
    ###########################################################################
    # TODO: Implement the RMSprop update formula, storing the next value of w #
    # in the next_w variable. Don't forget to update cache value stored in    #
    # config['cache'].                                                        #
    ###########################################################################
    dr = config["decay_rate"]
    config["cache"] = dr * config["cache"] + (1 - dr) * dw ** 2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(config["cache"]) + config["epsilon"])
    ###########################################################################
    #                             END OF YOUR CODE                            #
    ###########################################################################

    return next_w, config


def adam(w, dw, config=None):
    """Adam."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))
    config.setdefault("t", 0)

    next_w = None
    ###########################################################################
    # TODO: Implement the Adam update formula, storing the next value of w in #
    # the next_w variable. Don't forget to update the m, v, and t variables   #
    # stored in config.                                                       #
    ###########################################################################
    beta1, beta2 = config["beta1"], config["beta2"]
    config["t"] += 1
    t = config["t"]
    config["m"] = beta1 * config["m"] + (1 - beta1) * dw
    config["v"] = beta2 * config["v"] + (1 - beta2) * (dw ** 2)
    mt = config["m"] / (1 - beta1 ** t)
    vt = config["v"] / (1 - beta2 ** t)
    next_w = w - config["learning_rate"] * mt / (np.sqrt(vt) + config["epsilon"])
    ###########################################################################
    #                             END OF YOUR CODE                            #
    ###########################################################################

    return next_w, config


def adadelta(w, dw, config=None):
    """AdaDelta."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1.0)
    config.setdefault("rho", 0.95)
    config.setdefault("epsilon", 1e-6)
    config.setdefault("cache", np.zeros_like(w))
    config.setdefault("delta", np.zeros_like(w))

    rho, eps = config["rho"], config["epsilon"]
    config["cache"] = rho * config["cache"] + (1 - rho) * dw ** 2
    update = -np.sqrt(config["delta"] + eps) / np.sqrt(config["cache"] + eps) * dw
    config["delta"] = rho * config["delta"] + (1 - rho) * update ** 2
    next_w = w + config["learning_rate"] * update

    return next_w, config


def step_decay(lr0, epoch, drop=0.5, epochs_per_drop=10):
    """Step decay."""
    return float(lr0 * drop ** np.floor(epoch / epochs_per_drop))


def exponential_decay(lr0, t, k):
    """Exponential decay."""
    return float(lr0 * np.exp(-k * t))


def inverse_time_decay(lr0, t, k):
    """1/t decay."""
    return float(lr0 / (1 + k * t))


def linear_decay(lr0, t, tau, lr_tau=None):
    """Linear decay from lr0 to lr_tau."""
    if lr_tau is None:
        lr_tau = 0.01 * lr0
    a = min(t / tau, 1)
    return float((1 - a) * lr0 + a * lr_tau)


def ema_update(avg, w, decay=0.995):
    """Exponential moving average of parameters."""
    return decay * avg + (1 - decay) * w
