"""Realistic mistakes (tests/corpus/<assignment>/bugs/<function>/*.py, each appended to a
correct submission) lose points on their own function and on no other, with feedback that says
what was checked, on which input, and names the mistake when it is a known one."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from conftest import (
    BUG_CORPORA,
    CORPORA,
    assignment_of,
    fragment_constants,
    graded,
    points_by_function,
    submission_with,
)

from grader.assignments import load_assignment

BUGS = sorted(CORPORA.glob("*/bugs/*/*.py"))


@pytest.mark.parametrize("assignment", BUG_CORPORA)
def test_every_function_has_at_least_two_mistakes(assignment: str) -> None:
    (spec,) = load_assignment(assignment)
    bugs = CORPORA / assignment / "bugs"
    reference = importlib.import_module(spec.reference_module)
    written = [f for f in spec.functions if hasattr(reference, f.name)]  # not composite runs
    counts = {f.name: len(list((bugs / f.name).glob("*.py"))) for f in written}
    assert min(counts.values()) >= 2, counts


@pytest.mark.parametrize(
    "fragment", BUGS, ids=lambda p: f"{assignment_of(p)}/{p.parent.name}/{p.stem}"
)
def test_mistake_loses_points_on_its_function_only(fragment: Path, tmp_path: Path) -> None:
    target = fragment.parent.name
    constants = fragment_constants(fragment)
    submission = submission_with(fragment, tmp_path / "submission")
    report = graded(submission, assignment=assignment_of(fragment))
    totals = points_by_function(report)
    score, maximum = totals[target]
    assert score < maximum, f"{target} kept full marks"
    allowed = {target, *constants.get("MAY_LOSE", [])}
    others = {f: p for f, p in totals.items() if f not in allowed and p[0] < p[1]}
    assert not others, f"other functions lost points: {others}"
    failed = [r for r in report.results if not r.passed]
    for result in failed:
        assert result.feedback.strip(), f"{result.name} failed without feedback"
    if "MISTAKE" in constants:
        feedback = "\n".join(r.feedback for r in failed if r.function == target)
        key = constants["MISTAKE"]
        assert f"Known mistake ({key})" in feedback or f"Likely mistake ({key})" in feedback, (
            feedback
        )
