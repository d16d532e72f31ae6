"""Standard batteries of checks, so a spec entry states only what is special about a
function. A battery's points are split across its checks by fixed weights (percent)."""

from __future__ import annotations

from grader.assignments.spec import CheckSpec, Visibility, split_points

FORWARD_WEIGHTS = (15, 35, 30, 20)  # well-formed, visible reference, hidden reference, unchanged
BACKWARD_WEIGHTS = (10, 35, 35, 20)  # well-formed, numerical gradient, reference, unchanged
LOSS_WEIGHTS = (10, 25, 20, 30, 15)  # well-formed, reference, hidden, gradient, unchanged


def forward_checks(points: float, visible_cases: int = 1) -> tuple[CheckSpec, ...]:
    """A forward pass (or any function compared with the reference)."""
    well_formed, visible, hidden, unchanged = split_points(points, FORWARD_WEIGHTS)
    return (
        CheckSpec("returns_well_formed", well_formed),
        CheckSpec("matches_reference", visible, options={"cases": (0, visible_cases)}),
        CheckSpec("matches_reference", hidden, "hidden", {"cases": (visible_cases, None)}),
        CheckSpec("keeps_inputs_unchanged", unchanged),
    )


def backward_checks(points: float) -> tuple[CheckSpec, ...]:
    """A backward pass: numerical gradient (visible) and the reference (hidden)."""
    well_formed, gradient, reference, unchanged = split_points(points, BACKWARD_WEIGHTS)
    return (
        CheckSpec("returns_well_formed", well_formed),
        CheckSpec("gradient_matches_numeric", gradient, options={"cases": 2}),
        CheckSpec(
            "matches_reference",
            reference,
            "hidden",
            {"cases": (0, None), "label": "on all inputs"},
        ),
        CheckSpec("keeps_inputs_unchanged", unchanged),
    )


def loss_checks(points: float) -> tuple[CheckSpec, ...]:
    """A function returning (loss, gradient): reference values and a gradient check."""
    well_formed, visible, hidden, gradient, unchanged = split_points(points, LOSS_WEIGHTS)
    return (
        CheckSpec("returns_well_formed", well_formed),
        CheckSpec("matches_reference", visible, options={"cases": (0, 1)}),
        CheckSpec("matches_reference", hidden, "hidden", {"cases": (1, None)}),
        CheckSpec("gradient_matches_numeric", gradient, options={"cases": 2}),
        CheckSpec("keeps_inputs_unchanged", unchanged),
    )


def property_check(prop: object, points: float, visibility: Visibility = "visible") -> CheckSpec:
    return CheckSpec("satisfies_property", points, visibility, {"property": prop})
