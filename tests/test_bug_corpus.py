"""Realistic mistakes (tests/corpus/<assignment>/bugs/<function>/*.py, each appended to a
correct submission) lose points on their own function and on no other, with feedback that says
what was checked, on which input, and names the mistake when it is a known one (and no
other: a fragment's MISTAKE is the only name its function may get)."""

from __future__ import annotations

import ast
import functools
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
    correct_module,
    diagnoses,
    fragment_constants,
    functions_reaching,
    kit_checks,
    kit_replay,
    mentions,
    parsed,
    points_by_function,
    reach_of,
    submission_reach,
    submission_with,
    untimed,
    verdicts,
)

from grader import grading
from grader.assignments import load_assignment
from grader.assignments.spec import AssignmentSpec, FunctionSpec
from grader.checks.implementations import StudentImplementation
from grader.report.model import CheckResult, Report

BUGS = sorted(CORPORA.glob("*/bugs/*/*.py"))


def keeps_module_state(fragment: Path) -> bool:
    """Whether the fragment binds a module-level variable (its metadata constants aside):
    its functions then answer after other checks ran in the worker as they would not in a
    public-only run, so a full grading's public verdicts are not a kit's."""
    tree = parsed(fragment)
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


GROUP_SIZE = 6  # fragments graded together at most; a gpu group is one torch worker


def judged_on_time(fragment: Path) -> bool:
    """A slow but correct fragment: its LOSES_ONLY names the timed checks."""
    return TIMED in fragment_constants(fragment).get("LOSES_ONLY", [])


@functools.cache
def graded_alone(fragment: Path) -> bool:
    """A fragment that keeps module state (another fragment's crash would restart the
    worker under it) or is judged on its timed checks is graded in a submission of its own."""
    return keeps_module_state(fragment) or judged_on_time(fragment)


@functools.cache
def mentions_in(path: Path) -> dict[str, set[str]]:
    return mentions(parsed(path))


@functools.cache
def names_in_use(fragment: Path) -> set[str]:
    """The names the fragment binds, less its metadata (upper-case constants none of its
    functions reads, such as MISTAKE): two fragments may both set those."""
    read = set().union(*mentions_in(fragment).values())
    return {name for name in bound_names(parsed(fragment)) if not name.isupper() or name in read}


def independent(spec: AssignmentSpec, fragments: list[Path]) -> bool:
    """Whether the fragments can share one submission and still each be judged as if it were
    alone: they break different functions, bind different names (none shadows another's),
    and no graded function reaches names of two of them in the combined module."""
    if len({fragment.parent.name for fragment in fragments}) < len(fragments):
        return False
    graph = dict(mentions_in(correct_module(spec.id)))
    for fragment in fragments:
        graph |= mentions_in(fragment)  # later definitions replace earlier ones
    reach = reach_of(spec, graph)
    bound = [names_in_use(fragment) for fragment in fragments]
    risks = [set(functions_reaching(reach, fragment)) for fragment in fragments]
    return all(sum(map(len, sets)) == len(set().union(*sets)) for sets in (bound, risks))


def corpus_groups(fragments: list[Path]) -> list[tuple[Path, ...]]:
    """The fragments packed greedily, in order, into independent groups of at most
    GROUP_SIZE: one grading (one worker start, a torch import for gpu) serves several."""
    specs = {name: untimed(load_assignment(name)[0]) for name in BUG_CORPORA}
    groups: list[list[Path]] = []
    for fragment in fragments:
        assignment = assignment_of(fragment)
        fits = (
            group
            for group in groups
            if not graded_alone(fragment)
            and not graded_alone(group[0])
            and assignment_of(group[0]) == assignment
            and len(group) < GROUP_SIZE
            and independent(specs[assignment], [*group, fragment])
        )
        group = next(fits, None)
        if group is None:
            groups.append([fragment])
        else:
            group.append(fragment)
    return [tuple(group) for group in groups]


def corpus_case(group: tuple[Path, ...]) -> pytest.ParameterSet:
    """A group as a test parameter, named by its fragments; a torch one starts torch in its
    worker (slow)."""
    assignment = assignment_of(group[0])
    marks = [pytest.mark.slow] if assignment == "gpu" else []
    names = "+".join(f"{fragment.parent.name}/{fragment.stem}" for fragment in group)
    return pytest.param(group, marks=marks, id=f"{assignment}/{names}")


@pytest.mark.parametrize("group", [corpus_case(group) for group in corpus_groups(BUGS)])
def test_mistakes_lose_points_on_their_function_only(
    group: tuple[Path, ...],
    tmp_path: Path,
    student_calls: dict[str, set[str]],
    kits: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    subtests: pytest.Subtests,
) -> None:
    """Each fragment loses points on its own function and on no other. Fragments that are
    `independent` are appended to one correct submission and graded together; only the
    functions at risk are graded, which is as good as grading them all: a function's points
    depend on the student functions its checks call (itself, its forward, what it `uses`,
    the pieces of the networks its checks assemble: `AssignmentSpec.calls`; the calls seen
    here are held to it) and
    on what those reach in the submission module (the helpers and other functions their
    bodies name, read with ast). A function none of whose calls reach a name a fragment
    binds runs the same code as in the correct submission, which scores full marks; each
    check reseeds the worker and a crash restarts it, so nothing else carries over from one
    function's checks to another's.

    Timed checks run only for a fragment whose LOSES_ONLY names them (a slow but correct
    one, graded alone): speed is not what the others get wrong, and timing is half of a
    torch grading.

    The first fragment of each function is also checked as a student kit would check it:
    `grader check` from the released kit (its recorded answers, failure paths included)
    gives, check by check, this grading's public verdicts and feedback."""
    assignment = assignment_of(group[0])
    (spec,) = load_assignment(assignment)
    submission = submission_with(group, tmp_path / "submission")
    graded_spec = spec if any(map(judged_on_time, group)) else untimed(spec)
    graded_functions = {function.name for function in graded_spec.functions}
    reach = submission_reach(spec, submission)
    at_risk: dict[Path, tuple[str, ...]] = {}
    allowed: dict[Path, set[str]] = {}
    for fragment in group:
        reaching = functions_reaching(reach, fragment)
        allowed[fragment] = {
            fragment.parent.name,
            *fragment_constants(fragment).get("MAY_LOSE", []),
        }
        assert allowed[fragment] <= set(reaching), (
            f"{fragment.stem}: MAY_LOSE names functions its function cannot reach"
        )
        at_risk[fragment] = tuple(name for name in reaching if name in graded_functions)
    options = replace(FAST, only=tuple(name for f in group for name in at_risk[f]))
    with monkeypatch.context() as patch:
        patch.setattr(grading, "load_assignment", lambda _: [graded_spec])
        report = grading.grade(assignment, submission, options)
    if replayed := [name for f in group if f in KIT_REPLAYED for name in at_risk[f]]:
        public = replace(options, public_only=True, only=tuple(replayed))
        kit = kit_replay(assignment, submission, public, kits[assignment])
        checks = tuple(r for r in kit_checks(report) if r.function in replayed)
        assert verdicts(kit.results) == verdicts(checks)
    for function, called in student_calls.items():
        assert called <= spec.calls(function), f"{function} called {called}"
    totals = points_by_function(report)
    may_lose = set().union(*allowed.values())
    others = {f: p for f, p in totals.items() if f not in may_lose and p[0] < p[1]}
    assert not others, f"other functions lost points: {others}"
    for fragment in group:
        with subtests.test(msg=f"{fragment.parent.name}/{fragment.stem}"):
            mistake_is_judged(fragment, report, set(at_risk[fragment]))


def mistake_is_judged(fragment: Path, report: Report, at_risk: set[str]) -> None:
    """The fragment's function lost points; its failed checks say why, are of the kinds its
    LOSES_ONLY allows, and name its MISTAKE and no other."""
    target = fragment.parent.name
    constants = fragment_constants(fragment)
    score, maximum = points_by_function(report)[target]
    assert score < maximum, f"{target} kept full marks"
    failed = [r for r in report.results if not r.passed and r.function in at_risk]
    for result in failed:
        assert result.feedback.strip(), f"{result.name} failed without feedback"
    if "LOSES_ONLY" in constants:
        kinds = set(constants["LOSES_ONLY"])
        assert all(r.kind in kinds for r in failed), [(r.name, r.feedback) for r in failed]
    if "MISTAKE" in constants:
        feedback = "\n".join(r.feedback for r in failed if r.function == target)
        assert diagnoses(feedback) == {constants["MISTAKE"]}, feedback


def test_mistakes_share_a_submission_only_when_independent(tmp_path: Path) -> None:
    """Every fragment is in one group; fragments of one function, fragments binding the same
    name, and a forward's fragment with its backward's (the backward's checks call the
    forward) are each kept apart."""
    groups = corpus_groups(BUGS)
    assert sorted(fragment for group in groups for fragment in group) == BUGS
    assert max(map(len, groups)) == GROUP_SIZE
    spec = untimed(load_assignment("layers")[0])
    bugs = CORPORA / "layers" / "bugs"
    assert not independent(spec, sorted((bugs / "affine_backward").glob("*.py"))[:2])
    forward, backward = bugs / "relu_forward", bugs / "relu_backward"
    assert not independent(spec, [next(forward.glob("*.py")), next(backward.glob("*.py"))])
    helpers = []
    for function in ("tanh_forward", "sigmoid_forward"):
        helper = tmp_path / function / "shared_helper.py"
        helper.parent.mkdir()
        helper.write_text(
            f"def {function}(x):\n    return helper(x), x\n\ndef helper(x):\n    return x\n"
        )
        helpers.append(helper)
    assert not independent(spec, helpers)
    assert independent(spec, [helpers[0], next(backward.glob("*.py"))])
