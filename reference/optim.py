"""First-order update rules, learning-rate schedules and parameter averaging.

Every update rule has the same interface:

    def update(w, dw, config=None):

Inputs:
- w: A numpy array giving the current weights.
- dw: A numpy array of the same shape as w giving the gradient of the loss with respect
  to w.
- config: A dictionary containing hyperparameter values such as the learning rate and
  the momentum. If the update rule needs to remember values over many iterations (a
  velocity, a cache of squared gradients, ...), config also holds these values, under
  the names given in each docstring.

Returns a tuple of:
- next_w: The next point after the update.
- config: The config dictionary to be passed to the next call of the update rule.

If config is None, start from an empty dictionary (config = {}). Missing hyperparameters
take the defaults given in each docstring (use config.setdefault(name, default)); missing
state (velocity, cache, ...) starts as np.zeros_like(w). One config belongs to one
parameter: keep all state in config, never in global variables.

NOTE: For most update rules the default learning rate will probably not perform well;
however the default values of the other hyperparameters should work well for a variety
of different problems.

Conventions: all arrays are float64 NumPy arrays. Never modify dw in place. Whether you
update w in place or return a new array is up to you.

Learning-rate schedules return the learning rate as a Python float; ema_update returns a
new array.
"""

import numpy as np


# BEGIN SOLUTION
def _prepared(w, dw, config, **defaults):
    """w and dw as float64 arrays, and the config (a new one for None) with every missing
    hyperparameter set to its default."""
    config = {} if config is None else config
    for key, value in defaults.items():
        config.setdefault(key, value)
    return np.asarray(w, dtype=np.float64), np.asarray(dw, dtype=np.float64), config


def _state(config, key, like):
    """The state config[key] as a float64 array, or zeros shaped like `like` at first."""
    value = config.get(key)
    return np.zeros_like(like) if value is None else np.asarray(value, dtype=np.float64)


# END SOLUTION


def sgd(w, dw, config=None):
    """Vanilla stochastic gradient descent.

        next_w = w - learning_rate * dw

    config format:
    - learning_rate: Scalar learning rate (default 1e-2).
    """
    # BEGIN SOLUTION
    w, dw, config = _prepared(w, dw, config, learning_rate=1e-2)
    return w - config["learning_rate"] * dw, config
    # END SOLUTION


def sgd_momentum(w, dw, config=None):
    """Stochastic gradient descent with momentum.

        v = momentum * v - learning_rate * dw
        next_w = w + v

    config format:
    - learning_rate: Scalar learning rate (default 1e-2).
    - momentum: Scalar between 0 and 1 giving the momentum value (default 0.9). Setting
      momentum = 0 reduces to sgd.
    - velocity: A numpy array of the same shape as w and dw, the velocity v (starts at
      zeros). Store the updated v back as config['velocity'].
    """
    # BEGIN SOLUTION
    w, dw, config = _prepared(w, dw, config, learning_rate=1e-2, momentum=0.9)
    v = config["momentum"] * _state(config, "velocity", w) - config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config
    # END SOLUTION


def nesterov_momentum(w, dw, config=None):
    """Nesterov accelerated gradient, in the form where w is the look-ahead point.

    dw is the gradient at the current w (which plays the role of the look-ahead point):

        v_prev = v
        v = momentum * v - learning_rate * dw
        next_w = w - momentum * v_prev + (1 + momentum) * v

    config format:
    - learning_rate: Scalar learning rate (default 1e-2).
    - momentum: Scalar between 0 and 1 giving the momentum value (default 0.9).
    - velocity: A numpy array of the same shape as w and dw, the velocity v (starts at
      zeros). Store the updated v back as config['velocity'].
    """
    # BEGIN SOLUTION
    w, dw, config = _prepared(w, dw, config, learning_rate=1e-2, momentum=0.9)
    v_prev = _state(config, "velocity", w)
    momentum = config["momentum"]
    v = momentum * v_prev - config["learning_rate"] * dw
    next_w = w - momentum * v_prev + (1 + momentum) * v
    config["velocity"] = v
    return next_w, config
    # END SOLUTION


def adagrad(w, dw, config=None):
    """AdaGrad: per-parameter learning rates scaled by all past squared gradients.

        cache = cache + dw**2
        next_w = w - learning_rate * dw / (sqrt(cache) + epsilon)

    config format:
    - learning_rate: Scalar learning rate (default 1e-2).
    - epsilon: Small scalar used for smoothing to avoid dividing by zero (default 1e-7).
    - cache: Sum of the squares of all past gradients (starts at zeros). Store the
      updated value back as config['cache'].
    """
    # BEGIN SOLUTION
    w, dw, config = _prepared(w, dw, config, learning_rate=1e-2, epsilon=1e-7)
    cache = _state(config, "cache", w) + dw**2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    config["cache"] = cache
    return next_w, config
    # END SOLUTION


def rmsprop(w, dw, config=None):
    """RMSProp: per-parameter learning rates scaled by a moving average of squared
    gradients.

        cache = decay_rate * cache + (1 - decay_rate) * dw**2
        next_w = w - learning_rate * dw / (sqrt(cache) + epsilon)

    config format:
    - learning_rate: Scalar learning rate (default 1e-2).
    - decay_rate: Scalar between 0 and 1 giving the decay rate for the squared gradient
      cache (default 0.99).
    - epsilon: Small scalar used for smoothing to avoid dividing by zero (default 1e-8).
    - cache: Moving average of second moments of gradients (starts at zeros). Store the
      updated value back as config['cache'].
    """
    # BEGIN SOLUTION
    defaults = {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8}
    w, dw, config = _prepared(w, dw, config, **defaults)
    decay_rate = config["decay_rate"]
    cache = decay_rate * _state(config, "cache", w) + (1 - decay_rate) * dw**2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    config["cache"] = cache
    return next_w, config
    # END SOLUTION


def adam(w, dw, config=None):
    """Adam: moving averages of the gradient and of its square, with bias correction.

    First increment the iteration number t, then:

        t = t + 1
        m = beta1 * m + (1 - beta1) * dw
        v = beta2 * v + (1 - beta2) * dw**2
        mhat = m / (1 - beta1**t)
        vhat = v / (1 - beta2**t)
        next_w = w - learning_rate * mhat / (sqrt(vhat) + epsilon)

    Store the raw (not bias-corrected) m and v, and the incremented t, back in config.

    config format:
    - learning_rate: Scalar learning rate (default 1e-3).
    - beta1: Decay rate for the moving average of the first moment of the gradient
      (default 0.9).
    - beta2: Decay rate for the moving average of the second moment of the gradient
      (default 0.999).
    - epsilon: Small scalar used for smoothing to avoid dividing by zero (default 1e-8).
    - m: Moving average of the gradient (starts at zeros).
    - v: Moving average of the squared gradient (starts at zeros).
    - t: Iteration number (starts at 0).
    """
    # BEGIN SOLUTION
    defaults = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
    w, dw, config = _prepared(w, dw, config, **defaults)
    t = config.get("t", 0) + 1
    beta1, beta2 = config["beta1"], config["beta2"]
    m = beta1 * _state(config, "m", w) + (1 - beta1) * dw
    v = beta2 * _state(config, "v", w) + (1 - beta2) * dw**2
    mhat = m / (1 - beta1**t)
    vhat = v / (1 - beta2**t)
    next_w = w - config["learning_rate"] * mhat / (np.sqrt(vhat) + config["epsilon"])
    config["m"] = m
    config["v"] = v
    config["t"] = t
    return next_w, config
    # END SOLUTION


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
    # BEGIN SOLUTION
    w, dw, config = _prepared(w, dw, config, learning_rate=1.0, rho=0.95, epsilon=1e-6)
    rho, eps = config["rho"], config["epsilon"]
    cache = rho * _state(config, "cache", w) + (1 - rho) * dw**2
    delta = _state(config, "delta", w)
    update = -np.sqrt(delta + eps) / np.sqrt(cache + eps) * dw
    delta = rho * delta + (1 - rho) * update**2
    next_w = w + config["learning_rate"] * update
    config["cache"] = cache
    config["delta"] = delta
    return next_w, config
    # END SOLUTION


def step_decay(lr0, epoch, drop=0.5, epochs_per_drop=10):
    """Step decay: the learning rate is multiplied by drop every epochs_per_drop epochs.

        lr = lr0 * drop ** floor(epoch / epochs_per_drop)

    Returns the learning rate as a Python float.
    """
    # BEGIN SOLUTION
    return float(lr0 * drop ** np.floor(epoch / epochs_per_drop))
    # END SOLUTION


def exponential_decay(lr0, t, k):
    """Exponential decay of the learning rate.

        lr = lr0 * exp(-k * t)

    Returns the learning rate as a Python float.
    """
    # BEGIN SOLUTION
    return float(lr0 * np.exp(-k * t))
    # END SOLUTION


def inverse_time_decay(lr0, t, k):
    """1/t decay of the learning rate.

        lr = lr0 / (1 + k * t)

    Returns the learning rate as a Python float.
    """
    # BEGIN SOLUTION
    return float(lr0 / (1 + k * t))
    # END SOLUTION


def linear_decay(lr0, t, tau, lr_tau=None):
    """Linear decay from lr0 at t = 0 to lr_tau at t = tau, constant afterwards.

        a = min(t / tau, 1)
        lr = (1 - a) * lr0 + a * lr_tau

    lr_tau defaults to 0.01 * lr0 (1% of the initial learning rate).

    Returns the learning rate as a Python float.
    """
    # BEGIN SOLUTION
    if lr_tau is None:
        lr_tau = 0.01 * lr0
    a = min(t / tau, 1.0)
    return float((1 - a) * lr0 + a * lr_tau)
    # END SOLUTION


def ema_update(avg, w, decay=0.995):
    """Exponential moving average (Polyak averaging) of parameters.

        new_avg = decay * avg + (1 - decay) * w

    Inputs:
    - avg: The current average, a numpy array.
    - w: The current parameters, a numpy array of the same shape.
    - decay: Weight of the old average (default 0.995), close to 1.

    Returns the new average as a new array (do not modify avg or w).
    """
    # BEGIN SOLUTION
    avg = np.asarray(avg, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    return decay * avg + (1 - decay) * w
    # END SOLUTION
