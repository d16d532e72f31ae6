"""PyTorch initializers: in-place fills judged as distributions (torch_init_distribution)
or as gain-scaled (semi-)orthogonal matrices (torch_is_orthogonal), on declared shapes."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from grader.assignments.spec import Check, FunctionSpec
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.distribution import Target, sample_problems, target_scale
from grader.checks.structure import ORTHOGONALITY_TOLERANCE, gram_deviation
from grader.checks.torch_objects import shape_list, student

INIT_SHAPES = ((300, 500), (64, 32, 3, 3))
ORTHOGONAL_SHAPES = ((30, 50), (50, 30), (16, 8, 3, 3))


def fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """torch.nn.init's fan_in and fan_out: (out, in, *kernel) weights."""
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def draw_tensor(ctx: CheckContext, shape: tuple, kwargs: dict, dtype: str = "float32") -> dict:
    seed = int(ctx.rng.integers(2**31))
    return student(
        ctx,
        "init_draw",
        shape=list(shape),
        kwargs=kwargs,
        seed=seed,
        dtype=dtype,
        device=ctx.device,
    )


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
                try:
                    drawn = draw_tensor(ctx, shape, dict(kwargs))
                except STUDENT_FAILURES as error:
                    return Outcome(False, explain_failure(ctx.function.name, error))
                if problem := in_place_problem(name, shape, drawn):
                    return Outcome(False, problem)
                fan_in, fan_out = fans(shape)
                scale = target_scale(ctx, target, fan_in, fan_out, dict(kwargs))
                if problems := sample_problems(drawn["values"], target, scale):
                    call = ", ".join([f"shape={shape}", *(f"{k}={v!r}" for k, v in kwargs.items())])
                    header = f"{name}({call}), fan_in={fan_in}, fan_out={fan_out}:"
                    return Outcome(False, "\n".join([header, *problems]))
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
                try:
                    drawn = draw_tensor(ctx, shape, {"gain": gain}, dtype="float64")
                except STUDENT_FAILURES as error:
                    return Outcome(False, explain_failure(ctx.function.name, error))
                if problem := in_place_problem(name, shape, drawn):
                    return Outcome(False, problem)
                if problem := gram_problem(name, shape, drawn["values"], gain):
                    return Outcome(False, problem)
        return Outcome(True)


def gram_problem(name: str, shape: tuple, values: np.ndarray, gain: float) -> str | None:
    """What is wrong with a tensor's values, viewed as a matrix, as a gain-scaled
    (semi-)orthogonal one; None when nothing is."""
    w = values.reshape(shape[0], -1)
    error = gram_deviation(w, gain)
    if error <= ORTHOGONALITY_TOLERANCE * gain**2:
        return None
    rows = "rows" if w.shape[0] < w.shape[1] else "columns"
    return (
        f"{name}(shape={shape}, gain={gain}), viewed as {w.shape}: its {rows} should "
        f"be orthogonal with norm {gain:g}; largest deviation of the Gram matrix "
        f"from {gain**2:g}·I is {error:.3g}"
    )
