"""Exact structural properties of random initializers: orthogonality and sparsity."""

from __future__ import annotations

import numpy as np

from grader import tolerances
from grader.assignments.spec import CheckSpec, FunctionSpec
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.distribution import Target, draw, sample_problems

ORTHOGONAL_SHAPES = ((50, 30), (30, 50), (40, 40))
ORTHOGONALITY_TOLERANCE = tolerances.ORTHOGONALITY


def describe_orthogonal(spec: CheckSpec, function: FunctionSpec) -> str:
    return "is (semi-)orthogonal: WᵀW or WWᵀ = gain²·I, tall, wide and square"


def gram_deviation(w: np.ndarray, gain: float) -> float:
    """Largest entry of WᵀW - gain²·I (tall W) or WWᵀ - gain²·I (wide W)."""
    gram = w.T @ w if w.shape[0] >= w.shape[1] else w @ w.T
    return float(np.max(np.abs(gram - gain**2 * np.eye(len(gram)))))


def is_orthogonal(ctx: CheckContext, spec: CheckSpec) -> Outcome:
    name = ctx.function.name
    for gain in spec.options.get("gains", (1.0,)):
        kwargs = {"gain": gain} if gain != 1.0 else {}
        for shape in ORTHOGONAL_SHAPES:
            try:
                w = draw(ctx.student, name, shape, int(ctx.rng.integers(2**31)), kwargs)
            except STUDENT_FAILURES as error:
                return Outcome(False, explain_failure(name, error))
            tall = shape[0] >= shape[1]
            error = gram_deviation(w, gain)
            if not np.isfinite(error) or error > ORTHOGONALITY_TOLERANCE * gain**2:
                which = "WᵀW (orthonormal columns)" if tall else "WWᵀ (orthonormal rows)"
                return Outcome(
                    False,
                    f"{name}(shape={shape}, gain={gain}): {which} should be {gain**2:g}·I, "
                    f"largest deviation {error:.3g}",
                )
    return Outcome(True)


def describe_sparse(spec: CheckSpec, function: FunctionSpec) -> str:
    return "has exactly min(k, fan_in) nonzero N(0, scale²) weights per column"


def has_k_nonzeros_per_column(ctx: CheckContext, spec: CheckSpec) -> Outcome:
    name = ctx.function.name
    for shape, kwargs in spec.options["settings"]:
        k, scale = kwargs.get("k", 15), kwargs.get("scale", 1.0)
        try:
            w = draw(ctx.student, name, shape, int(ctx.rng.integers(2**31)), dict(kwargs))
        except STUDENT_FAILURES as error:
            return Outcome(False, explain_failure(name, error))
        counts = np.count_nonzero(w, axis=0)
        expected = min(k, shape[0])
        label = f"{name}(shape={shape}, k={k}, scale={scale})"
        if not np.all(counts == expected):
            column = int(np.flatnonzero(counts != expected)[0])
            return Outcome(
                False,
                f"{label}: column {column} has {counts[column]} nonzero weights, expected "
                f"min(k, fan_in) = {expected} in every column (one per output unit)",
            )
        nonzero = w[w != 0]
        if nonzero.size >= 1000:
            target = Target("normal", lambda fi, fo, scale=scale: scale, f"N(0, {scale}²)")
            if problems := sample_problems(nonzero, target, scale):
                return Outcome(False, f"{label}: the nonzero weights: " + "; ".join(problems))
    return Outcome(True)
