"""Building blocks for input generators: float64 arrays kept away from kinks and ties."""

from __future__ import annotations

import numpy as np

from grader import tolerances

KINK_MARGIN = tolerances.KINK_MARGIN


def away_from_zero(
    rng: np.random.Generator, shape: tuple[int, ...], low: float = 0.1, high: float = 2.0
) -> np.ndarray:
    """Entries with |x| in [low, high] and random signs: no ReLU/abs kink within reach of
    a numerical-gradient step."""
    return rng.uniform(low, high, shape) * rng.choice([-1.0, 1.0], shape)


def normal(rng: np.random.Generator, shape: tuple[int, ...], scale: float = 1.0) -> np.ndarray:
    return rng.standard_normal(shape) * scale


def labels(rng: np.random.Generator, count: int, classes: int) -> np.ndarray:
    return rng.integers(0, classes, count)


def hinge_scores(
    rng: np.random.Generator, count: int, classes: int, margin: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """Scores and labels whose hinge terms x_j - x_y + margin all stay away from 0."""
    y = labels(rng, count, classes)
    while True:
        x = normal(rng, (count, classes))
        terms = x - x[np.arange(count), y][:, None] + margin
        terms[np.arange(count), y] = 1.0
        if np.min(np.abs(terms)) > KINK_MARGIN:
            return x, y


def separated_maxima(
    rng: np.random.Generator, make: callable, axis: int = -1
) -> tuple[np.ndarray, ...]:
    """Draw from `make(rng)` (which returns (values, *rest)) until the largest value along
    `axis` beats the runner-up by KINK_MARGIN everywhere (no ties at the max)."""
    while True:
        values, *rest = make(rng)
        ordered = np.sort(values, axis=axis)
        gap = np.take(ordered, -1, axis=axis) - np.take(ordered, -2, axis=axis)
        if np.min(gap) > KINK_MARGIN:
            return (values, *rest)
