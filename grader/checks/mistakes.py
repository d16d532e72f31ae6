"""The known-mistake matcher: when a student's code fails a check, rerun the check's
evidence with each registered variant of the reference and name the mistake whose
behaviour is the student's. Every check that names mistakes goes through `name_mistake`,
so the order of preference and the wording of the verdict are the same everywhere; a check
supplies only how a variant behaves on its evidence and how that compares with the
student's (`Match`)."""

from __future__ import annotations

import contextlib
import re
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from grader.assignments.spec import Case
from grader.checks.compare import compare_value, relative_error
from grader.checks.context import STUDENT_FAILURES, CheckContext
from grader.checks.implementations import Implementation
from grader.checks.procedures import as_array, run
from grader.checks.recording import Variant

Behaviour = TypeVar("Behaviour")


@dataclass(frozen=True)
class Match:
    """How a variant's behaviour compares with the student's: `exact` (it reproduces all
    that the student got wrong) or likely (some of it), with words on what matched."""

    exact: bool
    detail: str = ""


@contextlib.contextmanager
def quietly() -> Iterator[None]:
    """Mistake variants overflow and divide by zero on purpose: silence numpy about it."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


def _variants(ctx: CheckContext) -> list[tuple[Variant, Implementation]]:
    """Each registered mistake of the checked function, with the reference it makes."""
    return ctx.source.variants(ctx.assignment.reference_module, ctx.function.name)


def name_mistake(
    ctx: CheckContext,
    behaviour: Callable[[Variant, Implementation], Behaviour],
    compare: Callable[[Behaviour], Match | None],
) -> str | None:
    """The verdict on the student's failure: the registered variant that matches exactly,
    else the first that matches likely; None when none does. Two variants that both match
    exactly are two explanations the evidence cannot tell apart: no name (another check's
    evidence may). A variant that cannot run on the evidence explains nothing."""
    exact, likely = [], []
    for mistake, variant in _variants(ctx):
        try:
            with quietly():
                match = compare(behaviour(mistake, variant))
        except Exception:  # noqa: BLE001 - a variant that cannot run here explains nothing
            continue
        if match is not None:
            (exact if match.exact else likely).append(verdict(mistake, match))
    if exact:
        return exact[0] if len(set(exact)) == 1 else None
    return likely[0] if likely else None


# How a feedback names a mistake (`verdict`'s words), read back by what counts them.
NAMED = re.compile(r"(?:Known|Likely) mistake \(([^)]+)\)")


def named_mistakes(feedback: str) -> list[str]:
    """The keys of the mistakes a check's feedback names, in order."""
    return NAMED.findall(feedback)


def verdict(mistake: Variant, match: Match) -> str:
    """The one wording of a named mistake."""
    if match.exact:
        return f"Known mistake ({mistake.key}): {mistake.description}"
    detail = f" ({match.detail})" if match.detail else ""
    return f"Likely mistake ({mistake.key}): {mistake.description}{detail}"


def record_variants(
    ctx: CheckContext, behaviour: Callable[[Variant, Implementation], object]
) -> None:
    """While a kit is recorded (the reference as the student, which passes): every
    variant's behaviour on this evidence, which `name_mistake` would ask for had the
    student failed here. Nothing otherwise."""
    if not ctx.source.recording:
        return
    for mistake, variant in _variants(ctx):
        with contextlib.suppress(Exception), quietly():
            behaviour(mistake, variant)


# --- the outputs of one case (matches_reference, gradient_matches_numeric) ----------------


def _outputs(ctx: CheckContext, case: Case) -> Callable[[Variant, Implementation], dict]:
    return lambda _, variant: run(ctx.function, variant, case, ctx.arg_names, ctx.forward)


def record_failure_paths(ctx: CheckContext, case: Case) -> None:
    """While a kit is recorded: what identify_mistake would ask on this case."""
    if ctx.source.recording:
        ctx.expected(case)
        record_variants(ctx, _outputs(ctx, case))


@dataclass(frozen=True)
class Agreement:
    """Whether a variant's value reproduces the student's, and on what evidence."""

    agrees: bool
    on_finite_values: bool


def reproduces(got: object, produced: object, tolerance: float) -> Agreement:
    """Does `produced` (a variant's value) reproduce `got` (the student's)? The same shape,
    the same non-finite entries (nan where nan, +inf where +inf, -inf where -inf) and finite
    entries within the tolerance. `on_finite_values` says whether there was any finite entry
    to agree on: equal non-finite patterns alone are no evidence of a mistake (an inf loss
    from log(0) and a nan loss from overflow tell nothing about each other)."""
    got_array, produced_array = as_array(got), as_array(produced)
    if got_array is None or produced_array is None or got_array.shape != produced_array.shape:
        return Agreement(False, False)
    finite = np.isfinite(got_array)
    same_pattern = np.array_equal(finite, np.isfinite(produced_array)) and np.array_equal(
        got_array[~finite], produced_array[~finite], equal_nan=True
    )
    if not same_pattern or not finite.any():
        return Agreement(same_pattern, False)
    close = relative_error(got_array[finite], produced_array[finite]) <= tolerance
    return Agreement(close, close)


def identify_mistake(ctx: CheckContext, case: Case, got: dict[str, object]) -> str | None:
    """Name the known mistake that reproduces `got`: exactly (the variant's outputs are the
    student's, the wrong ones and the right ones alike), else likely (at least one wrong
    output is the variant's). Either way the variant must agree with some finite value the
    student got wrong (`reproduces`)."""
    reference = ctx.expected(case)
    tolerance = ctx.function.tolerance
    wrong = {
        name for name in reference if compare_value(name, got.get(name), reference[name], tolerance)
    }

    return name_mistake(
        ctx, _outputs(ctx, case), lambda theirs: outputs_match(got, theirs, wrong, tolerance)
    )


def outputs_match(
    got: Mapping[str, object], theirs: Mapping[str, object], wrong: set[str], tolerance: float
) -> Match | None:
    """How a variant's named outputs (`theirs`) compare with the student's (`got`): exact
    when it reproduces every output, those the student got `wrong` and the right ones alike;
    likely when it reproduces some of the wrong ones; None unless it agrees with some finite
    value the student got wrong (`reproduces`)."""
    agreements = {
        name: reproduces(got.get(name), theirs[name], tolerance)
        for name in theirs
        if name in got or name in wrong
    }
    explained = {name for name in wrong if name in agreements and agreements[name].agrees}
    evidence = {name for name in explained if agreements[name].on_finite_values}
    if not evidence:
        return None
    if explained == wrong and all(agreement.agrees for agreement in agreements.values()):
        return Match(exact=True)
    return Match(exact=False, detail=f"your {', '.join(sorted(evidence))} matches this mistake")


def identify_on_evidence(ctx: CheckContext, cases: list[Case]) -> str | None:
    """Name the known mistake behind a failure that a check saw only indirectly (a property
    on random examples): the first fixed evidence case on which a variant reproduces what
    the student's function returns there (`identify_mistake`)."""
    for case in cases:
        try:
            got = ctx.got(case)
        except STUDENT_FAILURES:
            continue
        if mistake := identify_mistake(ctx, case, got):
            return mistake
    return None
