"""trajectory_matches_reference: an update rule driven for many steps on a small model
problem, its own output fed back (w and config), against the reference step by step.

With `parameters=2` two parameters of the same shape are updated in turn, each
with its own config: state kept anywhere but in config (a module-level variable) shows up
as a divergence. The model problem is a quadratic 0.5 * sum(a * (w - target)**2) with
curvatures a in [0.5, 2], so correct rules contract and rounding differences stay ~1e-12.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from grader.assignments.spec import Check, FunctionSpec
from grader.checks.compare import aligned, compare_value
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.implementations import Implementation
from grader.checks.inputs import away_from_zero
from grader.checks.mistakes import Match, name_mistake, record_variants, reproduces
from grader.checks.procedures import MalformedResult, unpack

SHAPE = (4, 5)


@dataclass(frozen=True)
class Problem:
    start: np.ndarray
    curvature: np.ndarray
    target: np.ndarray

    def gradient(self, w: np.ndarray) -> np.ndarray:
        return self.curvature * (w - self.target)


def problems(ctx: CheckContext, count: int) -> list[Problem]:
    """Starts at least 0.3 from the target in every coordinate: no first gradient is
    near zero, where the free choice of where epsilon sits would show."""
    tasks = []
    for _ in range(count):
        target = ctx.rng.standard_normal(SHAPE)
        start = target + away_from_zero(ctx.rng, SHAPE, 0.3, 2.0)
        tasks.append(Problem(start, ctx.rng.uniform(0.5, 2.0, SHAPE), target))
    return tasks


@dataclass(frozen=True)
class TrajectoryMatchesReference(Check):
    """`steps` updates from `config`, of `parameters` parameters updated in turn."""

    kind: ClassVar[str] = "trajectory_matches_reference"
    config: Mapping[str, object] = field(default_factory=dict)
    steps: int = 50
    parameters: int = 1

    def __post_init__(self) -> None:
        super().__post_init__()
        self.require(isinstance(self.config, Mapping), f"config={self.config!r}")
        self.require(isinstance(self.steps, int) and self.steps >= 1, f"steps={self.steps!r}")
        count = self.parameters
        self.require(isinstance(count, int) and count >= 1, f"parameters={count!r}")

    def describe(self, function: FunctionSpec) -> str:
        steps, count = self.steps, self.parameters
        if count > 1:
            return f"keeps separate state per parameter ({count} parameters, {steps} steps)"
        return f"trajectory matches the reference over {steps} steps"

    def run(self, ctx: CheckContext) -> Outcome:
        count = self.parameters
        tasks = problems(ctx, count)
        name = ctx.function.name
        expected, _ = trajectory(ctx.reference, name, self, tasks)
        record_variants(ctx, self.variant_trajectory(ctx, tasks))
        got, error = trajectory(ctx.student, name, self, tasks)
        setting = f"w {SHAPE}, config {self.config}"
        for index, (mine, theirs) in enumerate(zip(got, expected, strict=False)):
            step, parameter = divmod(index, count)
            if problem := compare_value("w", mine, theirs, ctx.function.tolerance):
                where = f"step {step + 1}" + (f", parameter {parameter + 1}" if count > 1 else "")
                lines = [f"Driving {name} on a quadratic ({setting}): at {where}", problem]
                if mistake := self.identify(ctx, tasks, got[: index + 1]):
                    lines.append(mistake)
                return Outcome(False, "\n".join(lines))
        if error is not None:
            step = len(got) // count + 1
            failure = explain_failure(name, error)
            return Outcome(False, f"Driving {name} ({setting}): step {step} failed: {failure}")
        return Outcome(True)

    def identify(
        self, ctx: CheckContext, tasks: list[Problem], got: list[np.ndarray]
    ) -> str | None:
        """The known mistake whose trajectory starts with the student's `got` (exactly),
        agreeing on finite values at the step that went wrong (`reproduces`)."""
        tolerance = ctx.function.tolerance

        def compare(theirs: list[np.ndarray]) -> Match | None:
            if not got or len(theirs) < len(got):
                return None
            agreements = [
                reproduces(mine, other, tolerance) for mine, other in zip(got, theirs, strict=False)
            ]
            same = all(agreement.agrees for agreement in agreements)
            return Match(exact=True) if same and agreements[-1].on_finite_values else None

        return name_mistake(ctx, self.variant_trajectory(ctx, tasks), compare)

    def variant_trajectory(self, ctx: CheckContext, tasks: list[Problem]) -> Callable:
        """A variant's behaviour on these problems: the trajectory it drives."""
        return lambda _, variant: trajectory(variant, ctx.function.name, self, tasks)[0]


def trajectory(
    impl: Implementation, name: str, check: TrajectoryMatchesReference, tasks: list[Problem]
) -> tuple[list[np.ndarray], Exception | None]:
    """w after every update (parameters interleaved); stops at the first failure."""
    configs = [dict(check.config) for _ in tasks]
    weights = [task.start.copy() for task in tasks]
    history = []
    for _ in range(check.steps):
        for index, task in enumerate(tasks):
            try:
                value = impl.call(
                    name, (weights[index], task.gradient(weights[index]), configs[index])
                )
                outputs = unpack(value.value, ("next_w", "config"), name)
                if not isinstance(outputs["config"], dict):
                    raise MalformedResult(f"{name} should return its config as a dict")
                returned = np.asarray(outputs["next_w"], dtype=np.float64)
                next_w = aligned(returned, SHAPE)
                if next_w is None:
                    raise MalformedResult(f"{name} returned next_w of shape {returned.shape}")
            except (*STUDENT_FAILURES, TypeError, ValueError) as error:
                return history, error
            weights[index], configs[index] = next_w, outputs["config"]
            history.append(next_w)
    return history, None
