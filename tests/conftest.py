"""Shared helpers: build submissions from the corpus and grade them (cached per run)."""

from __future__ import annotations

import ast
import fcntl
import functools
import itertools
import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from grader.assignments import load_assignment
from grader.assignments.spec import AssignmentSpec
from grader.checks import CHECKS
from grader.checks.mistakes import named_mistakes
from grader.checks.recording import ReferenceSource, Tape
from grader.checks.timing import RunsAsFastAsReference
from grader.grading import GradeOptions, grade, reference_workers_kept
from grader.installed import MissingPackages, require
from grader.kit import KIT_FILE, load_kit
from grader.release import release
from grader.report.model import CheckResult, Report
from grader.starter import reference_submission, starter_modules

# Bytecode caches for this run's processes and their children (the grader's workers read
# them): where the machine sets PYTHONDONTWRITEBYTECODE, every process would otherwise compile
# every module it imports from source, the tests' own rewritten modules included.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "tests" / "corpus"
CORPUS = CORPORA / "layers"
REALISTIC = CORPORA / "realistic"
ASSIGNMENTS = list(starter_modules())
BUG_CORPORA = [name for name in ASSIGNMENTS if (CORPORA / name / "bugs").is_dir()]
FAST = GradeOptions(timeout=5.0)
TIMED = RunsAsFastAsReference.kind


def untimed(spec: AssignmentSpec) -> AssignmentSpec:
    """The assignment less its timed checks, and less the functions that have no others."""
    functions = [
        replace(function, checks=checks)
        for function in spec.functions
        if (checks := tuple(check for check in function.checks if check.kind != TIMED))
    ]
    return replace(spec, functions=tuple(functions))


def missing_packages(assignment: str) -> str | None:
    """Why this environment cannot grade the assignment (the grader's own message: its extra
    packages, torch for gpu, are not installed), or None."""
    try:
        require(load_assignment(assignment))
    except MissingPackages as error:
        return str(error)
    return None


UNGRADABLE = {
    assignment: why for assignment in ASSIGNMENTS if (why := missing_packages(assignment))
}


def needs_packages_of(assignment: str) -> pytest.MarkDecorator:
    """Skips a test of the assignment where its extra packages are not installed."""
    return pytest.mark.skipif(assignment in UNGRADABLE, reason=UNGRADABLE.get(assignment, ""))


def fragment_constants(path: Path) -> dict:
    """The module-level constants of a corpus fragment (EXPECT, MISTAKE, ...), read
    statically: the fragment itself is never imported into the test process."""
    constants = {}
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id.isupper():
                try:
                    constants[target.id] = ast.literal_eval(node.value)
                except ValueError:
                    continue
    return constants


def assignment_of(path: Path) -> str:
    """The assignment a corpus file belongs to (tests/corpus/<assignment>/... or
    tests/corpus/realistic/<assignment>/...)."""
    parts = path.resolve().relative_to(CORPORA).parts
    return parts[1] if parts[0] == REALISTIC.name else parts[0]


MODIFIED_INPUT = "modifies-input"


def diagnoses(feedback: str) -> set[str]:
    """The mistakes a failed check's feedback names: known-mistake keys, and
    "modifies-input" for the in-place check's own diagnosis (it says which argument)."""
    named = set(named_mistakes(feedback))
    if "modified its argument" in feedback:
        named.add(MODIFIED_INPUT)
    return named


def named_by_function(report: Report) -> dict[str, set[str]]:
    """For each function, every mistake its failed checks name."""
    named: dict[str, set[str]] = {}
    for result in report.results:
        if not result.passed:
            named.setdefault(result.function, set()).update(diagnoses(result.feedback))
    return named


def correct_module(assignment: str) -> Path:
    """The assignment's correct_alt module, which corpus fragments are appended to."""
    (module,) = starter_modules()[assignment]
    return CORPORA / assignment / "correct_alt" / f"{module}.py"


def submission_source(fragments: Sequence[Path]) -> str:
    """The correct module with the fragments appended in order (their defs shadow the
    correct ones)."""
    base = correct_module(assignment_of(fragments[0]))
    return base.read_text() + "".join(
        f"\n\n# --- fragment {fragment.stem} ---\n" + fragment.read_text() for fragment in fragments
    )


def submission_with(fragments: Path | Sequence[Path], directory: Path) -> Path:
    """A submission folder holding `submission_source` of the fragment(s)."""
    fragments = [fragments] if isinstance(fragments, Path) else list(fragments)
    directory.mkdir(parents=True, exist_ok=True)
    module = correct_module(assignment_of(fragments[0])).name
    (directory / module).write_text(submission_source(fragments))
    return directory


@functools.cache
def _graded(assignment: str, path: str, options: GradeOptions) -> Report:
    return grade(assignment, Path(path), options)


def graded(path: Path, options: GradeOptions = FAST, assignment: str = "layers") -> Report:
    return _graded(assignment, str(path), options)


def points_by_function(report: Report) -> dict[str, tuple[float, float]]:
    return {total.function: (total.score, total.max_score) for total in report.functions()}


def copy_reference(directory: Path) -> Path:
    return reference_submission(directory)


@pytest.fixture(scope="session")
def reference_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    return graded(copy_reference(tmp_path_factory.mktemp("reference")))


def bound_names(tree: ast.Module) -> set[str]:
    """The names a module's top-level statements bind; imports aside: fragments import
    numpy, math and torch under their usual names, which rebinds nothing to something else."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names


def mentions(tree: ast.Module) -> dict[str, set[str]]:
    """For each top-level function or class, every name its body mentions; a later
    definition replaces an earlier one, as when the module is imported."""
    return {
        node.name: {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }


def reached(graph: dict[str, set[str]], start: frozenset[str]) -> set[str]:
    """Every name that calling the functions in `start` can reach, through the bodies of
    the module's own functions (helpers, other graded functions) transitively."""
    seen, todo = set(start), list(start)
    while todo:
        for name in graph.get(todo.pop(), set()) - seen:
            seen.add(name)
            todo.append(name)
    return seen


@functools.cache
def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text())


def functions_at_risk(spec: AssignmentSpec, submission: Path, fragment: Path) -> tuple[str, ...]:
    """`functions_reaching` the fragment in the submission folder's module."""
    return functions_reaching(submission_reach(spec, submission), fragment)


def submission_reach(spec: AssignmentSpec, submission: Path) -> dict[str, set[str]]:
    """`reach_of` the submission folder's one module."""
    (module,) = submission.glob("*.py")
    return reach_of(spec, mentions(ast.parse(module.read_text())))


def reach_of(spec: AssignmentSpec, graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """For each graded function, every name its grading can reach in a module (`graph`: its
    `mentions`), through the student functions it calls (`AssignmentSpec.calls`)."""
    return {function.name: reached(graph, spec.calls(function.name)) for function in spec.functions}


def functions_reaching(reach: dict[str, set[str]], fragment: Path) -> tuple[str, ...]:
    """The functions whose points the fragment can change (`reach`: `reach_of` the module
    it is in): those that reach a name the fragment binds."""
    changed = bound_names(parsed(fragment))
    return tuple(name for name, names in reach.items() if names & changed)


def parameter_assignment(value: object) -> str | None:
    """The assignment a test parameter stands for: its id, or a corpus file of it."""
    if isinstance(value, str):
        return value
    if isinstance(value, Path) and value.resolve().is_relative_to(CORPORA):
        return assignment_of(value)
    return None


def slow_first(items: list[pytest.Item], workers: int) -> list[pytest.Item]:
    """The tests in the order that spreads the slow ones: xdist's worksteal gives each of its
    `workers` a contiguous block of the list and then moves tests from the end of the longest
    queue, so a slow test at the end of a block is what the run waits for last. Each block
    starts with its share of the slow tests (dealt round-robin), the others keep their order."""
    slow = [item for item in items if item.get_closest_marker("slow")]
    quick = iter([item for item in items if not item.get_closest_marker("slow")])
    ordered: list[pytest.Item] = []
    for worker in range(workers):
        size = len(items) // workers + (worker < len(items) % workers)
        dealt = slow[worker::workers]
        ordered += dealt + list(itertools.islice(quick, max(0, size - len(dealt))))
    return ordered + list(quick)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test given an assignment (by id, or a corpus file of it) whose extra packages are not
    installed here is skipped, saying what to install: without torch, all but the gpu
    assignment's tests run. Under xdist the slow tests go first, spread over the processes."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        for value in callspec.params.values() if callspec else ():
            assignment = parameter_assignment(value)
            if assignment in UNGRADABLE:
                item.add_marker(pytest.mark.skip(reason=UNGRADABLE[assignment]))
                break
    if hasattr(config, "workerinput"):
        items[:] = slow_first(items, config.workerinput["workercount"])


@pytest.fixture(scope="session", autouse=True)
def kept_reference_workers() -> Iterator[None]:
    """One reference worker per setting for the whole run (each start imports torch)."""
    with reference_workers_kept():
        yield


class ReleasedKits(dict[str, Path]):
    """Student kits, each released once per test run whatever the number of xdist
    processes: the first process to ask for one writes it, under a lock, into the run's
    shared temporary folder."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root

    def __missing__(self, assignment: str) -> Path:
        folder = self.root / assignment
        with (self.root / f".{assignment}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (self.root / f".{assignment}.done").exists():
                shutil.rmtree(folder, ignore_errors=True)  # what a failed release left
                release(assignment, folder)
                (self.root / f".{assignment}.done").touch()
        self[assignment] = folder
        return folder


@pytest.fixture(scope="session")
def kits(tmp_path_factory: pytest.TempPathFactory, testrun_uid: str) -> ReleasedKits:
    root = tmp_path_factory.getbasetemp().parent / f"kits-{testrun_uid}"
    root.mkdir(exist_ok=True)
    return ReleasedKits(root)


def kit_replay(assignment: str, path: Path, options: GradeOptions, kit_folder: Path) -> Report:
    """What `grader check` gives from a released kit: the kit's public checks, answered
    from its recorded tape."""
    kit = load_kit(kit_folder / KIT_FILE)
    with kit.in_use():
        source = ReferenceSource(Tape(answers=kit.source.tape.answers), replay=True)
        return grade(assignment, path, options, source)


def kit_checks(report: Report) -> tuple[CheckResult, ...]:
    """The results of the checks a kit runs: visible ones its recorded answers decide."""
    return tuple(r for r in report.results if r.visibility == "visible" and CHECKS[r.kind].kit)


def verdicts(results: tuple[CheckResult, ...]) -> list[tuple[str, float, bool, str]]:
    """What a student reads of each check: its name, points, verdict and feedback."""
    return [(r.name, r.score, r.passed, r.feedback) for r in results]
