"""PyTorch initializers: in-place fills judged as distributions (torch_init_distribution)
or as gain-scaled (semi-)orthogonal matrices (torch_is_orthogonal), on declared shapes.
A failure names the known mistake whose fills look like the student's: as a distribution
(likely, distribution.same_sample) or by their singular values (structure.same_spectra:
exact where they do not depend on the draw)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

import numpy as np

from grader.assignments.spec import Check, FunctionSpec
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.distribution import (
    Target,
    same_sample,
    sample_problems,
    std_and_values,
    target_scale,
)
from grader.checks.mistakes import name_mistake, record_variants
from grader.checks.recording import Variant
from grader.checks.structure import (
    ORTHOGONALITY_TOLERANCE,
    gram_deviation,
    same_spectra,
    spectra,
    spectrum,
)
from grader.checks.torch_objects import Driven, shape_list, student, variant

INIT_SHAPES = ((300, 500), (64, 32, 3, 3))
ORTHOGONAL_SHAPES = ((30, 50), (50, 30), (16, 8, 3, 3))


def fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """torch.nn.init's fan_in and fan_out: (out, in, *kernel) weights."""
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def draw_tensor(
    ctx: CheckContext, shape: tuple, kwargs: dict, seed: int, dtype: str = "float32"
) -> dict:
    return student(
        ctx,
        "init_draw",
        shape=list(shape),
        kwargs=kwargs,
        seed=seed,
        dtype=dtype,
        device=ctx.device,
    )


def variant_fills(
    ctx: CheckContext,
    shape: tuple,
    kwargs: dict,
    seed: int,
    dtype: str,
    summarize: Callable[[Callable[[int], np.ndarray], int], object],
) -> Callable[[Variant, Driven], object]:
    """A variant's fills as the matcher compares them: `summarize(drawn, seed)`, drawn(s)
    being what the variant leaves in a tensor of `shape` at seed s (a student kit keeps the
    summary, never the variant's tensors)."""

    def summary(mistake: Variant, impl: Driven) -> object:
        name = ctx.function.name
        parts = ("torch variant", summarize.__name__, mistake.key, mistake.description)
        parts += (name, shape, seed, kwargs, dtype)

        def drawn(at: int) -> np.ndarray:
            request = {"shape": list(shape), "kwargs": kwargs, "seed": at, "dtype": dtype}
            return variant(ctx, impl, "init_draw", **request)["values"]

        return ctx.source.derived(parts, lambda: summarize(drawn, seed))

    return summary


def in_place_problem(name: str, shape: tuple, drawn: dict) -> str | None:
    if not drawn["returned_same"]:
        return f"{name} on a tensor of shape {shape} must return the tensor it was given"
    if not np.all(np.isfinite(drawn["values"])):
        return f"{name} on a tensor of shape {shape} left entries unfilled (NaN) in that tensor"
    return None


@dataclass(frozen=True)
class TorchInitDistribution(Check):
    """Draws on each of `shapes` with each of `settings` (keyword arguments) match
    `target`."""

    kind: ClassVar[str] = "torch_init_distribution"
    target: Target
    settings: tuple[Mapping[str, object], ...]
    shapes: tuple[tuple[int, ...], ...] = INIT_SHAPES

    def __post_init__(self) -> None:
        super().__post_init__()
        self.require(isinstance(self.target, Target), f"target={self.target!r} (a Target)")
        valid = isinstance(self.settings, tuple) and all(
            isinstance(setting, Mapping) for setting in self.settings
        )
        self.require(valid and len(self.settings) > 0, f"settings={self.settings!r}")
        self.require(shape_list(self.shapes), f"shapes={self.shapes!r}")

    def describe(self, function: FunctionSpec) -> str:
        return f"fills the tensor in place from {self.target.formula} (linear and conv shapes)"

    def run(self, ctx: CheckContext) -> Outcome:
        target = self.target
        name = ctx.function.name
        for kwargs in self.settings:
            for shape in self.shapes:
                seed = int(ctx.rng.integers(2**31))
                samples = variant_fills(ctx, shape, dict(kwargs), seed, "float32", std_and_values)
                record_variants(ctx, samples)
                try:
                    drawn = draw_tensor(ctx, shape, dict(kwargs), seed)
                except STUDENT_FAILURES as error:
                    return Outcome(False, explain_failure(ctx.function.name, error))
                if problem := in_place_problem(name, shape, drawn):
                    return Outcome(False, problem)
                fan_in, fan_out = fans(shape)
                scale = target_scale(ctx, target, fan_in, fan_out, dict(kwargs))
                if problems := sample_problems(drawn["values"], target, scale):
                    call = ", ".join([f"shape={shape}", *(f"{k}={v!r}" for k, v in kwargs.items())])
                    header = f"{name}({call}), fan_in={fan_in}, fan_out={fan_out}:"
                    same = partial(same_sample, drawn["values"], target_std=target.std(scale))
                    mistake = name_mistake(ctx, samples, same)
                    return Outcome(False, "\n".join(filter(None, [header, *problems, mistake])))
        return Outcome(True)


@dataclass(frozen=True)
class TorchIsOrthogonal(Check):
    """Each of `shapes`, filled with each of `gains`, is gain-scaled (semi-)orthogonal."""

    kind: ClassVar[str] = "torch_is_orthogonal"
    gains: tuple[float, ...] = (1.0, 2.0)
    shapes: tuple[tuple[int, ...], ...] = ORTHOGONAL_SHAPES

    def __post_init__(self) -> None:
        super().__post_init__()
        valid = isinstance(self.gains, tuple) and len(self.gains) > 0
        valid = valid and all(isinstance(g, int | float) and g > 0 for g in self.gains)
        self.require(valid, f"gains={self.gains!r}")
        self.require(shape_list(self.shapes), f"shapes={self.shapes!r}")

    def describe(self, function: FunctionSpec) -> str:
        return "fills the tensor in place with a gain-scaled (semi-)orthogonal matrix"

    def run(self, ctx: CheckContext) -> Outcome:
        name = ctx.function.name
        for gain in self.gains:
            for shape in self.shapes:
                seed = int(ctx.rng.integers(2**31))
                kwargs = {"gain": gain}
                variant_spectra = variant_fills(ctx, shape, kwargs, seed, "float64", matrix_spectra)
                record_variants(ctx, variant_spectra)
                try:
                    drawn = draw_tensor(ctx, shape, kwargs, seed, dtype="float64")
                except STUDENT_FAILURES as error:
                    return Outcome(False, explain_failure(ctx.function.name, error))
                if problem := in_place_problem(name, shape, drawn):
                    return Outcome(False, problem)
                if problem := gram_problem(name, shape, drawn["values"], gain):
                    mine = spectrum(as_matrix(drawn["values"]))
                    mistake = name_mistake(ctx, variant_spectra, partial(same_spectra, mine))
                    return Outcome(False, "\n".join(filter(None, [problem, mistake])))
        return Outcome(True)


def as_matrix(values: np.ndarray) -> np.ndarray:
    """A tensor viewed as a matrix (shape[0], the rest), as orthogonality is judged."""
    return values.reshape(values.shape[0], -1)


def matrix_spectra(drawn: Callable[[int], np.ndarray], seed: int) -> np.ndarray:
    """`structure.spectra` of the tensors viewed as matrices."""
    return spectra(lambda at: as_matrix(drawn(at)), seed)


def gram_problem(name: str, shape: tuple, values: np.ndarray, gain: float) -> str | None:
    """What is wrong with a tensor's values, viewed as a matrix, as a gain-scaled
    (semi-)orthogonal one; None when nothing is."""
    w = as_matrix(values)
    error = gram_deviation(w, gain)
    if error <= ORTHOGONALITY_TOLERANCE * gain**2:
        return None
    rows = "rows" if w.shape[0] < w.shape[1] else "columns"
    return (
        f"{name}(shape={shape}, gain={gain}), viewed as {w.shape}: its {rows} should "
        f"be orthogonal with norm {gain:g}; largest deviation of the Gram matrix "
        f"from {gain**2:g}·I is {error:.3g}"
    )
