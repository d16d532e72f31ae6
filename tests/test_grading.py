"""Grading end to end: full marks for correct code however it is written, zero for the
stubs, and the same report every time (the reference's full marks on every assignment are
`grader validate`'s first check: tests/test_release.py)."""

from __future__ import annotations

import inspect
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import (
    ASSIGNMENTS,
    CORPORA,
    CORPUS,
    FAST,
    ROOT,
    copy_reference,
    graded,
    points_by_function,
)

from grader.assignments import load_assignment
from grader.checks.implementations import ReferenceImplementation
from grader.grading import GradeOptions, UnknownFunction, grade
from grader.report.json_report import stable_results, to_results
from grader.report.text import render_text
from grader.starter import starter_submission

CORRECT = sorted(CORPORA.glob("*/correct*"))


def failures(report) -> str:
    return "\n".join(f"{r.name}\n{r.feedback}" for r in report.results if not r.passed)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_stubs_score_zero(assignment: str, tmp_path: Path) -> None:
    report = graded(starter_submission(assignment, tmp_path), assignment=assignment)
    assert report.score == 0
    assert all("is not implemented yet" in r.feedback for r in report.results if r.max_score)


def classic_stub(function, signature: inspect.Signature, passes: bool) -> str:
    """A starter function as the classic course notebooks hand it out: the outputs set to
    None around a TODO (a forward still builds its cache, an update rule its config), or
    only `pass`."""
    parameters = tuple(signature.parameters)
    head = f"def {function.name}{signature}:\n    # TODO: implement\n"
    if passes:
        return head + "    pass\n"
    if function.kind == "forward":
        return (
            head
            + f"    out = None\n    cache = ({', '.join(parameters)},)\n    return out, cache\n"
        )
    names = function.returns
    values = [
        "config if config is not None else {}" if name in function.dict_outputs else "None"
        for name in names
    ]
    assigned = "".join(f"    {name} = {value}\n" for name, value in zip(names, values, strict=True))
    return head + assigned + f"    return {', '.join(names)}\n"


@pytest.mark.parametrize("assignment", ["layers", "optimizers"])
def test_classic_stubs_that_return_none_score_zero(assignment: str, tmp_path: Path) -> None:
    (spec,) = load_assignment(assignment)
    reference = ReferenceImplementation(spec.reference_module)
    stubs = [
        classic_stub(function, inspect.signature(reference.function(function.name)), index % 3 == 2)
        for index, function in enumerate(spec.functions)
    ]
    (tmp_path / f"{spec.functions[0].module}.py").write_text("\n\n".join(stubs))
    report = graded(tmp_path, assignment=assignment)
    assert report.score == 0, failures(report)
    stated = {*report.not_implemented, *report.waiting}  # once, at the top of the report
    for result in report.results:
        forward = spec.function(result.function).forward
        stub = result.function if result.function in report.not_implemented else forward
        collapsed = f"not graded: {stub} is not implemented yet (see the top of the report)"
        said = result.feedback == collapsed and result.function in stated
        assert said or f"{forward} should return" in result.feedback, (result.name, result.feedback)


@pytest.mark.parametrize("path", CORRECT, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_correct_implementations_written_differently_score_full_marks(path: Path) -> None:
    report = graded(path, assignment=path.parent.name)
    assert report.score == report.max_score, failures(report)


def test_every_function_is_graded_with_points(reference_report) -> None:
    totals = points_by_function(reference_report)
    assert len(totals) == 34
    assert all(maximum > 0 for _, maximum in totals.values())


def test_same_submission_same_seed_gives_the_same_report(tmp_path: Path) -> None:
    path = CORPUS / "correct_alt"
    first, second = (grade("layers", path, GradeOptions(seed=3)) for _ in range(2))
    assert render_text(first) == render_text(second)
    assert stable_results(first) == stable_results(second)


def test_public_only_runs_the_visible_checks_only(tmp_path: Path) -> None:
    report = grade("layers", copy_reference(tmp_path), GradeOptions(public_only=True))
    assert {r.visibility for r in report.results} == {"visible"}
    assert report.score == report.max_score


def test_grading_some_functions_gives_them_their_results_of_a_full_grading(
    reference_report, tmp_path: Path
) -> None:
    only = ("affine_backward", "dropout_forward")
    options = replace(FAST, only=only)

    def verdicts(report) -> list[tuple]:
        chosen = [r for r in report.results if r.function in only]
        return [(r.name, r.score, r.max_score, r.passed, r.feedback) for r in chosen]

    report = graded(copy_reference(tmp_path / "chosen"), options)
    assert {r.function for r in report.results} == set(only)
    assert verdicts(report) == verdicts(reference_report)
    (spec,) = load_assignment("layers")
    assert report.max_score == sum(spec.function(name).points for name in only)
    public = graded(copy_reference(tmp_path / "public"), replace(options, public_only=True))
    hidden = [c for name in only for c in spec.function(name).checks if c.visibility != "visible"]
    assert public.hidden_not_run == len(hidden) > 0


def test_an_unknown_function_is_refused_before_grading(tmp_path: Path) -> None:
    with pytest.raises(UnknownFunction, match="affine_forward"):
        grade("layers", tmp_path / "absent", GradeOptions(only=("nope",)))


def test_json_report_follows_the_gradescope_schema(reference_report) -> None:
    data = to_results(reference_report)
    assert set(data) >= {
        "score",
        "execution_time",
        "output",
        "output_format",
        "visibility",
        "stdout_visibility",
        "tests",
        "extra_data",
    }
    extra = data["extra_data"]
    assert set(extra) >= {
        "assignment",
        "max_score",
        "grader_version",
        "submission_sha256",
        "seed",
        "device",
        "isolation",
        "duration_by_check",
    }
    for test in data["tests"]:
        assert set(test) >= {
            "name",
            "number",
            "score",
            "max_score",
            "status",
            "output",
            "output_format",
            "visibility",
            "tags",
        }
        assert test["name"].startswith(test["tags"][0] + ": ")
        assert test["status"] in ("passed", "failed")
    names = [test["name"] for test in data["tests"]]
    assert len(names) == len(set(names))


def test_text_report_fits_eighty_columns(tmp_path: Path) -> None:
    text = render_text(graded(ROOT / "assignments" / "layers"))
    assert max(len(line) for line in text.splitlines()) <= 80
