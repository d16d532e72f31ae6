"""Realistic mistakes (tests/corpus/<assignment>/bugs/<function>/*.py, each appended to a
correct submission) lose points on their own function and on no other, with feedback that says
what was checked, on which input, and names the mistake when it is a known one (and no
other: a fragment's MISTAKE is the only name its function may get)."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import (
    ASSIGNMENTS,
    BUG_CORPORA,
    CORPORA,
    FAST,
    TIMED,
    assignment_of,
    bound_names,
    diagnoses,
    fragment_constants,
    functions_at_risk,
    kit_checks,
    kit_replay,
    points_by_function,
    submission_with,
    untimed,
    verdicts,
)

from grader import grading
from grader.assignments import load_assignment
from grader.assignments.spec import AssignmentSpec, FunctionSpec
from grader.checks.implementations import StudentImplementation
from grader.report.model import CheckResult

BUGS = sorted(CORPORA.glob("*/bugs/*/*.py"))


def keeps_module_state(fragment: Path) -> bool:
    """Whether the fragment binds a module-level variable (its metadata constants aside):
    its functions then answer after other checks ran in the worker as they would not in a
    public-only run, so a full grading's public verdicts are not a kit's."""
    tree = ast.parse(fragment.read_text())
    functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)}
    return any(not name.isupper() for name in bound_names(tree) - functions)


# the first fragment of each function that keeps no module state
STATELESS = [fragment for fragment in BUGS if not keeps_module_state(fragment)]
KIT_REPLAYED = set({f.parent: f for f in reversed(STATELESS)}.values())  # BUGS is sorted


@pytest.fixture
def student_calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, set[str]]:
    """Which student functions each graded function's checks called through the worker,
    to hold `AssignmentSpec.calls` to what the checks really do (torch workloads call
    theirs inside the worker, unseen here: `FunctionSpec.uses` declares them)."""
    calls: dict[str, set[str]] = {}
    current = ""
    run_check = grading.run_check

    def tracked_run_check(
        assignment: AssignmentSpec, function: FunctionSpec, *rest: object
    ) -> CheckResult:
        nonlocal current
        current = function.name
        return run_check(assignment, function, *rest)

    def tracked(method: Callable[..., object]) -> Callable[..., object]:
        def call(self: StudentImplementation, function: str, *args: object, **kw: object) -> object:
            calls.setdefault(current, set()).add(function)
            return method(self, function, *args, **kw)

        return call

    monkeypatch.setattr(grading, "run_check", tracked_run_check)
    for name in ("call", "call_many"):
        monkeypatch.setattr(
            StudentImplementation, name, tracked(getattr(StudentImplementation, name))
        )
    return calls


@pytest.mark.parametrize("assignment", BUG_CORPORA)
def test_every_function_has_at_least_two_mistakes(assignment: str) -> None:
    (spec,) = load_assignment(assignment)
    bugs = CORPORA / assignment / "bugs"
    reference = importlib.import_module(spec.reference_module)
    written = [f for f in spec.functions if hasattr(reference, f.name)]  # not composite runs
    counts = {f.name: len(list((bugs / f.name).glob("*.py"))) for f in written}
    assert min(counts.values()) >= 2, counts


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_grading_calls_only_student_functions_the_spec_knows(assignment: str) -> None:
    """A misspelt `uses` name would hide a dependency from the corpus test below."""
    (spec,) = load_assignment(assignment)
    known = {function.name for function in spec.functions} | set(spec.pieces)
    for function in spec.functions:
        assert spec.calls(function.name) <= known, function.name


def corpus_case(fragment: Path) -> pytest.ParameterSet:
    """A fragment as a test parameter; a torch one starts torch in its worker (slow)."""
    assignment = assignment_of(fragment)
    marks = [pytest.mark.slow] if assignment == "gpu" else []
    ident = f"{assignment}/{fragment.parent.name}/{fragment.stem}"
    return pytest.param(fragment, marks=marks, id=ident)


@pytest.mark.parametrize("fragment", [corpus_case(fragment) for fragment in BUGS])
def test_mistake_loses_points_on_its_function_only(
    fragment: Path,
    tmp_path: Path,
    student_calls: dict[str, set[str]],
    kits: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only the functions at risk are graded, which is as good as grading them all: a
    function's points depend on the student functions its checks call (itself, its
    forward, what it `uses`, the assignment's pieces: `AssignmentSpec.calls`; the calls
    seen here are held to it) and on what those reach in the submission module (the
    helpers and other functions their bodies name, read with ast). A function none of whose
    calls reach a name the fragment binds runs the same code as in the correct submission,
    which scores full marks; each check reseeds the worker and a crash restarts it, so
    nothing else carries over from one function's checks to another's.

    Timed checks run only for a fragment whose LOSES_ONLY names them (a slow but correct
    one): speed is not what the others get wrong, and timing is half of a torch grading.

    The first fragment of each function is also checked as a student kit would check it:
    `grader check` from the released kit (its recorded answers, failure paths included)
    gives, check by check, this grading's public verdicts and feedback."""
    target = fragment.parent.name
    assignment = assignment_of(fragment)
    (spec,) = load_assignment(assignment)
    constants = fragment_constants(fragment)
    submission = submission_with(fragment, tmp_path / "submission")
    at_risk = functions_at_risk(spec, submission, fragment)
    allowed = {target, *constants.get("MAY_LOSE", [])}
    assert allowed <= set(at_risk), f"MAY_LOSE names functions {target} cannot reach"
    graded_spec = spec if TIMED in constants.get("LOSES_ONLY", []) else untimed(spec)
    graded_functions = {function.name for function in graded_spec.functions}
    at_risk = tuple(name for name in at_risk if name in graded_functions)
    options = replace(FAST, only=at_risk)
    with monkeypatch.context() as patch:
        patch.setattr(grading, "load_assignment", lambda _: [graded_spec])
        report = grading.grade(assignment, submission, options)
    if fragment in KIT_REPLAYED:
        public = replace(options, public_only=True)
        kit = kit_replay(assignment, submission, public, kits[assignment])
        assert verdicts(kit.results) == verdicts(kit_checks(report))
    for function, called in student_calls.items():
        assert called <= spec.calls(function), f"{function} called {called}"
    totals = points_by_function(report)
    score, maximum = totals[target]
    assert score < maximum, f"{target} kept full marks"
    others = {f: p for f, p in totals.items() if f not in allowed and p[0] < p[1]}
    assert not others, f"other functions lost points: {others}"
    failed = [r for r in report.results if not r.passed]
    for result in failed:
        assert result.feedback.strip(), f"{result.name} failed without feedback"
    if "LOSES_ONLY" in constants:
        kinds = set(constants["LOSES_ONLY"])
        assert all(r.kind in kinds for r in failed), [(r.name, r.feedback) for r in failed]
    if "MISTAKE" in constants:
        feedback = "\n".join(r.feedback for r in failed if r.function == target)
        assert diagnoses(feedback) == {constants["MISTAKE"]}, feedback
