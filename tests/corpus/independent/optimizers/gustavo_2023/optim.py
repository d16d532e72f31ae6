"""First-order update rules, learning-rate schedules and parameter averaging."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

Config = dict[str, Any]


def _merge(config: Config | None, defaults: Config) -> Config:
    """New dict: defaults overridden by whatever the caller passed."""
    return {**defaults, **(config or {})}


def sgd(w: np.ndarray, dw: np.ndarray, config: Config | None = None):
    cfg = _merge(config, {"learning_rate": 1e-2})
    return w - cfg["learning_rate"] * dw, cfg


def sgd_momentum(w: np.ndarray, dw: np.ndarray, config: Config | None = None):
    cfg = _merge(config, {"learning_rate": 1e-2, "momentum": 0.9})
    v = cfg.get("velocity")
    if v is None:
        v = np.zeros_like(w, dtype=np.float64)
    v = cfg["momentum"] * v - cfg["learning_rate"] * dw
    cfg["velocity"] = v
    return w + v, cfg


def nesterov_momentum(w: np.ndarray, dw: np.ndarray, config: Config | None = None):
    cfg = _merge(config, {"learning_rate": 1e-2, "momentum": 0.9})
    mu = cfg["momentum"]
    v_prev = cfg.get("velocity")
    if v_prev is None:
        v_prev = np.zeros_like(w, dtype=np.float64)
    v = mu * v_prev - cfg["learning_rate"] * dw
    cfg["velocity"] = v
    return w - mu * v_prev + (1 + mu) * v, cfg


def adagrad(w: np.ndarray, dw: np.ndarray, config: Config | None = None):
    cfg = _merge(config, {"learning_rate": 1e-2, "epsilon": 1e-7})
    cache = cfg.get("cache")
    if cache is None:
        cache = np.zeros_like(w, dtype=np.float64)
    cache = cache + dw ** 2
    cfg["cache"] = cache
    return w - cfg["learning_rate"] * dw / (np.sqrt(cache) + cfg["epsilon"]), cfg


def rmsprop(w: np.ndarray, dw: np.ndarray, config: Config | None = None):
    cfg = _merge(config, {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8})
    rho = cfg["decay_rate"]
    cache = cfg.get("cache")
    if cache is None:
        cache = np.zeros_like(w, dtype=np.float64)
    cache = rho * cache + (1 - rho) * dw ** 2
    cfg["cache"] = cache
    return w - cfg["learning_rate"] * dw / (np.sqrt(cache) + cfg["epsilon"]), cfg


def adam(w: np.ndarray, dw: np.ndarray, config: Config | None = None):
    cfg = _merge(config, {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999,
                          "epsilon": 1e-8, "t": 0})
    b1, b2 = cfg["beta1"], cfg["beta2"]
    m = cfg.get("m")
    v = cfg.get("v")
    if m is None:
        m = np.zeros_like(w, dtype=np.float64)
    if v is None:
        v = np.zeros_like(w, dtype=np.float64)

    t = cfg["t"] + 1
    m = b1 * m + (1 - b1) * dw
    v = b2 * v + (1 - b2) * dw ** 2
    m_hat = m / (1 - b1 ** t)
    v_hat = v / (1 - b2 ** t)
    next_w = w - cfg["learning_rate"] * m_hat / (np.sqrt(v_hat) + cfg["epsilon"])

    cfg.update(m=m, v=v, t=t)
    return next_w, cfg


def adadelta(w: np.ndarray, dw: np.ndarray, config: Config | None = None):
    cfg = _merge(config, {"learning_rate": 1.0, "rho": 0.95, "epsilon": 1e-6})
    rho, eps = cfg["rho"], cfg["epsilon"]
    cache = cfg.get("cache")
    delta = cfg.get("delta")
    if cache is None:
        cache = np.zeros_like(w, dtype=np.float64)
    if delta is None:
        delta = np.zeros_like(w, dtype=np.float64)

    cache = rho * cache + (1 - rho) * dw ** 2
    rms_dx = np.sqrt(delta)
    rms_g = np.sqrt(cache + eps)
    update = -(rms_dx / rms_g) * dw
    delta = rho * delta + (1 - rho) * update ** 2

    cfg.update(cache=cache, delta=delta)
    return w + cfg["learning_rate"] * update, cfg


def step_decay(lr0: float, epoch: int, drop: float = 0.5, epochs_per_drop: int = 10) -> float:
    return lr0 * drop ** math.floor(epoch / epochs_per_drop)


def exponential_decay(lr0: float, t: float, k: float) -> float:
    return lr0 * math.exp(-k * t)


def inverse_time_decay(lr0: float, t: float, k: float) -> float:
    return lr0 / 1 + k * t


def linear_decay(lr0: float, t: float, tau: float, lr_tau: float | None = None) -> float:
    if lr_tau is None:
        lr_tau = 0.01 * lr0
    a = min(t / tau, 1.0)
    return (1 - a) * lr0 + a * lr_tau


def ema_update(avg: np.ndarray, w: np.ndarray, decay: float = 0.995) -> np.ndarray:
    return decay * avg + (1 - decay) * w
