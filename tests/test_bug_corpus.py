"""Realistic mistakes (tests/corpus/layers/bugs/<function>/*.py, each appended to a correct
submission) lose points on their own function and on no other, with feedback that says
what was checked, on which input, and names the mistake when it is a known one."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, fragment_constants, graded, points_by_function, submission_with

BUGS = sorted((CORPUS / "bugs").glob("*/*.py"))


def test_every_function_has_at_least_two_mistakes(reference_report) -> None:
    functions = {total.function for total in reference_report.functions()}
    counts = {name: len(list((CORPUS / "bugs" / name).glob("*.py"))) for name in functions}
    assert min(counts.values()) >= 2, counts


@pytest.mark.parametrize("fragment", BUGS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_mistake_loses_points_on_its_function_only(fragment: Path, tmp_path: Path) -> None:
    target = fragment.parent.name
    constants = fragment_constants(fragment)
    report = graded(submission_with(fragment, tmp_path / "submission"))
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
