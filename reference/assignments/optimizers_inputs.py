"""Inputs for the `optimizers` functions: one step from the default config, then from a
supplied non-trivial state (velocity, caches, m/v and t = 1 or an explicit 0)."""

from __future__ import annotations

import numpy as np

from grader.assignments.spec import Case
from grader.checks.inputs import away_from_zero, normal

SHAPE = (4, 5)
STATE_KEYS = {
    "sgd": (),
    "sgd_momentum": ("velocity",),
    "nesterov_momentum": ("velocity",),
    "adagrad": ("cache",),
    "rmsprop": ("cache",),
    "adam": ("m", "v", "t"),
    "adadelta": ("cache", "delta"),
}
HYPERPARAMETERS = {
    "sgd": {"learning_rate": 0.05},
    "sgd_momentum": {"learning_rate": 0.05, "momentum": 0.8},
    "nesterov_momentum": {"learning_rate": 0.05, "momentum": 0.8},
    "adagrad": {"learning_rate": 0.05, "epsilon": 1e-6},
    "rmsprop": {"learning_rate": 0.05, "decay_rate": 0.9},
    "adam": {"learning_rate": 0.02, "beta1": 0.8, "beta2": 0.95},
    "adadelta": {"learning_rate": 0.5, "rho": 0.9},
}


def _state(rng: np.random.Generator, key: str, t: int) -> object:
    if key == "t":
        return t
    if key in ("cache", "v", "delta"):
        return rng.uniform(0.1, 1.0, SHAPE)
    return normal(rng, SHAPE, 0.5)


def gradient(rng: np.random.Generator) -> np.ndarray:
    """Gradients with |g| >= 0.3, so that where epsilon sits (inside or outside a square
    root) changes a step by less than 1e-5 relative, far below the 1e-4 tolerance."""
    return away_from_zero(rng, SHAPE, 0.3, 2.0)


def update_rule(name: str):
    """Cases: default config (None, then {}), then supplied state with t = 1 (early, where
    an off-by-one in t moves an Adam step by about 30%) and t = 0."""

    def generate(rng: np.random.Generator) -> list[Case]:
        cases = [
            Case((normal(rng, SHAPE), gradient(rng), None), note="config=None"),
            Case((normal(rng, SHAPE), gradient(rng), {}), note="empty config"),
        ]
        for t in (1, 0):
            config = dict(HYPERPARAMETERS[name])
            config.update({key: _state(rng, key, t) for key in STATE_KEYS[name]})
            note = "supplied state" + (f", t={t}" if "t" in STATE_KEYS[name] else "")
            cases.append(Case((normal(rng, SHAPE), gradient(rng), config), note=note))
        return cases

    return generate


def schedule(*argument_lists: tuple):
    def generate(rng: np.random.Generator) -> list[Case]:
        return [Case(tuple(arguments)) for arguments in argument_lists]

    return generate


step_decay = schedule(
    (0.1, 0), (0.1, 9), (0.1, 10), (0.1, 25), (1.0, 7, 0.1, 3), (0.5, 30, 0.9, 4), (2.0, 99)
)
exponential_decay = schedule((0.1, 0, 0.1), (0.1, 3, 0.1), (1.0, 10, 0.05), (0.3, 50, 0.2))
inverse_time_decay = schedule((0.1, 0, 0.5), (0.1, 3, 0.5), (1.0, 10, 0.05), (0.3, 50, 2.0))
linear_decay = schedule(
    (0.1, 0, 10),
    (0.1, 5, 10),
    (0.1, 10, 10),
    (0.1, 25, 10),
    (1.0, 3, 4, 0.2),
    (1.0, 8, 4, 0.2),
    (0.5, 2, 4, 0.0),
)


def ema(rng: np.random.Generator) -> list[Case]:
    return [
        Case((normal(rng, SHAPE), normal(rng, SHAPE))),
        Case((normal(rng, SHAPE), normal(rng, SHAPE), 0.9)),
        Case((normal(rng, (3,)), normal(rng, (3,)), 0.5)),
    ]
