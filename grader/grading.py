"""Run an assignment's checks against one submission and build the report."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

import numpy as np

from grader import __version__, course
from grader.assignments import load_assignment
from grader.assignments.spec import AssignmentSpec, Check, FunctionSpec
from grader.checks.context import CheckContext, Outcome, not_implemented
from grader.checks.implementations import ReferenceImplementation, StudentImplementation
from grader.checks.recording import NotRecorded, ReferenceSource
from grader.installed import require
from grader.locations import where_defined
from grader.problems import collapse, module_problems, stubbed_functions
from grader.report.model import CheckResult, ModuleProblem, Report, SourceLocation
from grader.sandbox.client import DeadlinePassed, Worker
from grader.sandbox.launcher import Isolation, choose_isolation, cuda_devices
from grader.submission import Submission, load_submission

DEFAULT_DEADLINE = 540.0

Progress = Callable[[str], None]  # told "assignment: function" as each function is graded


@dataclass(frozen=True)
class GradeOptions:
    seed: int = 0
    public_only: bool = False
    timeout: float = 10.0
    memory_bytes: int = 4 * 2**30
    device: str = "auto"  # where torch objects run: auto (CUDA if any), cpu or cuda
    cifar_dir: Path | None = None  # a cifar-10-batches-py folder; the shipped sample if None
    only: tuple[str, ...] = ()  # the functions to grade (their names); all when empty
    # seconds for the whole grading (None: no limit); below Gradescope's default 600 s, so
    # that the reports are written before Gradescope ends the run
    deadline: float | None = DEFAULT_DEADLINE


class UnknownFunction(KeyError):
    """`only` names a function that none of the graded assignments has."""

    def __str__(self) -> str:
        name, known = self.args
        return f"unknown function {name!r} (known: {', '.join(known)})"


def chosen_functions(assignment: AssignmentSpec, only: tuple[str, ...]) -> list[FunctionSpec]:
    """The functions of `assignment` that a grading restricted to `only` grades; the others
    keep their place in the spec, since a chosen backward still calls its forward."""
    return [function for function in assignment.functions if not only or function.name in only]


def check_chosen(assignments: list[AssignmentSpec], only: tuple[str, ...]) -> None:
    """Refuse a name in `only` that no assignment defines, before any worker starts."""
    known = [function.name for assignment in assignments for function in assignment.functions]
    for name in only:
        if name not in known:
            raise UnknownFunction(name, known)


def selected_checks(
    spec: FunctionSpec, public_only: bool, kit: bool = False
) -> list[tuple[int, Check]]:
    """The checks to run, by their index in the spec; a student kit runs only the public
    checks that its recorded answers can decide."""
    return [
        (index, check)
        for index, check in enumerate(spec.checks)
        if (not public_only or check.visibility == "visible") and (not kit or check.kit)
    ]


def checks_to_run(
    function: FunctionSpec, options: GradeOptions, source: ReferenceSource
) -> list[tuple[int, Check]]:
    """The checks a grading with these options and this source runs on `function`."""
    return selected_checks(function, options.public_only, source.tape is not None)


def check_scope(assignment: AssignmentSpec, function: FunctionSpec, index: int) -> str:
    """The name a check's recorded answers are filed under in a student kit."""
    return f"{assignment.id}/{function.name}/{index}"


def hidden_not_run(assignments: list[AssignmentSpec], options: GradeOptions) -> int:
    """How many hidden checks of the graded functions this grading leaves out, so that a
    public-only report can say there is more to the grade than it shows."""
    if not options.public_only:
        return 0
    return sum(
        check.visibility != "visible"
        for assignment in assignments
        for function in chosen_functions(assignment, options.only)
        for check in function.checks
    )


NOT_IN_KIT = (
    "Not checked here: on what your code returned, this check needs the course's hidden "
    "reference, which the kit does not carry. It runs when your work is graded."
)


def out_of_time(deadline: float) -> str:
    """The feedback of a check the grading's deadline left without a verdict."""
    return f"not run: out of time (the grading deadline of {deadline:g} s passed)"


def deadline_note(deadline: float) -> str:
    """What a report says at its top when the deadline passed (no count: the visible
    summary must not tell how many hidden checks there are)."""
    return (
        f"The grading deadline of {deadline:g} s passed: the checks it left unfinished "
        "were not run and scored 0 (marked 'not run: out of time')."
    )


def not_run(function: FunctionSpec, check: Check, deadline: float) -> CheckResult:
    return CheckResult(
        function=function.name,
        description=check.describe(function),
        kind=check.kind,
        score=0.0,
        max_score=check.points,
        passed=False,
        feedback=out_of_time(deadline),
        visibility=check.visibility,
    )


@dataclass(frozen=True)
class Clock:
    """When the grading must end (`ends`, a time.monotonic() instant; None: never)."""

    deadline: float | None = None
    ends: float | None = None

    @classmethod
    def start(cls, deadline: float | None) -> Clock:
        return cls(deadline, None if deadline is None else time.monotonic() + deadline)

    @property
    def passed(self) -> bool:
        return self.ends is not None and time.monotonic() >= self.ends


def check_rng(seed: int, function: str, index: int) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(function.encode()), index])


def run_check(
    assignment: AssignmentSpec,
    function: FunctionSpec,
    index: int,
    check: Check,
    student: StudentImplementation,
    reference: ReferenceImplementation,
    options: GradeOptions,
    environment: Environment,
    source: ReferenceSource,
) -> CheckResult:
    source.enter(check_scope(assignment, function, index))
    context = CheckContext(
        assignment=assignment,
        function=function,
        student=student,
        reference=reference,
        rng=check_rng(options.seed, function.name, index),
        seed=options.seed,
        cifar_dir=options.cifar_dir,
        reference_worker=environment.reference_worker,
        device=environment.device,
        device_name=environment.device_name,
        source=source,
    )
    seed = zlib.crc32(f"{options.seed}/{function.name}/{index}".encode())
    workers = [student.worker, *filter(None, [environment.reference_worker])]
    for worker in workers:
        worker.reseed(seed)
    began = time.perf_counter()
    try:
        outcome = check.run(context)
    except NotRecorded:
        outcome = Outcome(False, NOT_IN_KIT)
    except DeadlinePassed:
        return not_run(function, check, options.deadline)
    for worker in workers:
        worker.release()
    return CheckResult(
        function=function.name,
        description=outcome.description or check.describe(function),
        kind=check.kind,
        score=check.points * outcome.share,
        max_score=check.points,
        passed=outcome.passed,
        feedback=outcome.feedback,
        visibility=check.visibility,
        duration=time.perf_counter() - began,
        attachments=outcome.attachments,
    )


def stub_result(result: CheckResult, how: str) -> CheckResult:
    """A stub earns nothing, on any check of its function: a check that its answer passes
    vacuously (inputs left unchanged, a property of nothing) does not count."""
    return replace(result, score=0.0, passed=False, feedback=not_implemented(result.function, how))


@dataclass(frozen=True)
class Environment:
    """Where an assignment's torch objects run, and the reference's own worker for them."""

    reference_worker: Worker | None = None
    device: str = "cpu"
    device_name: str = "CPU"


_kept: dict[tuple, Environment] | None = None  # reference workers kept alive, by setting
_keeper: contextlib.ExitStack | None = None


@contextlib.contextmanager
def reference_workers_kept() -> Iterator[None]:
    """Within this block, each assignment's reference worker outlives one grading: many
    gradings in one process (a test run, a class) pay its start (importing torch) once per
    setting instead of once per submission. Reuse cannot change a verdict: the worker never
    runs student code, and `run_check` reseeds it and frees what it kept before each check."""
    global _kept, _keeper
    if _kept is not None:
        yield
        return
    with contextlib.ExitStack() as stack:
        _kept, _keeper = {}, stack
        try:
            yield
        finally:
            _kept, _keeper = None, None


@contextlib.contextmanager
def environment_for(
    assignment: AssignmentSpec,
    isolation: Isolation,
    options: GradeOptions,
    live: bool,
    clock: Clock = Clock(),
) -> Iterator[Environment]:
    """The assignment's environment: a kept one inside `reference_workers_kept`, else one
    started for this grading."""
    if _kept is None or _keeper is None or not assignment.reference_worker:
        with started_environment(assignment, isolation, options, live, clock) as environment:
            yield environment
        return
    pack = course.reference_dir() if live else None
    key = (assignment.id, pack, isolation, options.timeout, options.device)
    if key not in _kept:
        started = started_environment(assignment, isolation, options, live, clock)
        _kept[key] = _keeper.enter_context(started)
    kept = _kept[key]
    kept.reference_worker.ends = clock.ends  # this grading's deadline
    yield kept


@contextlib.contextmanager
def started_environment(
    assignment: AssignmentSpec,
    isolation: Isolation,
    options: GradeOptions,
    live: bool,
    clock: Clock,
) -> Iterator[Environment]:
    """A worker over copies of the reference modules, never beside student code; it also
    tells which device `auto` means on this machine. From a student kit (not `live`) it
    holds no reference module: only PyTorch's own objects serve there."""
    if not assignment.reference_worker:
        yield Environment()
        return
    with tempfile.TemporaryDirectory(prefix="grader-reference-") as scratch:
        for module in assignment.reference_worker if live else ():
            shutil.copyfile(course.reference_dir() / f"{module}.py", Path(scratch) / f"{module}.py")
        trusted = isolation.trusted()
        preload = assignment.preload
        with Worker(Path(scratch), trusted, options.timeout, clock.ends, preload) as worker:
            info = worker.drive("device_info", {"device": options.device})
            name = info["name"] if info["device"] == "cuda" else "CPU (no CUDA device in use)"
            yield Environment(worker, info["device"], name)


def isolation_for(assignment: AssignmentSpec, options: GradeOptions) -> Isolation:
    """CUDA reserves far more address space than any limit we could set: lift the limit
    only for torch assignments that may run on a GPU."""
    on_gpu = assignment.reference_worker and options.device != "cpu" and cuda_devices()
    return choose_isolation(0 if on_gpu else options.memory_bytes)


class Graded(NamedTuple):
    """What grading one assignment found."""

    results: list[CheckResult]
    isolation: str  # how the worker was isolated
    device: str
    problems: tuple[ModuleProblem, ...]  # files that failed as they were imported
    not_implemented: tuple[str, ...]  # graded functions that only answered as stubs do
    waiting: tuple[str, ...]  # graded backwards whose forward is not implemented yet
    locations: dict[str, SourceLocation]  # where the student defined each graded function
    sources: tuple[str, ...]  # which file a function several files define was taken from


def grade_submission(
    assignment: AssignmentSpec,
    submission: Submission,
    options: GradeOptions,
    timings: dict[str, float],
    source: ReferenceSource | None = None,
    clock: Clock = Clock(),
    progress: Progress | None = None,
) -> Graded:
    """Grade one assignment; once `clock` says the deadline passed, the remaining checks
    are reported as not run."""
    source = source or ReferenceSource()
    isolation = isolation_for(assignment, options)
    reference = source.reference(assignment.reference_module)
    results = []
    with (
        Worker(
            submission.directory, isolation, options.timeout, clock.ends, assignment.preload
        ) as worker,
        environment_for(assignment, isolation, options, not source.replay, clock) as environment,
    ):
        expected = assignment.student_modules
        student = StudentImplementation(
            worker, lambda name: submission.module_of(name, expected.get(name, ""))
        )
        graded = chosen_functions(assignment, options.only)
        for function in graded:
            checked = [
                not_run(function, check, options.deadline)
                if clock.passed
                else run_check(
                    assignment,
                    function,
                    index,
                    check,
                    student,
                    reference,
                    options,
                    environment,
                    source,
                )
                for index, check in checks_to_run(function, options, source)
            ]
            if how := student.not_implemented(function.name):
                checked = [stub_result(result, how) for result in checked]
            results += [replace(r, feedback=submission.locate(r.feedback)) for r in checked]
            if progress:
                progress(f"{assignment.id}: {function.name}")
    for key, seconds in (
        ("worker_start", worker.start_seconds),
        ("student_calls", worker.busy_seconds),
        ("reference_calls", reference.seconds),
    ):
        timings[key] = timings.get(key, 0.0) + seconds
    names = [function.name for function in graded]
    problems = module_problems(worker.import_problems(), submission, names, student.module_of)
    called = dict.fromkeys([*names, *(name for n in names for name in sorted(assignment.calls(n)))])
    stubs = stubbed_functions(graded, student, problems)
    return Graded(
        [collapse(result, problems, stubs) for result in results],
        isolation.describe(worker.sealing),
        environment.device_name,
        problems,
        tuple(name for name, forward in stubs.items() if forward == name),
        tuple(name for name, forward in stubs.items() if forward != name),
        where_defined(submission, names, student.module_of),
        submission.provenance({name: expected.get(name, "") for name in called}),
    )


def grade(
    assignment_id: str,
    submission_path: Path,
    options: GradeOptions,
    source: ReferenceSource | None = None,
    progress: Progress | None = None,
) -> Report:
    """Grade one submission; `assignment_id` may be `all`. `source` says where reference
    answers come from (default: the live course pack). With `options.only`, only those
    functions are graded, and an assignment left with none starts no worker (nor needs its
    extra packages: MissingPackages otherwise). Past `options.deadline` the checks not yet
    run are reported as not run, and the report says so at its top. `progress` hears of
    each function as it is done (a long grading shows how far it got)."""
    began = time.perf_counter()
    clock = Clock.start(options.deadline)
    source = source or ReferenceSource()
    loaded = load_assignment(assignment_id)
    check_chosen(loaded, options.only)
    assignments = [spec for spec in loaded if chosen_functions(spec, options.only)]
    require(assignments)
    with tempfile.TemporaryDirectory(prefix="grader-submission-") as scratch:
        submission = load_submission(Path(submission_path), Path(scratch) / "submission")
        results: list[CheckResult] = []
        isolation, devices = "", []
        problems: list[ModuleProblem] = []
        stubs: list[str] = []
        waiting: list[str] = []
        sources: list[str] = []
        timings: dict[str, float] = {}
        locations: dict[str, SourceLocation] = {}
        for assignment in assignments:
            try:
                if clock.passed:
                    raise DeadlinePassed
                graded = grade_submission(
                    assignment, submission, options, timings, source, clock, progress
                )
            except DeadlinePassed:  # before the assignment's workers could start
                for function in chosen_functions(assignment, options.only):
                    results += [
                        not_run(function, check, options.deadline)
                        for _, check in checks_to_run(function, options, source)
                    ]
                    if progress:
                        progress(f"{assignment.id}: {function.name}")
                continue
            results += graded.results
            isolation = graded.isolation
            devices.append(graded.device)
            problems += [problem for problem in graded.problems if problem not in problems]
            stubs += graded.not_implemented
            waiting += graded.waiting
            locations.update(graded.locations)
            sources += graded.sources
    skipped = options.deadline is not None and any(
        result.feedback == out_of_time(options.deadline) for result in results
    )
    title = " + ".join(assignment.title for assignment in assignments)
    return Report(
        assignment=assignment_id,
        title=title,
        results=tuple(results),
        seed=options.seed,
        submission_sha256=submission.sha256,
        isolation=isolation,
        device=" / ".join(dict.fromkeys(devices)),
        grader_version=__version__,
        execution_time=time.perf_counter() - began,
        notes=(*submission.notes, *dict.fromkeys(sources)),
        hidden_not_run=hidden_not_run(assignments, options),
        problems=tuple(problems),
        not_implemented=tuple(dict.fromkeys(stubs)),
        waiting=tuple(dict.fromkeys(waiting)),
        timings=timings,
        deadline_note=deadline_note(options.deadline) if skipped else "",
        locations=locations,
    )
