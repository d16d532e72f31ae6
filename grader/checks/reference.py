"""matches_reference: outputs (and written-back state) equal the hidden reference's.

A backward runs on its own forward's cache; where that forward is wrong, the backward also
passes as the exact derivative of it (gradient.derivative_of_own_forward), so that the
forward's mistake is charged on the forward only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from grader.assignments.spec import CaseGenerator, Check, FunctionSpec
from grader.checks.compare import compare_outputs
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.describe import describe_case
from grader.checks.gradient import derivative_of_own_forward
from grader.checks.mistakes import identify_mistake, record_failure_paths


@dataclass(frozen=True)
class MatchesReference(Check):
    """On inputs `case_range` = (start, stop) of the check's own `inputs`, else the
    function's (stop None: to the end); `label` words the description."""

    kind: ClassVar[str] = "matches_reference"
    case_range: tuple[int, int | None] = (0, None)
    label: str = ""
    inputs: CaseGenerator | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        self.require(valid_range(self.case_range), f"case_range={self.case_range!r}")

    def describe(self, function: FunctionSpec) -> str:
        if self.label:
            return f"matches the reference {self.label}"
        return "matches the reference" + ("" if self.case_range[0] == 0 else " on further inputs")

    def run(self, ctx: CheckContext) -> Outcome:
        start, stop = self.case_range
        cases = ctx.cases(stop, self.inputs)[start:]
        if not cases:
            raise ValueError(
                f"spec error: no inputs for {ctx.function.name} in cases {start}:{stop}"
            )
        own_forward = []
        for number, case in enumerate(cases, start + 1):
            expected = ctx.expected(case)
            record_failure_paths(ctx, case)
            where = f"On input {number}: {describe_case(case, ctx.arg_names)}"
            try:
                got = ctx.got(case)
            except STUDENT_FAILURES as error:
                return Outcome(False, f"{where}\n{explain_failure(ctx.function.name, error)}")
            problems = compare_outputs(got, expected, ctx.function.tolerance)
            if problems and derivative_of_own_forward(ctx, case, got):
                own_forward.append(number)
                continue
            if problems:
                lines = [where, *problems]
                if mistake := identify_mistake(ctx, case, got):
                    lines.append(mistake)
                return Outcome(False, "\n".join(lines))
        return Outcome(True, f"{len(cases)} inputs checked" + own_forward_note(ctx, own_forward))


def own_forward_note(ctx: CheckContext, numbers: list[int]) -> str:
    if not numbers:
        return ""
    listed = ", ".join(str(number) for number in numbers)
    return (
        f"; on input {listed} your {ctx.function.forward} is wrong, and your gradients "
        f"are its exact derivative"
    )


def valid_range(case_range: object) -> bool:
    """(start, stop) with 0 <= start < stop, or stop None for all inputs from start."""
    if not isinstance(case_range, tuple) or len(case_range) != 2:
        return False
    start, stop = case_range
    if not isinstance(start, int) or start < 0:
        return False
    return stop is None or (isinstance(stop, int) and stop > start)
