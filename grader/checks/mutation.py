"""keeps_inputs_unchanged: every argument is the same after the call as before it.

Dict arguments may gain or change only the keys the spec says the function writes back
(batchnorm's running statistics).
"""

from __future__ import annotations

import numpy as np

from grader.assignments.spec import CheckSpec, FunctionSpec
from grader.checks.compare import format_index, format_number
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.describe import describe_case
from grader.checks.procedures import forward_cache


def describe(spec: CheckSpec, function: FunctionSpec) -> str:
    return "does not modify its inputs in place"


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


def keeps_inputs_unchanged(ctx: CheckContext, spec: CheckSpec) -> Outcome:
    names = ("dout", "cache") if ctx.function.kind == "backward" else ctx.arg_names
    writable = {key for _, key in ctx.function.state}
    for number, case in enumerate(ctx.cases(spec.options.get("cases", 2)), 1):
        try:
            if ctx.function.kind == "backward":
                args = (case.dout, forward_cache(ctx.forward, ctx.student, case))
            else:
                args = case.args
            keep = (1,) if ctx.function.kind == "forward" else ()
            reply = ctx.student.call(
                ctx.function.name, args, case.kwargs, keep=keep, return_args=True
            )
        except STUDENT_FAILURES as error:
            return Outcome(False, f"On input {number}: {explain_failure(ctx.function.name, error)}")
        after_args, _ = reply.args_after
        for index, (name, before, after) in enumerate(zip(names, args, after_args, strict=False)):
            if index in ctx.function.mutable_args:
                continue
            if problem := difference(name, before, after, writable):
                where = describe_case(case, ctx.arg_names)
                return Outcome(
                    False,
                    f"On input {number}: {where}\n{ctx.function.name} modified its argument "
                    f"{name} in place: {problem}. Work on a copy (e.g. x.copy()) instead.",
                )
    return Outcome(True)
