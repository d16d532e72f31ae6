"""Naming a known mistake: rerun the failing case with each registered variant of the
reference and see whether the student's outputs are exactly what that variant gives."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator

import numpy as np

from grader.assignments.spec import Case
from grader.checks.compare import compare_value
from grader.checks.context import CheckContext
from grader.checks.implementations import Implementation
from grader.checks.procedures import run
from grader.checks.recording import Variant


@contextlib.contextmanager
def quietly() -> Iterator[None]:
    """Mistake variants overflow and divide by zero on purpose: silence numpy about it."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


def variants(ctx: CheckContext) -> list[tuple[Variant, Implementation]]:
    """Each registered mistake of the checked function, with the reference it makes."""
    return ctx.source.variants(ctx.assignment.reference_module, ctx.function.name)


def record_failure_paths(ctx: CheckContext, case: Case) -> None:
    """While a kit is recorded (with the reference as the student, which passes): what
    identify_mistake would ask on this case, had the student failed here."""
    if not ctx.source.recording:
        return
    ctx.expected(case)
    for _, variant in variants(ctx):
        with contextlib.suppress(Exception), quietly():
            run(ctx.function, variant, case, ctx.arg_names, ctx.forward)


def identify_mistake(ctx: CheckContext, case: Case, got: dict[str, object]) -> str | None:
    """Name the known mistake that reproduces `got`: exactly (every output the student got
    wrong equals the variant's), else likely (at least one wrong output does)."""
    reference = ctx.expected(case)
    tolerance = ctx.function.tolerance
    wrong = {
        name for name in reference if compare_value(name, got.get(name), reference[name], tolerance)
    }
    likely = None
    for mistake, variant in variants(ctx):
        try:
            with quietly():
                expected = run(ctx.function, variant, case, ctx.arg_names, ctx.forward)
        except Exception:  # noqa: BLE001 - a variant that cannot run on this case explains nothing
            continue
        explained = {
            name
            for name in wrong
            if name in expected
            and not compare_value(name, got.get(name), expected[name], tolerance)
        }
        if wrong and explained == wrong:
            return f"Known mistake ({mistake.key}): {mistake.description}"
        if explained and likely is None:
            names = ", ".join(sorted(explained))
            likely = (
                f"Likely mistake ({mistake.key}): {mistake.description} "
                f"(your {names} matches this mistake)"
            )
    return likely
