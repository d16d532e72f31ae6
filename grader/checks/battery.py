"""Standard batteries of checks, so a spec entry states only what is special about a
function. A battery's points are split across its checks by fixed weights (percent).
It lives with the checks it composes (the spec core cannot import them)."""

from __future__ import annotations

from grader.assignments.spec import Check, split_points
from grader.checks.gradient import GradientMatchesNumeric
from grader.checks.mutation import KeepsInputsUnchanged
from grader.checks.reference import MatchesReference
from grader.checks.wellformed import ReturnsWellFormed

FORWARD_WEIGHTS = (15, 35, 30, 20)  # well-formed, visible reference, hidden reference, unchanged
BACKWARD_WEIGHTS = (10, 35, 35, 20)  # well-formed, numerical gradient, reference, unchanged
LOSS_WEIGHTS = (10, 25, 20, 30, 15)  # well-formed, reference, hidden, gradient, unchanged


def forward_checks(points: float, visible_cases: int = 1) -> tuple[Check, ...]:
    """A forward pass (or any function compared with the reference)."""
    well_formed, visible, hidden, unchanged = split_points(points, FORWARD_WEIGHTS)
    return (
        ReturnsWellFormed(well_formed),
        MatchesReference(visible, case_range=(0, visible_cases)),
        MatchesReference(hidden, case_range=(visible_cases, None), visibility="hidden"),
        KeepsInputsUnchanged(unchanged),
    )


def backward_checks(points: float) -> tuple[Check, ...]:
    """A backward pass: numerical gradient (visible) and the reference (hidden)."""
    well_formed, gradient, reference, unchanged = split_points(points, BACKWARD_WEIGHTS)
    return (
        ReturnsWellFormed(well_formed),
        GradientMatchesNumeric(gradient, cases=2),
        MatchesReference(reference, label="on all inputs", visibility="hidden"),
        KeepsInputsUnchanged(unchanged),
    )


def loss_checks(points: float) -> tuple[Check, ...]:
    """A function returning (loss, gradient): reference values and a gradient check."""
    well_formed, visible, hidden, gradient, unchanged = split_points(points, LOSS_WEIGHTS)
    return (
        ReturnsWellFormed(well_formed),
        MatchesReference(visible, case_range=(0, 1)),
        MatchesReference(hidden, case_range=(1, None), visibility="hidden"),
        GradientMatchesNumeric(gradient, cases=2),
        KeepsInputsUnchanged(unchanged),
    )
