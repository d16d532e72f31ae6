"""Naming a known mistake: rerun the failing case with each registered variant of the
reference and see whether the student's outputs are exactly what that variant gives."""

from __future__ import annotations

import warnings

import numpy as np

from grader.assignments.spec import Case
from grader.checks.compare import outputs_match
from grader.checks.context import CheckContext
from grader.checks.implementations import ReferenceImplementation
from grader.checks.procedures import run
from reference.mistakes import mistakes_for


def identify_mistake(ctx: CheckContext, case: Case, got: dict[str, object]) -> str | None:
    """The description of the first known mistake that reproduces `got`, if any."""
    module = ctx.assignment.reference_module.rsplit(".", 1)[-1]
    for mistake in mistakes_for(module):
        if mistake.target != ctx.function.name:
            continue
        variant = ReferenceImplementation(ctx.assignment.reference_module, mistake.overrides)
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                expected = run(ctx.function, variant, case, ctx.arg_names, ctx.forward)
        except Exception:  # noqa: BLE001 - a variant that cannot run on this case explains nothing
            continue
        if outputs_match(got, expected):
            return f"Known mistake ({mistake.key}): {mistake.description}"
    return None
