"""returns_well_formed: every returned value has the reference's shape, is float64 and is
finite wherever the reference's is. The one check that charges a shape differing only in
axes of size 1 (every value check accepts it: grader.checks.compare.aligned)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from grader.assignments.spec import CaseGenerator, Check, FunctionSpec
from grader.checks.compare import describe_shape, shape_problem
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.describe import describe_case
from grader.checks.procedures import as_array


def problem_with(name: str, got: object, expected: object) -> str | None:
    expected_array = as_array(expected)
    got_array = as_array(got)
    if got_array is None:
        return f"{name} should be a float64 array or number, got {describe_shape(got)}"
    if isinstance(got, np.ndarray) and got.dtype != np.float64:
        return f"{name} has dtype {got.dtype}; return float64"
    if problem := shape_problem(name, got_array, expected_array.shape):
        return problem
    bad = np.isfinite(expected_array) & ~np.isfinite(got_array)
    if bad.any():
        return f"{name} contains inf or nan where finite values are expected"
    return None


@dataclass(frozen=True)
class ReturnsWellFormed(Check):
    """On the first `cases` inputs (the check's own `inputs`, else the function's)."""

    kind: ClassVar[str] = "returns_well_formed"
    cases: int = 2
    inputs: CaseGenerator | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        self.require(
            isinstance(self.cases, int) and self.cases >= 1,
            f"cases={self.cases!r} (a count of inputs)",
        )

    def describe(self, function: FunctionSpec) -> str:
        return "returns float64 values of the right shapes"

    def run(self, ctx: CheckContext) -> Outcome:
        for number, case in enumerate(ctx.cases(self.cases, self.inputs), 1):
            expected = ctx.expected(case)
            try:
                got = ctx.got(case)
            except STUDENT_FAILURES as error:
                failure = explain_failure(ctx.function.name, error)
                return Outcome(False, f"On input {number}: {failure}")
            for name, value in expected.items():
                if problem := problem_with(name, got.get(name), value):
                    where = describe_case(case, ctx.arg_names)
                    return Outcome(False, f"On input {number}: {where}\n{problem}")
        return Outcome(True)
