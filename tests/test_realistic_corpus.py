"""Realistic student code (tests/corpus/realistic/<assignment>/*.py, each appended to the
assignment's correct submission): real bugs lose points on their own function only and are
named when a known mistake fits, never with a wrong name; correct-but-different forms keep
full marks and get no name. Each file is graded only on the functions it can change."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import (
    FAST,
    REALISTIC,
    assignment_of,
    fragment_constants,
    functions_at_risk,
    named_by_function,
    points_by_function,
    submission_with,
)

from grader import grading
from grader.assignments import load_assignment

FILES = sorted(REALISTIC.glob("*/*.py"))


def awaited(path: Path) -> object:
    """A file whose verdict waits on a fix elsewhere (its AWAITS says which) runs as xfail."""
    reason = fragment_constants(path).get("AWAITS")
    marks = [pytest.mark.xfail(reason=reason, strict=False)] if reason else []
    return pytest.param(path, marks=marks, id=f"{assignment_of(path)}/{path.stem}")


def test_the_corpus_has_bugs_and_correct_forms() -> None:
    verdicts = [v for path in FILES for v in fragment_constants(path)["EXPECT"].values()]
    assert verdicts.count("lose") >= 15 and verdicts.count("full") >= 10


@pytest.mark.parametrize("path", [awaited(path) for path in FILES])
def test_verdicts_and_names(path: Path, tmp_path: Path) -> None:
    assignment = assignment_of(path)
    (spec,) = load_assignment(assignment)
    constants = fragment_constants(path)
    expect: dict[str, str] = constants["EXPECT"]
    mistakes: dict[str, str] = constants.get("MISTAKE", {})
    may_lose = set(constants.get("MAY_LOSE", []))
    submission = submission_with(path, tmp_path / "submission")
    at_risk = functions_at_risk(spec, submission, path)
    assert set(expect) <= set(at_risk)
    report = grading.grade(assignment, submission, replace(FAST, only=at_risk))
    totals = points_by_function(report)
    named = named_by_function(report)
    for function, (score, maximum) in totals.items():
        verdict = expect.get(function, "may lose" if function in may_lose else "full")
        if verdict == "lose":
            assert score < maximum, f"{function} kept full marks"
        elif verdict == "full":
            assert score == maximum, f"{function} lost points: {score}/{maximum}"
        wanted = {mistakes[function]} if function in mistakes else set()
        got = named.get(function, set())
        if verdict == "lose" and function in mistakes:
            assert got == wanted, f"{function}: named {got or 'nothing'}, expected {wanted}"
        elif function not in may_lose:
            assert not got, f"{function}: wrongly named {got}"
