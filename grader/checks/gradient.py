"""gradient_matches_numeric: the student's gradients against centered differences of the
student's own forward (or loss), in float64, on inputs kept away from kinks.

When the student's forward is itself wrong on the input (it disagrees with the reference),
the reference forward is differentiated instead and the feedback says so: a bug in the
forward then costs points on the forward only.

All perturbed evaluations of one case go to the worker in a single batched call. For a
forward f with upstream gradient dout the checked scalar is sum(f(x) * dout); for a loss
it is the loss itself. With h = 1e-6 the truncation (~h²) and round-off (~1e-16/h) errors
leave correct gradients at a relative error near 1e-9, far below the 1e-5 threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from grader import tolerances
from grader.assignments.spec import Case, Check, FunctionSpec
from grader.checks.compare import (
    compare_outputs,
    format_index,
    format_number,
    relative_error,
)
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.describe import describe_case
from grader.checks.mistakes import identify_mistake, record_failure_paths
from grader.checks.numeric import centered, nudged
from grader.checks.procedures import MalformedResult, as_array, run

GRADIENT_TOLERANCE = tolerances.GRADIENT
MAX_COORDINATES = 240


def _coordinates(
    ctx: CheckContext, case: Case, names: dict[str, int]
) -> list[tuple[str, tuple[int, ...]]]:
    """Which (gradient, index) pairs to probe; a random subset when inputs are large."""
    pairs = [
        (name, index)
        for name, arg in names.items()
        for index in np.ndindex(np.shape(case.args[arg]))
    ]
    if len(pairs) <= MAX_COORDINATES:
        return pairs
    chosen = np.sort(ctx.rng.choice(len(pairs), MAX_COORDINATES, replace=False))
    return [pairs[i] for i in chosen]


def differentiated(ctx: CheckContext, case: Case) -> tuple[object, str]:
    """Whose forward to differentiate: the student's, unless it is wrong on this case."""
    if ctx.function.kind != "backward":
        return ctx.student, ""
    forward = ctx.forward
    expected = run(forward, ctx.reference, case, ctx.arg_names)
    try:
        got = run(forward, ctx.student, case, ctx.arg_names)
    except STUDENT_FAILURES:
        got = {}
    if got and not compare_outputs(got, expected, forward.tolerance):
        return ctx.student, ""
    note = (
        f"(your {forward.name} is wrong on this input, so your gradients were compared with "
        f"a numerical gradient of the reference {forward.name})"
    )
    return ctx.reference, note


def numeric_gradients(
    ctx: CheckContext,
    case: Case,
    coordinates: list[tuple[str, tuple[int, ...]]],
    impl: object,
) -> dict[tuple[str, tuple[int, ...]], float]:
    names = ctx.function.gradient_of
    backward = ctx.function.kind == "backward"
    function = ctx.function.forward if backward else ctx.function.name
    arg_list = []
    for name, index in coordinates:
        for moved in nudged(case.args[names[name]], index):
            args = list(case.args)
            args[names[name]] = moved
            arg_list.append(args)
    values = impl.call_many(function, arg_list, select=0)
    scalars = []
    for value in values:
        array = as_array(value)
        if array is None:
            raise MalformedResult(f"{function} returned {type(value).__name__}, not numbers")
        if backward:
            if array.shape != case.dout.shape:
                raise MalformedResult(
                    f"{function} returned shape {array.shape}, expected {case.dout.shape}"
                )
            scalars.append(float(np.sum(array * case.dout)))
        else:
            scalars.append(float(array.sum()))
    return dict(zip(coordinates, centered(scalars).tolist(), strict=True))


def record_gradient_failure_paths(
    ctx: CheckContext, case: Case, coordinates: list[tuple[str, tuple[int, ...]]]
) -> None:
    """While a kit is recorded: the reference forward's numerical gradient (used when a
    student's forward is wrong on this case) and the mistake matcher's answers."""
    if ctx.source.recording and ctx.function.kind == "backward":
        numeric_gradients(ctx, case, coordinates, ctx.reference)
    record_failure_paths(ctx, case)


@dataclass(frozen=True)
class GradientMatchesNumeric(Check):
    """On the first `cases` of the function's inputs."""

    kind: ClassVar[str] = "gradient_matches_numeric"
    cases: int = 1

    def __post_init__(self) -> None:
        super().__post_init__()
        self.require(isinstance(self.cases, int) and self.cases >= 1, f"cases={self.cases!r}")

    def describe(self, function: FunctionSpec) -> str:
        target = "your forward" if function.kind == "backward" else "your loss"
        return f"gradients match a numerical gradient of {target}"

    def run(self, ctx: CheckContext) -> Outcome:
        cases = ctx.cases(self.cases)
        for number, case in enumerate(cases, 1):
            where = f"On input {number}: {describe_case(case, ctx.arg_names)}"
            try:
                got = ctx.got(case)
                impl, note = differentiated(ctx, case)
                coordinates = _coordinates(ctx, case, dict(ctx.function.gradient_of))
                numeric = numeric_gradients(ctx, case, coordinates, impl)
                record_gradient_failure_paths(ctx, case, coordinates)
            except STUDENT_FAILURES as error:
                return Outcome(False, f"{where}\n{explain_failure(ctx.function.name, error)}")
            problems = _compare(ctx, case, got, numeric)
            if problems:
                lines = [where, *problems, *([note] if note else [])]
                if mistake := identify_mistake(ctx, case, got):
                    lines.append(mistake)
                return Outcome(False, "\n".join(lines))
        return Outcome(True, f"{len(cases)} inputs checked")


def _compare(
    ctx: CheckContext,
    case: Case,
    got: dict[str, object],
    numeric: dict[tuple[str, tuple[int, ...]], float],
) -> list[str]:
    problems = []
    for name, arg in ctx.function.gradient_of.items():
        expected_shape = np.shape(case.args[arg])
        analytic = as_array(got[name])
        if analytic is None or analytic.shape != expected_shape:
            shape = "not an array" if analytic is None else f"shape {analytic.shape}"
            problems.append(f"{name}: expected shape {expected_shape}, got {shape}")
            continue
        probed = [index for (grad, index) in numeric if grad == name]
        yours = np.array([analytic[index] for index in probed])
        theirs = np.array([numeric[(name, index)] for index in probed])
        if not np.all(np.isfinite(yours)):
            problems.append(f"{name}: contains non-finite values")
            continue
        error = relative_error(yours, theirs)
        if error > GRADIENT_TOLERANCE:
            worst = int(np.argmax(np.abs(yours - theirs)))
            problems.append(
                f"{name}: relative error {error:.2e} against the numerical gradient "
                f"(allowed {GRADIENT_TOLERANCE:.0e}); largest difference at "
                f"{format_index(name, probed[worst])}: numerical "
                f"{format_number(theirs[worst])}, yours {format_number(yours[worst])}"
            )
    return problems
