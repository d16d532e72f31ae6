"""satisfies_property: a hypothesis property run in the grader, calling the student through
the worker. Deterministic (the grading seed, no example database, no constants read from
the process's own modules); on failure the feedback shows the smallest failing example
hypothesis found."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import ClassVar

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis import strategies as st
from hypothesis.internal.conjecture import providers

from grader.assignments.spec import Case, Check, FunctionSpec
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.describe import describe_value
from grader.checks.implementations import Implementation
from grader.checks.mistakes import identify_on_evidence, record_failure_paths


class PropertyViolation(AssertionError):
    """Raised by a property when the student's function breaks it; the message says how."""


@dataclass(frozen=True)
class Property:
    """`examples` draws a dict of named inputs; `holds` raises PropertyViolation."""

    description: str
    examples: Callable[[], st.SearchStrategy[Mapping[str, object]]]
    holds: Callable[[Implementation, Mapping[str, object]], None]
    max_examples: int = 20
    made_by: tuple = ()  # (module, factory, args) when a @property_factory made it
    evidence: Callable[[], list[Case]] | None = None
    """Fixed inputs of the checked function on which, when the property fails, its outputs
    are compared with the known mistakes' to name one (fixed, so that a kit records them)."""


def property_factory(factory: Callable[..., Property]) -> Callable[..., Property]:
    """Marks a function that makes a Property from plain arguments, so that a student kit
    can rebuild that property from the factory's module and the same arguments."""

    @functools.wraps(factory)
    def make(*args: object) -> Property:
        made = factory(*args)
        return dataclasses.replace(made, made_by=(factory.__module__, factory.__name__, args))

    return make


@contextlib.contextmanager
def own_constants_only() -> Iterator[None]:
    """Hypothesis draws some values from the literals of the "local" modules this process
    has imported (the engine's, the course pack's reference solutions), and caches those
    literals in .hypothesis/ in the working folder. A grading would then draw examples that
    depend on what its process imported before (a kit replayed where the engine is
    installed, not checked out, would ask for examples its recording never drew), and would
    leave reference literals beside it. Meanwhile hypothesis's fixed pool is all it has."""
    local = getattr(providers, "_get_local_constants", None)
    if local is None:  # a hypothesis without local constants
        yield
        return
    providers._get_local_constants = providers.Constants  # called without arguments: empty
    try:
        yield
    finally:
        providers._get_local_constants = local


@functools.cache
def examples_of(prop: Property) -> st.SearchStrategy[Mapping[str, object]]:
    """The property's strategy, built once per process: hypothesis validates a strategy
    the first time it draws from it, and the draws depend on the seed alone."""
    return prop.examples()


def search(prop: Property, seed_value: int, body: Callable[[Mapping[str, object]], None]) -> None:
    """Runs `body` on the examples hypothesis draws for `prop` from this seed; when one
    fails, hypothesis shrinks it and re-raises the smallest failure's error."""

    @settings(
        max_examples=prop.max_examples,
        database=None,
        deadline=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        report_multiple_bugs=False,
        print_blob=False,
        verbosity=Verbosity.quiet,
    )
    @seed(seed_value)
    @given(examples_of(prop))
    def run(example: Mapping[str, object]) -> None:
        body(example)

    with own_constants_only():
        run()


@functools.lru_cache(maxsize=256)
def examples_drawn(prop: Property, seed_value: int) -> tuple[Mapping[str, object], ...]:
    """What hypothesis draws, in order, when every example passes: while none fails, its
    draws depend on the property and the seed alone. Drawing costs more than calling the
    student, so a class graded with one seed draws them once."""
    drawn: list[Mapping[str, object]] = []
    search(prop, seed_value, lambda example: drawn.append(copy.deepcopy(example)))
    return tuple(drawn)


def holds_on_every_draw(prop: Property, ctx: CheckContext) -> bool:
    """The property holds on each example hypothesis would draw for a passing student. On
    the first that fails, or raises anything, hypothesis searches from the start, as if
    nothing had been replayed, and shrinks what it finds."""
    for example in examples_drawn(prop, ctx.seed):
        try:
            prop.holds(ctx.student, copy.deepcopy(example))
        except Exception:
            return False
    return True


@dataclass(frozen=True)
class SatisfiesProperty(Check):
    """`prop` holds for the student's function on every example hypothesis draws."""

    kind: ClassVar[str] = "satisfies_property"
    prop: Property

    def __post_init__(self) -> None:
        super().__post_init__()
        self.require(isinstance(self.prop, Property), f"prop={self.prop!r} (a Property)")

    def describe(self, function: FunctionSpec) -> str:
        return self.prop.description

    def run(self, ctx: CheckContext) -> Outcome:
        prop = self.prop
        failure: dict[str, object] = {}
        evidence = prop.evidence() if prop.evidence else []
        for case in evidence:
            record_failure_paths(ctx, case)
        if holds_on_every_draw(prop, ctx):
            return Outcome(True)

        def check(example: Mapping[str, object]) -> None:
            try:
                prop.holds(ctx.student, example)
            except PropertyViolation as violation:
                failure.update(example=example, why=str(violation))
                raise
            except STUDENT_FAILURES as error:
                failure.update(example=example, why=explain_failure(ctx.function.name, error))
                raise PropertyViolation(str(error)) from None

        try:
            search(prop, ctx.seed, check)
        except PropertyViolation:
            example = ", ".join(
                f"{name}={describe_value(value, full=True)}"
                for name, value in failure["example"].items()
            )
            lines = [f"Smallest failing example found: {example}", str(failure["why"])]
            if mistake := identify_on_evidence(ctx, evidence):
                lines.append(mistake)
            return Outcome(False, "\n".join(lines))
        return Outcome(True)
