"""The declarative vocabulary of an assignment: functions, their inputs, checks and points.

An instructor adds a function by writing its reference and one `FunctionSpec` entry; the
engine and the checks never need to change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, get_args

import numpy as np

from grader import tolerances

Visibility = Literal["visible", "hidden", "after_due_date", "after_published"]
CallKind = Literal["forward", "backward", "plain"]


@dataclass(frozen=True)
class Case:
    """One set of arguments for a student function (plus dout for a backward)."""

    args: tuple
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    dout: np.ndarray | None = None
    note: str = ""


CaseGenerator = Callable[[np.random.Generator], list[Case]]

POINT_STEP = 0.05  # the finest share of points: every score then prints as a short decimal
STEPS_PER_POINT = 20


def point_steps(points: float) -> int:
    """`points` as a whole number of 0.05 steps. A share like 2/9 of a point (printed
    0.222222, adding up to 2.11111) is refused, so that no spec can carry one."""
    steps = round(points * STEPS_PER_POINT)
    if abs(steps - points * STEPS_PER_POINT) > 1e-6:
        raise ValueError(f"{points!r} points is not a multiple of {POINT_STEP}")
    return steps


def add_points(points: Iterable[float]) -> float:
    """The sum of check points counted in 0.05 steps, so a total carries no float drift
    (0.3 + 1.05 + 1.05 + 0.6 is 3, not 3.0000000000000004)."""
    return sum(point_steps(value) for value in points) / STEPS_PER_POINT


def split_points(points: float, weights: Sequence[int]) -> tuple[float, ...]:
    """`points` shared out over checks in proportion to `weights`: each share a multiple of
    0.05, together exactly `points`. Every share is rounded down first; the steps left over
    go to the largest remainders, the earlier check first on a tie, so a spec always gets
    the same split."""
    if not weights or min(weights) < 0 or sum(weights) == 0:
        raise ValueError(f"weights must be non-negative and not all zero: {weights!r}")
    steps, total = point_steps(points), sum(weights)
    shares = [steps * weight // total for weight in weights]
    remainders = [steps * weight % total for weight in weights]
    by_remainder = sorted(range(len(weights)), key=lambda i: -remainders[i])
    for index in by_remainder[: steps - sum(shares)]:
        shares[index] += 1
    return tuple(share / STEPS_PER_POINT for share in shares)


@dataclass(frozen=True)
class Check:
    """One check of a function, as a spec declares it. Each kind is a frozen subclass in
    `grader.checks` whose options are typed fields, so that a misspelt or missing option is
    an error when the spec loads rather than a default taken silently when the check runs.

    `kind` names the check in reports, JSON tags and kit scopes. `kit`: it can run in a
    student kit from the reference's recorded answers; checks that need the reference on
    what the student's code produced (training with blame, timing) run only where the
    course pack is. `visibility` is keyword-only, so that a subclass's own required fields
    follow `points` positionally.
    """

    kind: ClassVar[str]
    kit: ClassVar[bool] = True
    points: float
    visibility: Visibility = field(default="visible", kw_only=True)

    def __post_init__(self) -> None:
        self.require(self.visibility in get_args(Visibility), f"visibility {self.visibility!r}")

    def require(self, valid: bool, option: str) -> None:
        """Refuse an option value when the spec loads (from `__post_init__`), naming the
        check, rather than let the check fail or misbehave when it runs."""
        if not valid:
            raise ValueError(f"{self.kind}: invalid option {option}")

    def run(self, ctx: Any) -> Any:
        """Grade one function: a `grader.checks.context.CheckContext` in, an `Outcome` out
        (the core cannot import the checks' types, which build on it)."""
        raise NotImplementedError(f"{type(self).__name__} does not run")

    def describe(self, function: FunctionSpec) -> str:
        """What the check verifies, as reports and `grader list` show it."""
        raise NotImplementedError(f"{type(self).__name__} has no description")

    def calls(self) -> frozenset[str]:
        """The student functions it calls besides the graded function, its forward and what
        the function `uses`: the pieces of a network it assembles."""
        return frozenset()


@dataclass(frozen=True)
class FunctionSpec:
    """How to call one student function and which checks it gets.

    kind: "forward" returns (out, cache); "backward" takes (dout, cache) from `forward`;
    "plain" returns `returns` directly. `state` names (argument index, key) pairs a
    forward writes back into a dict argument (batchnorm's running statistics).
    `gradient_of` maps each gradient the function returns to the argument index it is the
    derivative for (of the forward, or of this function's scalar first output).
    `dict_outputs` names, for a returned dict (an optimizer's config), the keys that are
    compared (its state); `mutable_args` are argument indices the function may update in
    place (an optimizer's w and config). `tolerance` is the norm-wise relative error
    allowed against the reference. `uses` names the other student functions its checks call
    that neither `forward` nor the assignment's `pieces` say (a timed workload built from
    them), so that `AssignmentSpec.calls` knows every student function a grading reaches.
    """

    name: str
    module: str
    kind: CallKind
    checks: tuple[Check, ...]
    cases: CaseGenerator | None = None
    forward: str | None = None
    returns: tuple[str, ...] = ("out",)
    state: tuple[tuple[int, str], ...] = ()
    gradient_of: Mapping[str, int] = field(default_factory=dict)
    dict_outputs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    mutable_args: tuple[int, ...] = ()
    tolerance: float = tolerances.REFERENCE
    uses: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Refuse, when the spec loads, a check whose points would print with artifacts."""
        for check in self.checks:
            try:
                point_steps(check.points)
            except ValueError as error:
                raise ValueError(f"{self.name}, check {check.kind}: {error}") from None

    @property
    def points(self) -> float:
        return add_points(check.points for check in self.checks)


@dataclass(frozen=True)
class AssignmentSpec:
    id: str
    title: str
    reference_module: str
    functions: tuple[FunctionSpec, ...]
    pieces: Mapping[str, str] = field(default_factory=dict)  # other student functions used
    reference_worker: tuple[str, ...] = ()  # reference modules run in a worker of their own
    requirements: tuple[str, ...] = ()  # what a student kit installs beyond the engine's needs
    # libraries every submission imports, loaded by the worker as it starts so that their
    # import time (seconds for torch) is never charged to the student's first call
    preload: tuple[str, ...] = ()

    def function(self, name: str) -> FunctionSpec:
        for spec in self.functions:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def calls(self, name: str) -> frozenset[str]:
        """The student functions that grading `name` calls: itself, its forward (a backward
        gets its cache from it), what it `uses`, and what its checks call (`Check.calls`: the
        pieces of the networks they assemble). Its points depend on no other student code,
        except what these call in turn."""
        function = self.function(name)
        forward = (function.forward,) if function.forward else ()
        called = (check.calls() for check in function.checks)
        return frozenset({name, *forward, *function.uses}).union(*called)

    @property
    def points(self) -> float:
        return add_points(function.points for function in self.functions)

    @property
    def student_modules(self) -> dict[str, str]:
        """Each student function a grading reaches (graded, or a piece of a network) -> the
        module the assignment expects it in."""
        return {**self.pieces, **{spec.name: spec.module for spec in self.functions}}

    @property
    def modules(self) -> tuple[str, ...]:
        used = [spec.module for spec in self.functions] + list(self.pieces.values())
        return tuple(dict.fromkeys(used))
