"""Exact structural properties of random initializers: orthogonality and sparsity."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from grader import tolerances
from grader.assignments.spec import Check, FunctionSpec
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.distribution import Target, draw, sample_problems

ORTHOGONAL_SHAPES = ((50, 30), (30, 50), (40, 40))
ORTHOGONALITY_TOLERANCE = tolerances.ORTHOGONALITY


def gram_deviation(w: np.ndarray, gain: float) -> float:
    """Largest entry of WᵀW - gain²·I (tall W) or WWᵀ - gain²·I (wide W)."""
    gram = w.T @ w if w.shape[0] >= w.shape[1] else w @ w.T
    return float(np.max(np.abs(gram - gain**2 * np.eye(len(gram)))))


@dataclass(frozen=True)
class IsOrthogonal(Check):
    """Draws on ORTHOGONAL_SHAPES at each of `gains` (passed as `gain` unless 1)."""

    kind: ClassVar[str] = "is_orthogonal"
    gains: tuple[float, ...] = (1.0,)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.require(isinstance(self.gains, tuple) and len(self.gains) > 0, f"gains={self.gains!r}")

    def describe(self, function: FunctionSpec) -> str:
        return "is (semi-)orthogonal: WᵀW or WWᵀ = gain²·I, tall, wide and square"

    def run(self, ctx: CheckContext) -> Outcome:
        name = ctx.function.name
        for gain in self.gains:
            kwargs = {"gain": gain} if gain != 1.0 else {}
            for shape in ORTHOGONAL_SHAPES:
                try:
                    w = draw(ctx.student, name, shape, int(ctx.rng.integers(2**31)), kwargs)
                except STUDENT_FAILURES as error:
                    return Outcome(False, explain_failure(name, error))
                if problem := orthogonality_problem(name, shape, w, gain):
                    return Outcome(False, problem)
        return Outcome(True)


def orthogonality_problem(
    name: str, shape: tuple[int, int], w: np.ndarray, gain: float
) -> str | None:
    """What is wrong with `w` as a (semi-)orthogonal draw at this gain, if anything."""
    error = gram_deviation(w, gain)
    if np.isfinite(error) and error <= ORTHOGONALITY_TOLERANCE * gain**2:
        return None
    which = "WᵀW (orthonormal columns)" if shape[0] >= shape[1] else "WWᵀ (orthonormal rows)"
    return (
        f"{name}(shape={shape}, gain={gain}): {which} should be {gain**2:g}·I, "
        f"largest deviation {error:.3g}"
    )


@dataclass(frozen=True)
class HasKNonzerosPerColumn(Check):
    """Draws for each of `settings`: (shape, kwargs), kwargs giving `k` and `scale`."""

    kind: ClassVar[str] = "has_k_nonzeros_per_column"
    settings: tuple[tuple[tuple[int, int], Mapping[str, float]], ...]

    def __post_init__(self) -> None:
        super().__post_init__()
        valid = isinstance(self.settings, tuple) and all(
            len(setting) == 2 and isinstance(setting[1], Mapping) for setting in self.settings
        )
        self.require(valid and len(self.settings) > 0, f"settings={self.settings!r}")

    def describe(self, function: FunctionSpec) -> str:
        return "has exactly min(k, fan_in) nonzero N(0, scale²) weights per column"

    def run(self, ctx: CheckContext) -> Outcome:
        name = ctx.function.name
        for shape, kwargs in self.settings:
            try:
                w = draw(ctx.student, name, shape, int(ctx.rng.integers(2**31)), dict(kwargs))
            except STUDENT_FAILURES as error:
                return Outcome(False, explain_failure(name, error))
            if problem := sparsity_problem(name, shape, w, kwargs):
                return Outcome(False, problem)
        return Outcome(True)


def sparsity_problem(
    name: str, shape: tuple[int, int], w: np.ndarray, kwargs: Mapping[str, float]
) -> str | None:
    """What is wrong with `w` as a sparse draw with these kwargs, if anything."""
    k, scale = kwargs.get("k", 15), kwargs.get("scale", 1.0)
    counts = np.count_nonzero(w, axis=0)
    expected = min(k, shape[0])
    label = f"{name}(shape={shape}, k={k}, scale={scale})"
    if not np.all(counts == expected):
        column = int(np.flatnonzero(counts != expected)[0])
        return (
            f"{label}: column {column} has {counts[column]} nonzero weights, expected "
            f"min(k, fan_in) = {expected} in every column (one per output unit)"
        )
    nonzero = w[w != 0]
    if nonzero.size >= 1000:
        target = Target("normal", lambda fi, fo, scale=scale: scale, f"N(0, {scale}²)")
        if problems := sample_problems(nonzero, target, scale):
            return f"{label}: the nonzero weights: " + "; ".join(problems)
    return None
