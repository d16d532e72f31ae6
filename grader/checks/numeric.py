"""Centered differences: the one way the checks differentiate numerically, for NumPy
layers (coordinate by coordinate), torch autograd Functions and whole networks (along
random directions). The step and its reason: grader.tolerances.GRADIENT_STEP."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from grader import tolerances

STEP = tolerances.GRADIENT_STEP


def nudged(
    value: np.ndarray, direction: np.ndarray | tuple[int, ...], step: float = STEP
) -> tuple[np.ndarray, np.ndarray]:
    """`value` moved by +step and by -step along `direction`: an array of the same shape,
    or the index of one coordinate (a unit vector, without touching the others)."""
    if isinstance(direction, tuple):
        plus = np.array(value, dtype=np.float64, copy=True)
        minus = plus.copy()
        plus[direction] += step
        minus[direction] -= step
        return plus, minus
    return value + step * direction, value - step * direction


def centered(values: Sequence[float], step: float = STEP) -> np.ndarray:
    """Derivatives from the values at consecutive (plus, minus) points."""
    pairs = np.asarray(values, dtype=np.float64).reshape(-1, 2)
    return (pairs[:, 0] - pairs[:, 1]) / (2 * step)
