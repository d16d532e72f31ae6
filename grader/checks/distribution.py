"""Checks for random initializers: they are judged as distributions, never as values, so
any correct way of drawing from `rng` gets full marks.

matches_distribution runs, on a square and two non-square shapes of 150,000-160,000
entries, a mean test, a variance test and a Kolmogorov-Smirnov test against the target
distribution (plus the support for a uniform). The nine tests share a false-failure
budget of 1e-6 per check (Bonferroni: each at 1.1e-7; z = 5.31 for the moment tests,
whose normal approximation is excellent at this sample size).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import ClassVar

import numpy as np

from grader import tolerances
from grader.assignments.spec import Check, FunctionSpec
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.implementations import Implementation
from grader.checks.mistakes import Match, name_mistake, record_variants
from grader.checks.procedures import MalformedResult
from grader.checks.recording import Variant
from grader.sandbox.codec import RngSeed

FALSE_FAILURE = tolerances.FALSE_FAILURE
SHAPES = ((500, 300), (300, 500), (400, 400))
TESTS_PER_CHECK = 9
ALPHA = FALSE_FAILURE / TESTS_PER_CHECK
KURTOSIS = {"normal": 3.0, "uniform": 1.8}
VARIANT_VALUES = 20_000  # a variant's values in the two-sample KS test of likely_mistake


@dataclass(frozen=True)
class Target:
    """The distribution an initializer must draw from: `scale(fan_in, fan_out, **kwargs)`
    is the standard deviation of a normal or the bound b of a uniform U(-b, b)."""

    family: str
    scale: Callable[..., float]
    formula: str

    def std(self, scale: float) -> float:
        return scale if self.family == "normal" else scale / math.sqrt(3.0)

    def cdf(self, scale: float) -> Callable:
        from scipy import stats

        if self.family == "normal":
            return stats.norm(0.0, scale).cdf
        return stats.uniform(-scale, 2 * scale).cdf


def target_scale(
    ctx: CheckContext, target: Target, fan_in: int, fan_out: int, kwargs: dict
) -> float:
    """The target's std or bound for these fans (a course formula: kits carry its values)."""
    parts = ("scale", target.family, target.formula, fan_in, fan_out, kwargs)
    return ctx.source.derived(parts, lambda: float(target.scale(fan_in, fan_out, **kwargs)))


def draw(
    impl: Implementation, name: str, shape: tuple[int, ...], seed: int, kwargs: dict
) -> np.ndarray:
    value = impl.call(name, (shape, RngSeed(seed)), kwargs).value
    if not isinstance(value, np.ndarray) or value.shape != tuple(shape):
        got = getattr(value, "shape", type(value).__name__)
        raise MalformedResult(f"{name}({shape}) returned {got}, expected an array of shape {shape}")
    return value.astype(np.float64, copy=False)


@dataclass(frozen=True)
class DrawsFromRng(Check):
    """Same generator state, same weights; another seed, other weights (so ignoring rng
    and drawing from np.random's global state fails). `kwargs` go to every call."""

    kind: ClassVar[str] = "draws_from_rng"
    kwargs: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.require(isinstance(self.kwargs, Mapping), f"kwargs={self.kwargs!r}")

    def describe(self, function: FunctionSpec) -> str:
        return "is reproducible with a seeded rng and differs across seeds"

    def run(self, ctx: CheckContext) -> Outcome:
        name, kwargs, shape = ctx.function.name, dict(self.kwargs), (30, 20)
        seed = int(ctx.rng.integers(2**31))
        record_variants(ctx, variant_summary(ctx, shape, seed, kwargs, reproducibility))
        try:
            problem = reproducibility(lambda s: draw(ctx.student, name, shape, s, kwargs), seed)
        except STUDENT_FAILURES as error:
            return Outcome(False, explain_failure(name, error))
        if problem is None:
            return Outcome(True)
        lines = [f"{name}({shape}, rng) {problem}"]
        summary = variant_summary(ctx, shape, seed, kwargs, reproducibility)
        if mistake := name_mistake(ctx, summary, lambda theirs: same_problem(problem, theirs)):
            lines.append(mistake)
        return Outcome(False, "\n".join(lines))


def reproducibility(drawn: Callable[[int], np.ndarray], seed: int) -> str | None:
    """What is wrong with how `drawn(seed)` uses its seeded generator, if anything."""
    first, again, other = drawn(seed), drawn(seed), drawn(seed + 1)
    if not np.array_equal(first, again):
        return (
            "gave different weights for two generators with the same seed: draw every "
            "random number from the rng argument, not from np.random."
        )
    if np.array_equal(first, other):
        return "gave the same weights for different seeds"
    return None


def same_problem(problem: str, theirs: str | None) -> Match | None:
    return Match(exact=True) if theirs == problem else None


def sample_problems(sample: np.ndarray, target: Target, scale: float) -> list[str]:
    """What is wrong with `sample` as a draw from the target at this scale (its
    `scale(fan_in, fan_out, **kwargs)`, see ReferenceSource.scale); empty when nothing is."""
    from scipy import stats

    values = sample.ravel()
    n = values.size
    std = target.std(scale)
    z = stats.norm.isf(ALPHA / 2)
    problems = []
    if not np.all(np.isfinite(values)):
        return ["contains inf or nan"]
    mean, variance = float(values.mean()), float(values.var())
    if abs(mean) > z * std / math.sqrt(n):
        problems.append(f"mean {mean:.3g}, expected 0 (allowed ±{z * std / math.sqrt(n):.2g})")
    spread = z * std**2 * math.sqrt((KURTOSIS[target.family] - 1) / n)
    if abs(variance - std**2) > spread:
        problems.append(
            f"std {math.sqrt(variance):.4g}, expected {std:.4g} "
            f"(variance allowed ±{spread / std**2:.1%})"
        )
    if target.family == "uniform":
        bound = scale
        largest = float(np.max(np.abs(values)))
        if largest > bound * (1 + tolerances.UNIFORM_BOUND_ROUNDING):
            problems.append(f"a value {largest:.4g} lies outside the bound ±{bound:.4g}")
        elif largest < bound * (1 - tolerances.UNIFORM_REACH):
            problems.append(f"values never come near the bound ±{bound:.4g} (max {largest:.4g})")
    p_value = float(stats.kstest(values, target.cdf(scale)).pvalue)
    if p_value < ALPHA:
        problems.append(
            f"Kolmogorov-Smirnov test rejects {target.family} "
            f"(p = {p_value:.2g} < {ALPHA:.2g}): wrong distribution family or scale"
        )
    return problems


@dataclass(frozen=True)
class MatchesDistribution(Check):
    """Draws (with `kwargs`) on SHAPES pass the tests of `sample_problems` for `target`."""

    kind: ClassVar[str] = "matches_distribution"
    target: Target
    kwargs: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.require(isinstance(self.target, Target), f"target={self.target!r} (a Target)")
        self.require(isinstance(self.kwargs, Mapping), f"kwargs={self.kwargs!r}")

    def describe(self, function: FunctionSpec) -> str:
        formula = self.target.formula
        return f"draws from {formula} (mean, variance, KS test; square and non-square)"

    def run(self, ctx: CheckContext) -> Outcome:
        name, kwargs = ctx.function.name, dict(self.kwargs)
        for shape in SHAPES:
            seed = int(ctx.rng.integers(2**31))
            record_variants(ctx, variant_sample(ctx, shape, seed, kwargs))
            try:
                sample = draw(ctx.student, name, shape, seed, kwargs)
            except STUDENT_FAILURES as error:
                return Outcome(False, explain_failure(name, error))
            scale = target_scale(ctx, self.target, *shape, kwargs)
            if problems := sample_problems(sample, self.target, scale):
                args = ", ".join([f"shape={shape}", *(f"{k}={v}" for k, v in kwargs.items())])
                lines = [f"{name}({args}), fan_in={shape[0]}, fan_out={shape[1]}:", *problems]
                if mistake := likely_mistake(ctx, shape, seed, kwargs, sample):
                    lines.append(mistake)
                return Outcome(False, "\n".join(lines))
        return Outcome(True)


def likely_mistake(
    ctx: CheckContext, shape: tuple[int, int], seed: int, kwargs: dict, sample: np.ndarray
) -> str | None:
    """A registered mistake whose samples look like the student's (`same_sample`)."""
    return name_mistake(ctx, variant_sample(ctx, shape, seed, kwargs), partial(same_sample, sample))


def same_sample(sample: np.ndarray, summary: list, target_std: float | None = None) -> Match | None:
    """A variant's draws (`std_and_values`) look like the student's `sample`: a scale
    within tolerances.SAME_SCALE and a two-sample KS test that does not tell them apart
    (tolerances.SAME_DRAWS). Given the target's std, a variant whose std is the target's
    (within the same) draws what the check wants, on this evidence, and explains no failure."""
    from scipy import stats

    scale, theirs = summary
    if scale == 0 or abs(float(np.std(sample)) / scale - 1) > tolerances.SAME_SCALE:
        return None
    if target_std is not None and abs(scale / target_std - 1) <= tolerances.SAME_SCALE:
        return None
    if stats.ks_2samp(sample.ravel(), theirs).pvalue > tolerances.SAME_DRAWS:
        return Match(exact=False)
    return None


def variant_summary(
    ctx: CheckContext,
    shape: tuple[int, int],
    seed: int,
    kwargs: dict,
    summarize: Callable[[Callable[[int], np.ndarray], int], object],
) -> Callable[[Variant, Implementation], object]:
    """A variant's draws as the matcher compares them: `summarize(drawn, seed)` of its
    draws at this shape and kwargs (a student kit stores the summary, never the variant)."""

    def summary(mistake: Variant, variant: Implementation) -> object:
        parts = ("variant", summarize.__name__, mistake.key, ctx.function.name, shape, seed, kwargs)
        drawn = partial(_draw_at, variant, ctx.function.name, shape, kwargs)
        return ctx.source.derived(parts, lambda: summarize(drawn, seed))

    return summary


def _draw_at(
    impl: Implementation, name: str, shape: tuple[int, int], kwargs: dict, seed: int
) -> np.ndarray:
    return draw(impl, name, shape, seed, kwargs)


def variant_sample(
    ctx: CheckContext, shape: tuple[int, int], seed: int, kwargs: dict
) -> Callable[[Variant, Implementation], object]:
    """A variant's std and its first VARIANT_VALUES values (from another seed than the
    student's: the two samples are compared as distributions)."""
    return variant_summary(ctx, shape, seed, kwargs, std_and_values)


def std_and_values(drawn: Callable[[int], np.ndarray], seed: int) -> list:
    theirs = drawn(seed + 7)
    return [float(np.std(theirs)), theirs.ravel()[:VARIANT_VALUES].copy()]
