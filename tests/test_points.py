"""Points print cleanly: every check carries a multiple of 0.05, a function's shares add up
exactly to the points its spec states, and totals and reports show no float artifacts."""

from __future__ import annotations

import pytest

from grader.assignments import assignment_ids, load_assignment
from grader.assignments.spec import FunctionSpec, point_steps, split_points
from grader.checks import ReturnsWellFormed
from grader.checks.battery import backward_checks, forward_checks, loss_checks
from grader.report.model import CheckResult, Report, format_points

WEIGHTS = [
    (1,),
    (1, 2, 1, 1, 2, 1, 1),
    (15, 35, 30, 20),
    (10, 25, 20, 30, 15),
    (5, 3, 2),
    (1, 1, 1),
]
# today's totals, none of which the clean split changed
TOTALS = {"layers": 109.5, "optimizers": 39, "initializers": 26.6, "cifar": 20, "gpu": 27}


@pytest.mark.parametrize("weights", WEIGHTS)
def test_a_split_adds_up_exactly_in_steps_of_a_twentieth(weights: tuple[int, ...]) -> None:
    for steps in range(1, 401):
        points = steps / 20
        shares = split_points(points, weights)
        assert sum(point_steps(share) for share in shares) == steps
        for share, weight in zip(shares, weights, strict=True):
            assert abs(share - points * weight / sum(weights)) < 0.05


def test_a_split_gives_leftover_steps_to_the_largest_remainders_earliest_first() -> None:
    assert split_points(2, (1, 2, 1, 1, 2, 1, 1)) == (0.25, 0.45, 0.25, 0.2, 0.45, 0.2, 0.2)
    assert split_points(0.1, (1, 1, 1)) == (0.05, 0.05, 0.0)


def test_a_split_refuses_points_that_are_not_whole_steps() -> None:
    with pytest.raises(ValueError, match="not a multiple of 0.05"):
        split_points(2 / 9, (1, 1))


def test_a_spec_with_a_share_that_prints_badly_does_not_load() -> None:
    with pytest.raises(ValueError, match="sgd, check returns_well_formed: 0.2222"):
        FunctionSpec("sgd", "optim", "plain", (ReturnsWellFormed(2 / 9),))


@pytest.mark.parametrize("battery", [forward_checks, backward_checks, loss_checks])
@pytest.mark.parametrize("points", [1, 1.5, 2, 3, 4, 5, 6, 0.35])
def test_a_battery_shares_out_exactly_the_points_it_is_given(battery, points: float) -> None:
    function = FunctionSpec("f", "m", "plain", battery(points))
    assert function.points == points


@pytest.mark.parametrize("assignment", assignment_ids())
def test_every_assignment_has_clean_points_and_unchanged_totals(assignment: str) -> None:
    (spec,) = load_assignment(assignment)
    for function in spec.functions:
        for check in function.checks:  # exactly the float nearest to a twentieth: prints short
            assert check.points == point_steps(check.points) / 20, (function.name, check)
        assert function.points == point_steps(function.points) / 20
    assert spec.points == TOTALS[assignment]


def test_report_totals_and_printed_points_carry_no_float_artifacts() -> None:
    shares = [0.1, 0.2, 0.35, 0.45, 1.05, 1.95, 0.05] * 13
    results = tuple(
        CheckResult("f", "d", "k", share, share, True, "", "visible") for share in shares
    )
    report = Report("a", "t", results, 0, "", "", "cpu", "0", 0.0)
    assert sum(shares) != 53.95 and report.score == report.max_score == 53.95
    assert format_points(report.score) == "53.95"
    assert [format_points(value) for value in (79.84999999999999, 0.1125, 3.0, 0)] == [
        "79.85",
        "0.1125",
        "3",
        "0",
    ]
