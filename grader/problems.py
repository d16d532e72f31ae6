"""What went wrong with a submission as a whole, stated once at the top of its report: files
that failed as they were imported (`ModuleProblem`) and functions not implemented yet. The
checks these keep from grading then say so in one line instead of repeating the error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from grader.assignments.spec import FunctionSpec
from grader.checks.context import import_hint, not_graded
from grader.checks.implementations import StudentImplementation
from grader.notebooks import cell_line
from grader.report.model import CheckResult, ModuleProblem
from grader.sandbox.client import CallError
from grader.submission import Submission


def module_problems(
    failures: dict[str, tuple[CallError, ...]],
    submission: Submission,
    graded: list[str],
    module_of: Callable[[str], str],
) -> tuple[ModuleProblem, ...]:
    """The worker's import failures (`Worker.import_problems`) as the student knows the
    files; `graded` are the functions graded, `module_of` says where each one lives."""
    return tuple(
        problem
        for module, errors in failures.items()
        for error in errors
        for problem in [
            _problem(module, error, submission, [n for n in graded if module_of(n) == module])
        ]
    )


def _problem(
    module: str, error: CallError, submission: Submission, functions: list[str]
) -> ModuleProblem:
    """One failure of `module`, located as the student knows the file: a line of a module
    made from a notebook is a line of one of its cells."""
    file = f"{module}.py"
    shown = submission.origins[file].notebook if file in submission.origins else file
    failed_in, line, cell = error.file, error.line, 0
    origin = submission.origins.get(failed_in)
    if origin is not None and (where := cell_line(origin.source, line)):
        failed_in, (cell, line) = origin.notebook, where
    return ModuleProblem(
        file=shown,
        kind=error.kind,
        exception=error.type,
        message=submission.locate(error.message),
        failed_in="" if failed_in in (shown, file) else failed_in,
        line=line,
        cell=cell,
        code=error.code,
        hint=import_hint(error, shown, cell),
        functions=() if error.kind == "cell" else tuple(functions),
    )


def stubbed_functions(
    graded: list[FunctionSpec], student: StudentImplementation, problems: tuple[ModuleProblem, ...]
) -> dict[str, str]:
    """The graded functions that only ever answered as a stub does, each mapped to itself,
    and the backwards never called because their forward is such a one, mapped to that
    forward; functions a module problem left ungraded are accounted for there."""
    ungraded = {name for problem in problems for name in problem.functions}
    stubs = set(student.stubs())
    found = {spec.name: spec.name for spec in graded if spec.name in stubs}
    found.update(
        (spec.name, spec.forward)
        for spec in graded
        if spec.forward in stubs and spec.name not in student.answered
    )
    return {
        name: found[name]
        for name in (spec.name for spec in graded)
        if name in found and name not in ungraded
    }


def collapse(
    result: CheckResult, problems: tuple[ModuleProblem, ...], stubs: dict[str, str]
) -> CheckResult:
    """A failed check of a function that the report's top already accounts for says so in
    one line instead of repeating the same error in every check; `stubs` as
    `stubbed_functions` gives them."""
    if result.passed:
        return result
    ungraded = {name: problem for problem in problems for name in problem.functions}
    if result.function in ungraded:
        problem = ungraded[result.function]
        reason = (
            f"{problem.file} was not handed in"
            if problem.kind == "missing"
            else f"{problem.file} failed to import"
        )
    elif result.function in stubs:
        reason = f"{stubs[result.function]} is not implemented yet"
    else:
        return result
    return replace(result, feedback=not_graded(reason))
