"""Exact structural properties of random initializers: orthogonality and sparsity."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

import numpy as np

from grader import tolerances
from grader.assignments.spec import Check, FunctionSpec
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.distribution import Target, draw, sample_problems, variant_summary
from grader.checks.mistakes import Match, name_mistake, record_variants

ORTHOGONAL_SHAPES = ((50, 30), (30, 50), (40, 40))
ORTHOGONALITY_TOLERANCE = tolerances.ORTHOGONALITY
SPECTRUM_DRAWS = 8  # a variant's draws in `spectra`


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
                seed = int(ctx.rng.integers(2**31))
                spectra = variant_summary(ctx, shape, seed, kwargs, singular_values)
                record_variants(ctx, spectra)
                try:
                    w = draw(ctx.student, name, shape, seed, kwargs)
                except STUDENT_FAILURES as error:
                    return Outcome(False, explain_failure(name, error))
                if problem := orthogonality_problem(name, shape, w, gain):
                    mine = spectrum(w)
                    mistake = name_mistake(ctx, spectra, partial(same_spectrum, mine))
                    return Outcome(False, "\n".join(filter(None, [problem, mistake])))
        return Outcome(True)


def spectrum(w: np.ndarray) -> np.ndarray:
    """The singular values of W, largest first: all equal to the gain for a
    (semi-)orthogonal W, whatever the draw, so a mistake that changes only the scale
    (gain ignored, squared) leaves the same spectrum on every draw."""
    return np.linalg.svd(w, compute_uv=False)


def singular_values(drawn: Callable[[int], np.ndarray], seed: int) -> np.ndarray:
    return spectrum(drawn(seed))


def same_spectrum(mine: np.ndarray, theirs: np.ndarray) -> Match | None:
    """A variant explains a failed orthogonality check when its spectrum is the student's:
    only mistakes whose spectrum does not depend on the draw can match."""
    if mine.shape == theirs.shape and np.allclose(mine, theirs, rtol=ORTHOGONALITY_TOLERANCE):
        return Match(exact=True)
    return None


def spectra(drawn: Callable[[int], np.ndarray], seed: int) -> np.ndarray:
    """The spectra of SPECTRUM_DRAWS draws (seeds seed, seed + 1, ...), one per row: all
    alike for a mistake that only rescales an orthogonal matrix, spread for a random one."""
    return np.array([spectrum(drawn(seed + i)) for i in range(SPECTRUM_DRAWS)])


def same_spectra(mine: np.ndarray, theirs: np.ndarray) -> Match | None:
    """A variant whose spectrum is the same on every draw explains a failed orthogonality
    check when it is the student's (`same_spectrum`, exact); one whose spectrum depends on
    the draw (a random matrix never orthogonalized) when the student's looks like a draw
    of it: a root-mean-square singular value within tolerances.SAME_SPECTRUM_SCALE of its own
    and a two-sample KS test that does not tell them apart (tolerances.SAME_DRAWS), which is
    only likely."""
    from scipy import stats

    if all(same_spectrum(theirs[0], other) for other in theirs[1:]):
        return same_spectrum(mine, theirs[0])
    if mine.size != theirs.shape[1]:
        return None
    scale = float(np.mean(np.sqrt(np.mean(theirs**2, axis=1))))
    rms = float(np.sqrt(np.mean(mine**2)))
    if scale == 0 or abs(rms / scale - 1) > tolerances.SAME_SPECTRUM_SCALE:
        return None
    if stats.ks_2samp(mine, theirs.ravel()).pvalue > tolerances.SAME_DRAWS:
        return Match(exact=False, detail="your singular values are spread like this mistake's")
    return None


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
            seed = int(ctx.rng.integers(2**31))
            patterns = variant_summary(ctx, shape, seed, dict(kwargs), nonzero_counts)
            record_variants(ctx, patterns)
            try:
                w = draw(ctx.student, name, shape, seed, dict(kwargs))
            except STUDENT_FAILURES as error:
                return Outcome(False, explain_failure(name, error))
            if problem := layout_problem(name, shape, w, kwargs):
                mistake = name_mistake(ctx, patterns, partial(same_pattern, layout(w)))
                return Outcome(False, "\n".join(filter(None, [problem, mistake])))
            if problem := value_problem(name, shape, w, kwargs):
                return Outcome(False, problem)
        return Outcome(True)


def layout(w: np.ndarray) -> list[np.ndarray]:
    """How many nonzero weights each column and each row of W holds, sorted."""
    nonzero = w != 0
    return [np.sort(nonzero.sum(axis=0)), np.sort(nonzero.sum(axis=1))]


def nonzero_counts(drawn: Callable[[int], np.ndarray], seed: int) -> list[np.ndarray]:
    return layout(drawn(seed))


def same_pattern(mine: list[np.ndarray], theirs: list[np.ndarray]) -> Match | None:
    """A variant explains a failed sparsity check when its nonzeros are laid out like the
    student's, per column and per row: identical counts where either side's are all equal
    (k per row), else counts a two-sample KS test does not tell apart (p > tolerances.SAME_DRAWS;
    drawing rows with replacement, a Bernoulli mask)."""
    from scipy import stats

    for counts, other in zip(mine, theirs, strict=True):
        if counts.shape != other.shape:
            return None
        if np.ptp(counts) == 0 or np.ptp(other) == 0:
            if not np.array_equal(counts, other):
                return None
        elif stats.ks_2samp(counts, other).pvalue <= tolerances.SAME_DRAWS:
            return None
    return Match(exact=False, detail="your nonzeros per column and per row are laid out like it")


def _label(name: str, shape: tuple[int, int], kwargs: Mapping[str, float]) -> str:
    return f"{name}(shape={shape}, k={kwargs.get('k', 15)}, scale={kwargs.get('scale', 1.0)})"


def layout_problem(
    name: str, shape: tuple[int, int], w: np.ndarray, kwargs: Mapping[str, float]
) -> str | None:
    """What is wrong with where a sparse draw put its nonzeros, if anything."""
    counts = np.count_nonzero(w, axis=0)
    expected = min(kwargs.get("k", 15), shape[0])
    if np.all(counts == expected):
        return None
    column = int(np.flatnonzero(counts != expected)[0])
    return (
        f"{_label(name, shape, kwargs)}: column {column} has {counts[column]} nonzero weights, "
        f"expected min(k, fan_in) = {expected} in every column (one per output unit)"
    )


def value_problem(
    name: str, shape: tuple[int, int], w: np.ndarray, kwargs: Mapping[str, float]
) -> str | None:
    """What is wrong with the nonzero values of a sparse draw, if anything."""
    scale = kwargs.get("scale", 1.0)
    nonzero = w[w != 0]
    if nonzero.size >= 1000:
        target = Target("normal", lambda fi, fo, scale=scale: scale, f"N(0, {scale}²)")
        if problems := sample_problems(nonzero, target, scale):
            return f"{_label(name, shape, kwargs)}: the nonzero weights: " + "; ".join(problems)
    return None
