"""Known mistakes for the `optimizers` assignment, as variants of :mod:`reference.optim`.

Each variant is a complete function with the exact signature of the reference function it
replaces (same name; later definitions shadow earlier ones at module level, which is
intended: the registry keeps every variant, in definition order). Update-rule variants
follow the reference conventions (config=None allowed, defaults through setdefault, state
in config, dw never modified) except for the one mistake they reproduce.
"""

import numpy as np

from reference.mistakes import mistake

# ----------------------------------------------------------------------------------------
# private helpers (this module is never shown to students)
# ----------------------------------------------------------------------------------------


def _f64(a):
    return np.asarray(a, dtype=np.float64)


def _setup(w, dw, config, defaults):
    """config ({} if None) with the defaults set, and w, dw as float64 arrays."""
    if config is None:
        config = {}
    for name, value in defaults.items():
        config.setdefault(name, value)
    return _f64(w), _f64(dw), config


def _state(config, name, w):
    value = config.get(name)
    return np.zeros_like(w) if value is None else _f64(value)


_MOMENTUM = {"learning_rate": 1e-2, "momentum": 0.9}
_ADAGRAD = {"learning_rate": 1e-2, "epsilon": 1e-7}
_RMSPROP = {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8}
_ADAM = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
_ADADELTA = {"learning_rate": 1.0, "rho": 0.95, "epsilon": 1e-6}


def _adam(
    w,
    dw,
    config,
    *,
    bias_correction=True,
    old_t=False,
    store_corrected=False,
    reset_t=False,
    first_t=0,
    store_t=True,
):
    """The reference Adam with switchable mistakes (`first_t`: t when config has none)."""
    w, dw, config = _setup(w, dw, config, _ADAM)
    if reset_t:
        config["t"] = 0
    t_old = config.get("t", first_t)
    t = t_old + 1
    beta1, beta2 = config["beta1"], config["beta2"]
    m = beta1 * _state(config, "m", w) + (1 - beta1) * dw
    v = beta2 * _state(config, "v", w) + (1 - beta2) * dw**2
    if bias_correction:
        t_corr = t_old if old_t else t
        with np.errstate(divide="ignore", invalid="ignore"):
            mhat = m / (1 - beta1**t_corr)
            vhat = v / (1 - beta2**t_corr)
    else:
        mhat, vhat = m, v
    with np.errstate(invalid="ignore"):
        next_w = w - config["learning_rate"] * mhat / (np.sqrt(vhat) + config["epsilon"])
    config["m"], config["v"] = (mhat, vhat) if store_corrected else (m, v)
    config["t"] = t if store_t else t_old
    return next_w, config


def _adadelta(w, dw, config, *, eps_numerator=True, ratio_swapped=False):
    """The reference AdaDelta with switchable mistakes."""
    w, dw, config = _setup(w, dw, config, _ADADELTA)
    rho, eps = config["rho"], config["epsilon"]
    cache = rho * _state(config, "cache", w) + (1 - rho) * dw**2
    delta = _state(config, "delta", w)
    rms_delta = np.sqrt(delta + eps) if eps_numerator else np.sqrt(delta)
    rms_grad = np.sqrt(cache + eps)
    if ratio_swapped:
        rms_delta, rms_grad = rms_grad, rms_delta
    update = -rms_delta / rms_grad * dw
    delta = rho * delta + (1 - rho) * update**2
    next_w = w + config["learning_rate"] * update
    config["cache"], config["delta"] = cache, delta
    return next_w, config


# ----------------------------------------------------------------------------------------
# sgd
# ----------------------------------------------------------------------------------------


@mistake(
    "sign-flipped",
    "adds the gradient (w + learning_rate * dw), which climbs the loss; gradient descent "
    "subtracts it: next_w = w - learning_rate * dw.",
)
def sgd(w, dw, config=None):
    w, dw, config = _setup(w, dw, config, {"learning_rate": 1e-2})
    return w + config["learning_rate"] * dw, config


@mistake(
    "ignores-learning-rate",
    "steps by the raw gradient (w - dw) and ignores config['learning_rate']; scale the "
    "gradient: next_w = w - learning_rate * dw.",
)
def sgd(w, dw, config=None):  # noqa: F811
    w, dw, config = _setup(w, dw, config, {"learning_rate": 1e-2})
    return w - dw, config


# ----------------------------------------------------------------------------------------
# sgd_momentum
# ----------------------------------------------------------------------------------------


@mistake(
    "velocity-other-convention",
    "keeps the velocity as momentum * v + dw and steps by w - learning_rate * v; this "
    "course stores v = momentum * v - learning_rate * dw (the step itself) and steps by "
    "next_w = w + v, so your config['velocity'] has the wrong sign and scale.",
)
def sgd_momentum(w, dw, config=None):
    w, dw, config = _setup(w, dw, config, _MOMENTUM)
    v = config["momentum"] * _state(config, "velocity", w) + dw
    config["velocity"] = v
    return w - config["learning_rate"] * v, config


@mistake(
    "velocity-not-stored",
    "computes the new velocity but never stores it back in config['velocity'], so every "
    "call starts again from the old velocity.",
)
def sgd_momentum(w, dw, config=None):  # noqa: F811
    w, dw, config = _setup(w, dw, config, _MOMENTUM)
    v = config["momentum"] * _state(config, "velocity", w) - config["learning_rate"] * dw
    return w + v, config


@mistake(
    "steps-with-old-velocity",
    "moves w with the velocity from before this step (next_w = w + v_old) and updates v "
    "afterwards; update v first, then step: next_w = w + v.",
)
def sgd_momentum(w, dw, config=None):  # noqa: F811
    w, dw, config = _setup(w, dw, config, _MOMENTUM)
    v_old = _state(config, "velocity", w)
    config["velocity"] = config["momentum"] * v_old - config["learning_rate"] * dw
    return w + v_old, config


# ----------------------------------------------------------------------------------------
# nesterov_momentum
# ----------------------------------------------------------------------------------------


@mistake(
    "plain-momentum",
    "applies the plain momentum step next_w = w + v; Nesterov's look-ahead form is "
    "next_w = w - momentum * v_prev + (1 + momentum) * v.",
)
def nesterov_momentum(w, dw, config=None):
    w, dw, config = _setup(w, dw, config, _MOMENTUM)
    v = config["momentum"] * _state(config, "velocity", w) - config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


@mistake(
    "lookahead-sign",
    "adds momentum * v_prev instead of subtracting it; the look-ahead step is "
    "next_w = w - momentum * v_prev + (1 + momentum) * v.",
)
def nesterov_momentum(w, dw, config=None):  # noqa: F811
    w, dw, config = _setup(w, dw, config, _MOMENTUM)
    momentum = config["momentum"]
    v_prev = _state(config, "velocity", w)
    v = momentum * v_prev - config["learning_rate"] * dw
    config["velocity"] = v
    return w + momentum * v_prev + (1 + momentum) * v, config


# ----------------------------------------------------------------------------------------
# adagrad
# ----------------------------------------------------------------------------------------


@mistake(
    "abs-accumulation",
    "accumulates abs(dw) in the cache; AdaGrad accumulates the squared gradients: cache += dw**2.",
)
def adagrad(w, dw, config=None):
    w, dw, config = _setup(w, dw, config, _ADAGRAD)
    cache = _state(config, "cache", w) + np.abs(dw)
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


@mistake(
    "cache-not-accumulated",
    "overwrites the cache with dw**2 instead of adding to it; AdaGrad sums the squares of "
    "all past gradients: cache = cache + dw**2.",
)
def adagrad(w, dw, config=None):  # noqa: F811
    w, dw, config = _setup(w, dw, config, _ADAGRAD)
    cache = dw**2
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


@mistake(
    "no-sqrt",
    "divides by cache + epsilon; divide by the square root: "
    "next_w = w - learning_rate * dw / (sqrt(cache) + epsilon).",
)
def adagrad(w, dw, config=None):  # noqa: F811
    w, dw, config = _setup(w, dw, config, _ADAGRAD)
    cache = _state(config, "cache", w) + dw**2
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (cache + config["epsilon"]), config


# ----------------------------------------------------------------------------------------
# rmsprop
# ----------------------------------------------------------------------------------------


@mistake(
    "decay-swapped",
    "swaps the weights of the moving average ((1 - decay_rate) * cache + decay_rate * "
    "dw**2); the old cache keeps the large weight: cache = decay_rate * cache + "
    "(1 - decay_rate) * dw**2.",
)
def rmsprop(w, dw, config=None):
    w, dw, config = _setup(w, dw, config, _RMSPROP)
    decay = config["decay_rate"]
    cache = (1 - decay) * _state(config, "cache", w) + decay * dw**2
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


@mistake(
    "missing-one-minus-decay",
    "adds the full dw**2 to the decayed cache (decay_rate * cache + dw**2); the new term "
    "is weighted by (1 - decay_rate).",
)
def rmsprop(w, dw, config=None):  # noqa: F811
    w, dw, config = _setup(w, dw, config, _RMSPROP)
    cache = config["decay_rate"] * _state(config, "cache", w) + dw**2
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


@mistake(
    "no-sqrt",
    "divides by cache + epsilon; divide by the square root of the moving average: "
    "next_w = w - learning_rate * dw / (sqrt(cache) + epsilon).",
)
def rmsprop(w, dw, config=None):  # noqa: F811
    w, dw, config = _setup(w, dw, config, _RMSPROP)
    decay = config["decay_rate"]
    cache = decay * _state(config, "cache", w) + (1 - decay) * dw**2
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (cache + config["epsilon"]), config


# ----------------------------------------------------------------------------------------
# adam
# ----------------------------------------------------------------------------------------


@mistake(
    "no-bias-correction",
    "steps with the raw m and v; Adam divides them by (1 - beta1**t) and (1 - beta2**t) "
    "(bias correction) before the step.",
)
def adam(w, dw, config=None):
    return _adam(w, dw, config, bias_correction=False)


@mistake(
    "bias-correction-old-t",
    "uses the iteration number from before this step in the bias correction (with t = 0 "
    "it divides by zero); increment t first, then use the new t in 1 - beta**t.",
)
def adam(w, dw, config=None):  # noqa: F811
    return _adam(w, dw, config, old_t=True)


@mistake(
    "stores-corrected-moments",
    "stores the bias-corrected mhat and vhat in config; keep the raw moving averages m "
    "and v in config (the correction is recomputed from t at every step).",
)
def adam(w, dw, config=None):  # noqa: F811
    return _adam(w, dw, config, store_corrected=True)


@mistake(
    "t-reset",
    "restarts the iteration number at 0 on every call instead of continuing from "
    "config['t']; only set t = 0 when config has no t yet.",
)
def adam(w, dw, config=None):  # noqa: F811
    return _adam(w, dw, config, reset_t=True)


@mistake(
    "t-not-stored",
    "corrects with t = config['t'] + 1 but never writes the new t back into config, so "
    "every call corrects as if it were the first step: store config['t'] = t.",
)
def adam(w, dw, config=None):  # noqa: F811
    return _adam(w, dw, config, store_t=False)


@mistake(
    "t-starts-at-1",
    "starts the iteration number at 1 (config.setdefault('t', 1)) and then increments it, "
    "so the first step corrects with t = 2; start from t = 0 and increment before the "
    "correction, so that the first step uses t = 1.",
)
def adam(w, dw, config=None):  # noqa: F811
    return _adam(w, dw, config, first_t=1)


# ----------------------------------------------------------------------------------------
# adadelta
# ----------------------------------------------------------------------------------------


@mistake(
    "no-eps-numerator",
    "leaves epsilon out of the numerator (-sqrt(delta) / sqrt(cache + epsilon) * dw): "
    "starting from delta = 0 the update is always 0 and w never moves; use "
    "sqrt(delta + epsilon).",
)
def adadelta(w, dw, config=None):
    return _adadelta(w, dw, config, eps_numerator=False)


@mistake(
    "ratio-swapped",
    "inverts the ratio of the two RMS terms; the update is "
    "-sqrt(delta + epsilon) / sqrt(cache + epsilon) * dw.",
)
def adadelta(w, dw, config=None):  # noqa: F811
    return _adadelta(w, dw, config, ratio_swapped=True)


# ----------------------------------------------------------------------------------------
# schedules
# ----------------------------------------------------------------------------------------


@mistake(
    "no-floor",
    "uses epoch / epochs_per_drop without rounding down, so the rate decays smoothly; step "
    "decay drops only every epochs_per_drop epochs: drop ** floor(epoch / epochs_per_drop).",
)
def step_decay(lr0, epoch, drop=0.5, epochs_per_drop=10):
    return float(lr0 * drop ** (epoch / epochs_per_drop))


@mistake(
    "multiplies-drop",
    "multiplies by drop * floor(epoch / epochs_per_drop) instead of raising drop to that "
    "power: lr0 * drop ** floor(epoch / epochs_per_drop).",
)
def step_decay(lr0, epoch, drop=0.5, epochs_per_drop=10):  # noqa: F811
    return float(lr0 * drop * np.floor(epoch / epochs_per_drop))


@mistake(
    "positive-exponent",
    "uses exp(+k * t), which makes the learning rate grow; the decay is lr0 * exp(-k * t).",
)
def exponential_decay(lr0, t, k):
    return float(lr0 * np.exp(k * t))


@mistake(
    "discrete-decay",
    "uses lr0 * (1 - k) ** t; the schedule is lr0 * exp(-k * t).",
)
def exponential_decay(lr0, t, k):  # noqa: F811
    return float(lr0 * (1 - k) ** t)


@mistake(
    "operator-precedence",
    "writes lr0 / 1 + k * t, which Python reads as (lr0 / 1) + (k * t); parenthesize the "
    "denominator: lr0 / (1 + k * t).",
)
def inverse_time_decay(lr0, t, k):
    return float(lr0 / 1 + k * t)


@mistake(
    "inverse-sqrt",
    "divides by sqrt(1 + k * t) (inverse square-root decay); 1/t decay is lr0 / (1 + k * t).",
)
def inverse_time_decay(lr0, t, k):  # noqa: F811
    return float(lr0 / np.sqrt(1 + k * t))


@mistake(
    "no-clamp",
    "uses a = t / tau without clamping, so after t = tau the rate keeps falling (and turns "
    "negative); use a = min(t / tau, 1) so that it stays at lr_tau.",
)
def linear_decay(lr0, t, tau, lr_tau=None):
    if lr_tau is None:
        lr_tau = 0.01 * lr0
    a = t / tau
    return float((1 - a) * lr0 + a * lr_tau)


@mistake(
    "lr-tau-default-zero",
    "decays to 0 when lr_tau is not given; the default final rate is lr_tau = 0.01 * lr0.",
)
def linear_decay(lr0, t, tau, lr_tau=None):  # noqa: F811
    if lr_tau is None:
        lr_tau = 0.0
    a = min(t / tau, 1.0)
    return float((1 - a) * lr0 + a * lr_tau)


@mistake(
    "lr-tau-zero-replaced",
    "replaces an explicit lr_tau = 0 by the default (`lr_tau or 0.01 * lr0`); only a "
    "missing lr_tau (None) takes the default: test `if lr_tau is None`.",
)
def linear_decay(lr0, t, tau, lr_tau=None):  # noqa: F811
    lr_tau = lr_tau or 0.01 * lr0
    a = min(t / tau, 1.0)
    return float((1 - a) * lr0 + a * lr_tau)


# ----------------------------------------------------------------------------------------
# ema_update
# ----------------------------------------------------------------------------------------


@mistake(
    "weights-swapped",
    "swaps the weights ((1 - decay) * avg + decay * w), so the average mostly follows the "
    "latest w; the old average keeps the large weight: decay * avg + (1 - decay) * w.",
)
def ema_update(avg, w, decay=0.995):
    return (1 - decay) * _f64(avg) + decay * _f64(w)


@mistake(
    "missing-one-minus",
    "adds the full w to the decayed average (decay * avg + w); the new term is weighted "
    "by (1 - decay).",
)
def ema_update(avg, w, decay=0.995):  # noqa: F811
    return decay * _f64(avg) + _f64(w)


@mistake(
    "velocity-sign",
    "adds the gradient step to the velocity (v = momentum * v + learning_rate * dw) and "
    "steps by w + v, which climbs the loss; v = momentum * v - learning_rate * dw.",
)
def sgd_momentum(w, dw, config=None):  # noqa: F811
    w, dw, config = _setup(w, dw, config, _MOMENTUM)
    v = config["momentum"] * _state(config, "velocity", w) + config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


@mistake(
    "off-by-one",
    "counts epochs from 1 (floor((epoch + 1) / epochs_per_drop)), so every drop comes one "
    "epoch early; the rate drops after epochs_per_drop whole epochs: floor(epoch / "
    "epochs_per_drop).",
)
def step_decay(lr0, epoch, drop=0.5, epochs_per_drop=10):  # noqa: F811
    return float(lr0 * drop ** np.floor((epoch + 1) / epochs_per_drop))
