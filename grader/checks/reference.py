"""matches_reference: outputs (and written-back state) equal the hidden reference's."""

from __future__ import annotations

from grader.assignments.spec import CheckSpec, FunctionSpec
from grader.checks.compare import compare_outputs
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.describe import describe_case
from grader.checks.mistakes import identify_mistake, record_failure_paths


def case_range(spec: CheckSpec) -> tuple[int, int | None]:
    start, stop = spec.options.get("cases", (0, None))
    return start, stop


def describe(spec: CheckSpec, function: FunctionSpec) -> str:
    if "label" in spec.options:
        return f"matches the reference {spec.options['label']}"
    start, stop = case_range(spec)
    return "matches the reference" + ("" if start == 0 else " on further inputs")


def matches_reference(ctx: CheckContext, spec: CheckSpec) -> Outcome:
    start, stop = case_range(spec)
    cases = ctx.cases(stop)[start:]
    if not cases:
        raise ValueError(f"spec error: no inputs for {ctx.function.name} in cases {start}:{stop}")
    for number, case in enumerate(cases, start + 1):
        expected = ctx.expected(case)
        record_failure_paths(ctx, case)
        where = f"On input {number}: {describe_case(case, ctx.arg_names)}"
        try:
            got = ctx.got(case)
        except STUDENT_FAILURES as error:
            return Outcome(False, f"{where}\n{explain_failure(ctx.function.name, error)}")
        problems = compare_outputs(got, expected, ctx.function.tolerance)
        if problems:
            lines = [where, *problems]
            if mistake := identify_mistake(ctx, case, got):
                lines.append(mistake)
            return Outcome(False, "\n".join(lines))
    return Outcome(True, f"{len(cases)} inputs checked")
