"""gradient_matches_numeric: the student's gradients against centered differences of the
student's own forward (or loss), in float64, on inputs kept away from kinks.

A backward is judged against its own forward: it passes when it is the exact derivative of
what the student's forward computed. When that forward is wrong on the input (it disagrees
with the reference), a backward that is right for the contract (the derivative of the
reference forward) passes too: either way a bug in the forward costs points on the forward
only. matches_reference uses `derivative_of_own_forward` for the same rule.

Each gradient is first compared along DIRECTIONS random directions (two evaluations per
direction, whatever the input's size), so a correct but slow submission is not held to
hundreds of evaluations per input. Only when a direction disagrees are coordinates probed
one by one (up to MAX_COORDINATES), to say where; when every coordinate was probed, that
verdict stands. The directions come from a generator spawned from the check's, so the
coordinates drawn are those the check always drew.

All perturbed evaluations of one probe go to the worker in a single batched call. For a
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
    aligned,
    compare_outputs,
    format_index,
    format_number,
    relative_error,
)
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.describe import describe_case
from grader.checks.implementations import Implementation
from grader.checks.mistakes import identify_mistake, record_failure_paths
from grader.checks.numeric import centered, nudged
from grader.checks.procedures import MalformedResult, as_array, run

GRADIENT_TOLERANCE = tolerances.GRADIENT
MAX_COORDINATES = 240
DIRECTIONS = 3  # random directions per gradient

Probe = tuple[str, tuple[int, ...] | np.ndarray]  # a gradient's name, a coordinate or direction


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


def forward_is_wrong(ctx: CheckContext, case: Case) -> bool:
    """Whether the student's forward of this backward disagrees with the reference's on
    `case` (or fails there)."""
    forward = ctx.forward
    expected = run(forward, ctx.reference, case, ctx.arg_names)
    try:
        got = run(forward, ctx.student, case, ctx.arg_names)
    except STUDENT_FAILURES:
        return True
    return bool(compare_outputs(got, expected, forward.tolerance))


def differentiated(ctx: CheckContext, case: Case) -> list[tuple[Implementation, str]]:
    """Whose function the gradients may be the derivative of, with a note for feedback:
    the student's own; for a backward whose forward is wrong here, also the reference's."""
    if ctx.function.kind != "backward" or not forward_is_wrong(ctx, case):
        return [(ctx.student, "")]
    name = ctx.forward.name
    return [
        (
            ctx.student,
            f"(your {name} is wrong on this input; your gradients match neither a "
            f"numerical gradient of your own {name} nor one of the reference {name})",
        ),
        (ctx.reference, ""),
    ]


def _directions(ctx: CheckContext, case: Case, rng: np.random.Generator) -> list[Probe]:
    return [
        (name, rng.standard_normal(np.shape(case.args[arg])))
        for name, arg in ctx.function.gradient_of.items()
        for _ in range(DIRECTIONS)
    ]


def numeric_derivatives(
    ctx: CheckContext, case: Case, probes: list[Probe], impl: object
) -> list[float]:
    """Centered differences of the checked scalar, one per probe (a coordinate or a
    direction of one gradient's argument), in one batched call."""
    names = ctx.function.gradient_of
    backward = ctx.function.kind == "backward"
    function = ctx.function.forward if backward else ctx.function.name
    arg_list = []
    for name, index in probes:
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
            if (same_shape := aligned(array, case.dout.shape)) is None:
                raise MalformedResult(
                    f"{function} returned shape {array.shape}, expected {case.dout.shape}"
                )
            scalars.append(float(np.sum(same_shape * case.dout)))
        else:
            scalars.append(float(array.sum()))
    return centered(scalars).tolist()


def numeric_gradients(
    ctx: CheckContext,
    case: Case,
    coordinates: list[tuple[str, tuple[int, ...]]],
    impl: object,
) -> dict[tuple[str, tuple[int, ...]], float]:
    values = numeric_derivatives(ctx, case, coordinates, impl)
    return dict(zip(coordinates, values, strict=True))


def direction_errors(
    ctx: CheckContext, case: Case, got: dict[str, object], directions: list[Probe], impl: object
) -> dict[str, float] | None:
    """Per gradient, the relative error of its directional derivatives against numerical
    ones; None when a returned gradient is not a finite array of the input's shape (the
    coordinate comparison words that)."""
    analytic = []
    for name, direction in directions:
        array = as_array(got[name])
        if array is None or array.shape != direction.shape or not np.all(np.isfinite(array)):
            return None
        analytic.append(float(np.sum(array * direction)))
    numeric = numeric_derivatives(ctx, case, directions, impl)
    return {
        name: relative_error(
            np.array([a for (n, _), a in zip(directions, analytic, strict=True) if n == name]),
            np.array([v for (n, _), v in zip(directions, numeric, strict=True) if n == name]),
        )
        for name in ctx.function.gradient_of
    }


def record_gradient_failure_paths(ctx: CheckContext, case: Case, probes: list[list[Probe]]) -> None:
    """While a kit is recorded: the reference forward's numerical derivatives (used when a
    student's forward is wrong on this case) and the mistake matcher's answers."""
    if ctx.source.recording and ctx.function.kind == "backward":
        for chosen in probes:
            numeric_derivatives(ctx, case, chosen, ctx.reference)
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
        (directions_rng,) = ctx.rng.spawn(1)  # leaves ctx.rng's draws as they were
        for number, case in enumerate(cases, 1):
            where = f"On input {number}: {describe_case(case, ctx.arg_names)}"
            try:
                got = ctx.got(case)
                coordinates = _coordinates(ctx, case, dict(ctx.function.gradient_of))
                directions = _directions(ctx, case, directions_rng)
                problems = gradient_problems(ctx, case, got, coordinates, directions)
                record_gradient_failure_paths(ctx, case, [directions, coordinates])
            except STUDENT_FAILURES as error:
                return Outcome(False, f"{where}\n{explain_failure(ctx.function.name, error)}")
            if problems:
                lines = [where, *problems]
                if mistake := identify_mistake(ctx, case, got):
                    lines.append(mistake)
                return Outcome(False, "\n".join(lines))
        return Outcome(True, f"{len(cases)} inputs checked")


def gradient_problems(
    ctx: CheckContext,
    case: Case,
    got: dict[str, object],
    coordinates: list[tuple[str, tuple[int, ...]]],
    directions: list[Probe],
) -> list[str]:
    """What is wrong with `got` against the numerical gradient of the student's own
    function (and, for a backward whose forward is wrong here, of the reference's: matching
    either passes); empty when it matches. A forward that cannot be differentiated leaves
    the reference's alone."""
    first: list[str] = []
    targets = differentiated(ctx, case)
    for impl, note in targets:
        try:
            problems = problems_against(ctx, case, got, coordinates, directions, impl)
        except STUDENT_FAILURES:
            if len(targets) > 1 and impl is ctx.student:
                continue
            raise
        if not problems:
            return []
        first = first or [*problems, *([note] if note else [])]
    return first


def problems_against(
    ctx: CheckContext,
    case: Case,
    got: dict[str, object],
    coordinates: list[tuple[str, tuple[int, ...]]],
    directions: list[Probe],
    impl: Implementation,
) -> list[str]:
    """`got` against the numerical gradient of `impl`'s function: along the random
    directions first; coordinate by coordinate only when a direction disagrees."""
    errors = direction_errors(ctx, case, got, directions, impl)
    if errors is not None and max(errors.values()) <= GRADIENT_TOLERANCE:
        return []
    problems = _compare(ctx, case, got, numeric_gradients(ctx, case, coordinates, impl))
    if not problems and len(coordinates) < _size(ctx, case):
        problems = _direction_problems(errors or {})
    return problems


def derivative_of_own_forward(ctx: CheckContext, case: Case, got: dict[str, object]) -> bool:
    """Whether a backward whose forward is wrong on `case` returned the exact derivative of
    that forward (what matches_reference accepts instead of the reference's gradients)."""
    if ctx.function.kind != "backward" or not forward_is_wrong(ctx, case):
        return False
    coordinates = _coordinates(ctx, case, dict(ctx.function.gradient_of))
    try:
        numeric = numeric_gradients(ctx, case, coordinates, ctx.student)
    except STUDENT_FAILURES:
        return False
    return not _compare(ctx, case, got, numeric)


def _size(ctx: CheckContext, case: Case) -> int:
    """How many coordinates the gradients have in all."""
    return sum(int(np.size(case.args[arg])) for arg in ctx.function.gradient_of.values())


def _direction_problems(errors: dict[str, float]) -> list[str]:
    """What the random directions found where the coordinates probed found nothing."""
    return [
        f"{name}: relative error {error:.2e} against the numerical gradient along "
        f"{DIRECTIONS} random directions (allowed {GRADIENT_TOLERANCE:.0e}; the "
        f"{MAX_COORDINATES} coordinates probed one by one agree)"
        for name, error in errors.items()
        if error > GRADIENT_TOLERANCE
    ]


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
        same_shape = None if analytic is None else aligned(analytic, expected_shape)
        if same_shape is None:
            shape = "not an array" if analytic is None else f"shape {analytic.shape}"
            problems.append(f"{name}: expected shape {expected_shape}, got {shape}")
            continue
        analytic = same_shape
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
