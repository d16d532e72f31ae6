"""keeps_inputs_unchanged: every argument is the same after the call as before it.

Dict arguments may gain or change only the keys the spec says the function writes back
(batchnorm's running statistics).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from grader.assignments.spec import Case, CaseGenerator, Check, FunctionSpec
from grader.checks.compare import format_index, format_number
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.describe import describe_case
from grader.checks.procedures import forward_cache


def difference(name: str, before: object, after: object, writable: set[str]) -> str | None:
    """How `after` differs from `before`, or None when they are the same."""
    if isinstance(before, np.ndarray | np.generic):
        before = np.asarray(before)
        if not isinstance(after, np.ndarray | np.generic) or np.shape(after) != before.shape:
            return f"{name} was replaced or reshaped"
        if np.array_equal(before, after, equal_nan=True):
            return None
        index = tuple(int(i) for i in np.argwhere(~((before == after) | np.isnan(before)))[0])
        return (
            f"{format_index(name, index)} was {format_number(before[index])} before the "
            f"call and {format_number(after[index])} after it"
        )
    if isinstance(before, dict):
        if not isinstance(after, dict):
            return f"{name} was replaced"
        for key, value in before.items():
            if key in writable:
                continue
            if key not in after:
                return f"{name}[{key!r}] was removed"
            if problem := difference(f"{name}[{key!r}]", value, after[key], set()):
                return problem
        return None
    if isinstance(before, list | tuple):
        if not isinstance(after, list | tuple) or len(after) != len(before):
            return f"{name} was replaced"
        for i, (item, item_after) in enumerate(zip(before, after, strict=True)):
            if problem := difference(f"{name}[{i}]", item, item_after, set()):
                return problem
        return None
    if isinstance(after, np.ndarray) or type(before) is not type(after) or before != after:
        return f"{name} changed from {before!r} to {after!r}"
    return None


@dataclass(frozen=True)
class KeepsInputsUnchanged(Check):
    """On the first `cases` inputs (the check's own `inputs`, else the function's)."""

    kind: ClassVar[str] = "keeps_inputs_unchanged"
    cases: int = 2
    inputs: CaseGenerator | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        self.require(isinstance(self.cases, int) and self.cases >= 1, f"cases={self.cases!r}")

    def describe(self, function: FunctionSpec) -> str:
        return "does not modify its inputs in place"

    def run(self, ctx: CheckContext) -> Outcome:
        for number, case in enumerate(ctx.cases(self.cases, self.inputs), 1):
            try:
                args, after_args = call_keeping_arguments(ctx, case)
            except STUDENT_FAILURES as error:
                failure = explain_failure(ctx.function.name, error)
                return Outcome(False, f"On input {number}: {failure}")
            if problem := changed_argument(ctx, args, after_args):
                where = describe_case(case, ctx.arg_names)
                return Outcome(False, f"On input {number}: {where}\n{problem}")
        return Outcome(True)


def call_keeping_arguments(ctx: CheckContext, case: Case) -> tuple[tuple, tuple]:
    """The arguments the student's function got (a backward: dout and its forward's cache)
    and what they were after the call."""
    if ctx.function.kind == "backward":
        args = (case.dout, forward_cache(ctx.forward, ctx.student, case))
    else:
        args = case.args
    keep = (1,) if ctx.function.kind == "forward" else ()
    reply = ctx.student.call(ctx.function.name, args, case.kwargs, keep=keep, return_args=True)
    after_args, _ = reply.args_after
    return args, after_args


def changed_argument(ctx: CheckContext, args: tuple, after_args: tuple) -> str | None:
    """The feedback for the first argument the call modified that it may not, if any."""
    names = ("dout", "cache") if ctx.function.kind == "backward" else ctx.arg_names
    writable = {key for _, key in ctx.function.state}
    for index, (name, before, after) in enumerate(zip(names, args, after_args, strict=False)):
        if index in ctx.function.mutable_args:
            continue
        if problem := difference(name, before, after, writable):
            return (
                f"{ctx.function.name} modified its argument {name} in place: {problem}. "
                "Work on a copy (e.g. x.copy()) instead."
            )
    return None
