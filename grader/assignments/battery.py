"""Standard batteries of checks, so a spec entry states only what is special about a
function. Points are split across the checks in fixed shares."""

from __future__ import annotations

from grader.assignments.spec import CheckSpec, Visibility

WELL_FORMED, VISIBLE_REFERENCE, HIDDEN_REFERENCE, UNCHANGED = 0.15, 0.35, 0.3, 0.2
GRADIENT = 0.35


def _share(points: float, fraction: float) -> float:
    return round(points * fraction, 2)


def forward_checks(points: float, visible_cases: int = 1) -> tuple[CheckSpec, ...]:
    """A forward pass (or any function compared with the reference)."""
    return (
        CheckSpec("returns_well_formed", _share(points, WELL_FORMED)),
        CheckSpec(
            "matches_reference",
            _share(points, VISIBLE_REFERENCE),
            options={"cases": (0, visible_cases)},
        ),
        CheckSpec(
            "matches_reference",
            _share(points, HIDDEN_REFERENCE),
            "hidden",
            {"cases": (visible_cases, None)},
        ),
        CheckSpec("keeps_inputs_unchanged", _share(points, UNCHANGED)),
    )


def backward_checks(points: float) -> tuple[CheckSpec, ...]:
    """A backward pass: numerical gradient (visible) and the reference (hidden)."""
    return (
        CheckSpec("returns_well_formed", _share(points, 0.1)),
        CheckSpec("gradient_matches_numeric", _share(points, GRADIENT), options={"cases": 2}),
        CheckSpec(
            "matches_reference",
            _share(points, 0.35),
            "hidden",
            {"cases": (0, None), "label": "on all inputs"},
        ),
        CheckSpec("keeps_inputs_unchanged", _share(points, 0.2)),
    )


def loss_checks(points: float) -> tuple[CheckSpec, ...]:
    """A function returning (loss, gradient): reference values and a gradient check."""
    return (
        CheckSpec("returns_well_formed", _share(points, 0.1)),
        CheckSpec("matches_reference", _share(points, 0.25), options={"cases": (0, 1)}),
        CheckSpec("matches_reference", _share(points, 0.2), "hidden", {"cases": (1, None)}),
        CheckSpec("gradient_matches_numeric", _share(points, 0.3), options={"cases": 2}),
        CheckSpec("keeps_inputs_unchanged", _share(points, 0.15)),
    )


def property_check(prop: object, points: float, visibility: Visibility = "visible") -> CheckSpec:
    return CheckSpec("satisfies_property", points, visibility, {"property": prop})
