"""The battery of named checks that assignment specs compose.

Each check takes a `CheckContext` and its `CheckSpec` and returns an `Outcome`; it knows
nothing of any particular assignment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from grader.assignments.spec import CheckSpec, FunctionSpec
from grader.checks import gradient, mutation, properties, reference, wellformed
from grader.checks.context import CheckContext, Outcome


@dataclass(frozen=True)
class Check:
    kind: str
    run: Callable[[CheckContext, CheckSpec], Outcome]
    describe: Callable[[CheckSpec, FunctionSpec], str]


CHECKS: dict[str, Check] = {
    check.kind: check
    for check in (
        Check("returns_well_formed", wellformed.returns_well_formed, wellformed.describe),
        Check("matches_reference", reference.matches_reference, reference.describe),
        Check("gradient_matches_numeric", gradient.gradient_matches_numeric, gradient.describe),
        Check("keeps_inputs_unchanged", mutation.keeps_inputs_unchanged, mutation.describe),
        Check("satisfies_property", properties.satisfies_property, properties.describe),
    )
}
