"""trajectory_matches_reference: an update rule driven for many steps on a small model
problem, its own output fed back (w and config), against the reference step by step.

With option `parameters=2` two parameters of the same shape are updated in turn, each
with its own config: state kept anywhere but in config (a module-level variable) shows up
as a divergence. The model problem is a quadratic 0.5 * sum(a * (w - target)**2) with
curvatures a in [0.5, 2], so correct rules contract and rounding differences stay ~1e-12.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grader.assignments.spec import CheckSpec, FunctionSpec
from grader.checks.compare import compare_value
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.implementations import Implementation
from grader.checks.inputs import away_from_zero
from grader.checks.mistakes import quietly, variants
from grader.checks.procedures import MalformedResult, unpack

SHAPE = (4, 5)


@dataclass(frozen=True)
class Problem:
    start: np.ndarray
    curvature: np.ndarray
    target: np.ndarray

    def gradient(self, w: np.ndarray) -> np.ndarray:
        return self.curvature * (w - self.target)


def describe(spec: CheckSpec, function: FunctionSpec) -> str:
    steps, count = spec.options.get("steps", 50), spec.options.get("parameters", 1)
    if count > 1:
        return f"keeps separate state per parameter ({count} parameters, {steps} steps)"
    return f"trajectory matches the reference over {steps} steps"


def problems(ctx: CheckContext, count: int) -> list[Problem]:
    """Starts at least 0.3 from the target in every coordinate: no first gradient is
    near zero, where the free choice of where epsilon sits would show."""
    tasks = []
    for _ in range(count):
        target = ctx.rng.standard_normal(SHAPE)
        start = target + away_from_zero(ctx.rng, SHAPE, 0.3, 2.0)
        tasks.append(Problem(start, ctx.rng.uniform(0.5, 2.0, SHAPE), target))
    return tasks


def trajectory(
    impl: Implementation, name: str, spec: CheckSpec, tasks: list[Problem]
) -> tuple[list[np.ndarray], Exception | None]:
    """w after every update (parameters interleaved); stops at the first failure."""
    steps = spec.options.get("steps", 50)
    configs = [dict(spec.options.get("config", {})) for _ in tasks]
    weights = [task.start.copy() for task in tasks]
    history = []
    for _ in range(steps):
        for index, task in enumerate(tasks):
            try:
                value = impl.call(
                    name, (weights[index], task.gradient(weights[index]), configs[index])
                )
                outputs = unpack(value.value, ("next_w", "config"), name)
                if not isinstance(outputs["config"], dict):
                    raise MalformedResult(f"{name} should return its config as a dict")
                next_w = np.asarray(outputs["next_w"], dtype=np.float64)
                if next_w.shape != SHAPE:
                    raise MalformedResult(f"{name} returned next_w of shape {next_w.shape}")
            except (*STUDENT_FAILURES, TypeError, ValueError) as error:
                return history, error
            weights[index], configs[index] = next_w, outputs["config"]
            history.append(next_w)
    return history, None


def trajectory_matches_reference(ctx: CheckContext, spec: CheckSpec) -> Outcome:
    count = spec.options.get("parameters", 1)
    tasks = problems(ctx, count)
    name = ctx.function.name
    expected, _ = trajectory(ctx.reference, name, spec, tasks)
    if ctx.source.recording:
        _identify(ctx, spec, tasks, [])
    got, error = trajectory(ctx.student, name, spec, tasks)
    setting = f"w {SHAPE}, config {spec.options.get('config', {})}"
    for index, (mine, theirs) in enumerate(zip(got, expected, strict=False)):
        step, parameter = divmod(index, count)
        if problem := compare_value("w", mine, theirs, ctx.function.tolerance):
            where = f"step {step + 1}" + (f", parameter {parameter + 1}" if count > 1 else "")
            lines = [f"Driving {name} on a quadratic ({setting}): at {where}", problem]
            if mistake := _identify(ctx, spec, tasks, got[: index + 1]):
                lines.append(mistake)
            return Outcome(False, "\n".join(lines))
    if error is not None:
        step = len(got) // count + 1
        return Outcome(
            False, f"Driving {name} ({setting}): step {step} failed: {explain_failure(name, error)}"
        )
    return Outcome(True)


def _identify(
    ctx: CheckContext, spec: CheckSpec, tasks: list[Problem], got: list[np.ndarray]
) -> str | None:
    for mistake, variant in variants(ctx):
        with quietly():
            theirs, _ = trajectory(variant, ctx.function.name, spec, tasks)
        if (
            got
            and len(theirs) >= len(got)
            and all(
                compare_value("w", mine, other, ctx.function.tolerance) is None
                for mine, other in zip(got, theirs, strict=False)
            )
        ):
            return f"Known mistake ({mistake.key}): {mistake.description}"
    return None
