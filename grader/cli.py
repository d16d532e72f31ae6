"""The `grader` command line (contract: shared/spec/grader-cli.md).

Exit codes: 0 grading completed; 1 score below --fail-under; 2 usage or environment
error. A misbehaving submission is never an error of the grader.
"""

from __future__ import annotations

import contextlib
import json
import sys
from enum import Enum
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape
from rich.table import Table

from grader import __version__, course
from grader.assignments import UnknownAssignment, assignment_ids, load_assignment
from grader.assignments.spec import AssignmentSpec
from grader.batch import Controls, UnknownStudent, read_history, run_batch
from grader.checks.recording import ReferenceSource
from grader.cifar10 import ENV_VAR, DatasetError, cifar_directory, load_images
from grader.feedback import FEEDBACK_FORMATS, chosen_formats
from grader.gradescope import bundle
from grader.grading import (
    DEFAULT_DEADLINE,
    GradeOptions,
    UnknownFunction,
    chosen_functions,
    grade,
)
from grader.installed import MissingPackages, require
from grader.kit import KIT_FILE, Kit, KitError, find_kit, load_kit
from grader.progress import progress
from grader.regrade import RegradeError, compare, regrade_markdown
from grader.release import ReleaseError, release, validate
from grader.report.json_report import failure_results
from grader.report.model import Report, format_points
from grader.report.render import RENDERERS, write_report
from grader.report.text import write_text
from grader.sandbox.client import WorkerStartError
from grader.submission import SubmissionError

app = typer.Typer(
    help="Grade deep-learning course assignments (those of the course pack: `grader list`).",
    no_args_is_help=True,
)
EXIT_BELOW_THRESHOLD = 1
EXIT_USAGE = 2


def show_version(asked: bool) -> None:
    """`grader --version`: answered before any command or course pack is looked at."""
    if asked:
        print(f"grader {__version__}")
        raise typer.Exit()


@app.callback()
def choose_course(
    course_dir: Annotated[
        Path | None,
        typer.Option(
            "--course",
            help=f"The course pack's folder (holding reference/); else ${course.ENV_VAR}, "
            "the current folder or one above it.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=show_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Grade deep-learning course assignments."""
    if course_dir is not None:
        try:
            course.use_course(course_dir)
        except course.CourseNotFound as error:
            fail(f"--course {course_dir}: {error}")


class Format(str, Enum):
    text = "text"
    json = "json"
    junit = "junit"
    md = "md"
    html = "html"


FeedbackFormat = Enum("FeedbackFormat", {name: name for name in FEEDBACK_FORMATS}, type=str)


class Device(str, Enum):
    auto = "auto"
    cpu = "cpu"
    cuda = "cuda"


def complete_assignment(incomplete: str) -> list[str]:
    """Shell completion of an assignment id: those of the course pack, and `all`."""
    try:
        ids = [*assignment_ids(), "all"]
    except course.CourseNotFound:
        return []
    return [name for name in ids if name.startswith(incomplete)]


def assignment_argument(help: str) -> typer.models.ArgumentInfo:
    """An assignment id argument, completed by the shell from the course pack."""
    return typer.Argument(help=help, autocompletion=complete_assignment)


def print_error(message: object) -> None:
    """One unwrapped line: a path in it stays whole, to copy (the terminal wraps it)."""
    Console(stderr=True).print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)


def fail(message: str) -> None:
    print_error(message)
    raise typer.Exit(EXIT_USAGE)


def resolve_device(device: Device) -> str:
    """`cuda` is refused where there is none; `auto` is resolved where torch code runs."""
    if device is Device.cuda:
        try:
            import torch
        except ImportError:
            fail("--device cuda: PyTorch is not installed")
        if not torch.cuda.is_available():
            fail("--device cuda: no CUDA device is available on this machine")
        return "cuda"
    return device.value


def file_formats(formats: list[Format]) -> list[Format]:
    return [fmt for fmt in dict.fromkeys(formats) if fmt is not Format.text]


def report_target(fmt: Format, formats: list[Format], out: str | None) -> Path | None:
    """The file --out, or DIR/report.<format> when several are asked for; None: stdout."""
    if out in (None, "-"):
        return None
    suffix = "junit.xml" if fmt is Format.junit else fmt.value
    return Path(out) / f"report.{suffix}" if len(file_formats(formats)) > 1 else Path(out)


def write_rendered(rendered: str, fmt: Format, formats: list[Format], out: str | None) -> None:
    target = report_target(fmt, formats, out)
    if target is None:
        sys.stdout.write(rendered)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(rendered, encoding="utf-8")


def write_outputs(report: Report, formats: list[Format], out: str | None) -> None:
    others = file_formats(formats)
    if Format.text in formats:
        write_text(report, Console(stderr=out == "-" or (not out and bool(others))))
    if len(others) > 1 and out in (None, "-"):
        fail("several non-text formats need --out DIR")
    for fmt in others:
        target = report_target(fmt, formats, out)
        if target is None:
            sys.stdout.write(RENDERERS[fmt.value](report))
        else:
            write_report(report, fmt.value, target)


def write_unreadable(message: str, formats: list[Format], out: str | None) -> None:
    """A JSON report even for a submission that cannot be read (Gradescope and CI scripts
    then show the student why, with score 0); the exit code stays 2."""
    if Format.json in formats and out not in (None, "-"):
        results = failure_results(f"The submission could not be read: {message}", {})
        write_rendered(json.dumps(results, indent=2) + "\n", Format.json, formats, out)


def grade_options(
    *,
    public_only: bool,
    seed: int,
    timeout: float,
    deadline: float,
    device: Device,
    cifar_dir: Path | None,
    only: tuple[str, ...] = (),
) -> GradeOptions:
    """The options as given, checked before any grading starts (a CIFAR-10 folder is read
    once here, so a bad one is a usage error, not a failed check per student)."""
    if timeout <= 0:
        fail("--timeout must be positive")
    if deadline <= 0:
        fail("--deadline must be positive")
    try:
        directory = cifar_directory(cifar_dir)
        if directory is not None:
            load_images(directory)
    except DatasetError as error:
        fail(str(error))
    return GradeOptions(
        seed=seed,
        public_only=public_only,
        timeout=timeout,
        deadline=deadline,
        device=resolve_device(device),
        cifar_dir=directory,
        only=only,
    )


def matching(names: list[str], pattern: str) -> list[str]:
    """The names a -k pattern picks: those containing it, or matching it as a glob."""
    return [name for name in names if pattern in name or fnmatchcase(name, pattern)]


def chosen_names(assignment: str, only: list[str], patterns: list[str]) -> tuple[str, ...]:
    """--only names as given (grading refuses an unknown one) and the functions each -k
    pattern picks; a pattern that picks none is a usage error, not an empty report."""
    if not patterns:
        return tuple(only)
    names = [function.name for spec in specs(assignment) for function in spec.functions]
    picked = list(only)
    for pattern in patterns:
        found = matching(names, pattern)
        if not found:
            fail(f"-k {pattern}: no function matches (known: {', '.join(names)})")
        picked += found
    return tuple(dict.fromkeys(picked))


def student_kit(submission: Path, kit: Path | None, seed: int) -> Kit | None:
    """Where `grader check` takes the reference's answers from: the course pack when there
    is one (instructors; None), else the student kit given or found beside the work."""
    if kit is None:
        if course.available():
            return None
        kit = find_kit(submission, Path.cwd())
        if kit is None:
            fail(
                f"no {KIT_FILE} here: run grader check in the folder of the assignment kit "
                "you downloaded (or pass --kit PATH)"
            )
    try:
        loaded = load_kit(kit)
    except KitError as error:
        fail(str(error))
    if seed != loaded.seed:
        fail(f"--seed {seed}: this kit's public checks were recorded with seed {loaded.seed}")
    return loaded


def specs(assignment: str) -> list[AssignmentSpec]:
    """The assignments an id names (`all`: every one); an unknown id is a usage error."""
    try:
        return load_assignment(assignment)
    except UnknownAssignment as error:
        fail(str(error))
        raise


def functions_graded(assignment: str, options: GradeOptions) -> int:
    """How many functions a grading goes through: the steps its progress counts."""
    return sum(len(chosen_functions(spec, options.only)) for spec in specs(assignment))


def run_grading(
    assignment: str,
    submission: Path,
    formats: list[Format],
    out: str | None,
    source: ReferenceSource | None = None,
    *,
    only: list[str],
    patterns: list[str],
    **settings: object,
) -> Report:
    options = grade_options(**settings, only=chosen_names(assignment, only, patterns))
    try:
        with progress(functions_graded(assignment, options), "grading") as advance:
            return grade(assignment, submission, options, source, advance)
    except SubmissionError as error:
        write_unreadable(str(error), formats, out)
        fail(str(error))
        raise
    except (UnknownAssignment, UnknownFunction, WorkerStartError) as error:
        fail(str(error))
        raise


def finish(report: Report, fail_under: float | None) -> None:
    if fail_under is not None and report.percent < fail_under:
        Console(stderr=True).print(
            f"score {report.percent:.1f}% is below --fail-under {fail_under:g}%"
        )
        raise typer.Exit(EXIT_BELOW_THRESHOLD)


FailUnder = Annotated[
    float | None, typer.Option(help="Exit 1 when the score (percent) is lower.", min=0, max=100)
]
Seed = Annotated[int, typer.Option(help="Seed for generated inputs (same seed, same report).")]
Timeout = Annotated[
    float,
    typer.Option(help="Seconds allowed per call into student code (a batch of k calls: k times)."),
]
Deadline = Annotated[
    float,
    typer.Option(
        help="Seconds for the whole grading (of each student, in batch): checks not reached "
        "by then are reported as not run, and every report is still written."
    ),
]
DeviceOption = Annotated[Device, typer.Option(help="Where to run torch code (auto = CUDA if any).")]
Formats = Annotated[list[Format], typer.Option("--format", help="Report format (repeatable).")]
Out = Annotated[str | None, typer.Option(help="Where non-text formats go (- = stdout).")]
Only = Annotated[
    list[str],
    typer.Option("--only", metavar="FUNCTION", help="Grade only this function (repeatable)."),
]
Pattern = Annotated[
    list[str],
    typer.Option(
        "-k",
        metavar="PATTERN",
        help="Grade only the functions whose name contains or matches (glob) this pattern.",
    ),
]
CifarDir = Annotated[
    Path | None,
    typer.Option(
        help=f"A cifar-10-batches-py folder for the cifar checks (else ${ENV_VAR}, else the "
        "20-image sample shipped with the grader).",
    ),
]


def listing(assignment: AssignmentSpec) -> dict:
    """An assignment as `grader list --json` gives it: functions, checks and points."""
    return {
        "id": assignment.id,
        "title": assignment.title,
        "points": assignment.points,
        "functions": [
            {
                "name": function.name,
                "points": function.points,
                "checks": [
                    {
                        "kind": check.kind,
                        "description": check.describe(function),
                        "points": check.points,
                        "visibility": check.visibility,
                    }
                    for check in function.checks
                ],
            }
            for function in assignment.functions
        ],
    }


def print_functions(console: Console, assignment: AssignmentSpec) -> None:
    """One line per function: its points and how many checks (hidden ones) give them."""
    width = max(len(function.name) for function in assignment.functions)
    for function in assignment.functions:
        count, points = len(function.checks), format_points(function.points)
        hidden = sum(check.visibility != "visible" for check in function.checks)
        plural, hidden_ones = "" if count == 1 else "s", f", {hidden} hidden" if hidden else ""
        checks = f"{count} check{plural}{hidden_ones}"
        console.print(f"  {function.name:<{width}}  {points:>5}  ({checks})", markup=False)


def print_checks(console: Console, assignment: AssignmentSpec) -> None:
    """Every check: function, what it checks, points and visibility."""
    table = Table()
    for column in ("function", "check", "points", "visibility"):
        table.add_column(column)
    for function in assignment.functions:
        for check in function.checks:
            description = check.describe(function)
            table.add_row(function.name, description, format_points(check.points), check.visibility)
    console.print(table)


@app.command("list")
def list_assignments(
    assignment: Annotated[str, assignment_argument("Assignment id, or all (the default).")] = "all",
    checks: Annotated[bool, typer.Option("--checks", help="List every check too.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="As JSON, with every check (for scripts).")
    ] = False,
) -> None:
    """Assignments with their functions and points (--checks: each check and its visibility)."""
    chosen = specs(assignment)
    if as_json:
        print(json.dumps({"assignments": [listing(spec) for spec in chosen]}, indent=2))
        return
    console = Console(highlight=False)
    for spec in chosen:
        total = format_points(spec.points)
        headline = f"{spec.id}: {spec.title} ({len(spec.functions)} functions, {total} points)"
        console.print(headline, markup=False, soft_wrap=True)
        (print_checks if checks else print_functions)(console, spec)


@app.command("grade")
def grade_command(
    assignment: Annotated[str, assignment_argument("Assignment id (see `grader list`) or all.")],
    submission: Annotated[Path, typer.Argument(help="Folder, .zip or .py to grade.")],
    format: Formats = [Format.text],  # noqa: B006 - typer reads the default
    out: Out = None,
    public_only: Annotated[bool, typer.Option(help="Skip hidden checks.")] = False,
    device: DeviceOption = Device.auto,
    seed: Seed = 0,
    timeout: Timeout = 10.0,
    deadline: Deadline = DEFAULT_DEADLINE,
    fail_under: FailUnder = None,
    cifar_dir: CifarDir = None,
    only: Only = [],  # noqa: B006 - typer reads the default
    k: Pattern = [],  # noqa: B006
) -> None:
    """Grade one submission and print (or write) the report."""
    report = run_grading(
        assignment,
        submission,
        format,
        out,
        only=only,
        patterns=k,
        public_only=public_only,
        seed=seed,
        timeout=timeout,
        deadline=deadline,
        device=device,
        cifar_dir=cifar_dir,
    )
    write_outputs(report, format, out)
    finish(report, fail_under)


@app.command("check")
def check_command(
    assignment: Annotated[str, assignment_argument("Assignment id (see `grader list`).")],
    submission: Annotated[Path, typer.Argument(help="Your folder, .zip, .py or .ipynb.")] = Path(
        "."
    ),
    format: Formats = [Format.text],  # noqa: B006 - typer reads the default
    out: Out = None,
    seed: Seed = 0,
    timeout: Timeout = 10.0,
    deadline: Deadline = DEFAULT_DEADLINE,
    fail_under: FailUnder = None,
    cifar_dir: CifarDir = None,
    kit: Annotated[
        Path | None,
        typer.Option(help=f"A student kit's {KIT_FILE} (default: found beside your work)."),
    ] = None,
    only: Only = [],  # noqa: B006 - typer reads the default
    k: Pattern = [],  # noqa: B006
) -> None:
    """What students run: the public checks, feedback in the terminal (CI: --format junit)."""
    loaded = student_kit(submission, kit, seed)
    with loaded.in_use() if loaded else contextlib.nullcontext():
        report = run_grading(
            assignment,
            submission,
            [Format.text, *format],
            out,
            loaded.source if loaded else None,
            only=only,
            patterns=k,
            public_only=True,
            seed=seed,
            timeout=timeout,
            deadline=deadline,
            device=Device.auto,
            cifar_dir=cifar_dir,
        )
        write_outputs(report, [Format.text, *format], out)
    finish(report, fail_under)


@app.command("batch")
def batch_command(
    assignment: Annotated[str, assignment_argument("Assignment id (see `grader list`).")],
    submissions: Annotated[
        Path, typer.Argument(help="A folder with one entry per student (folder/.zip/.py/.ipynb).")
    ],
    out: Annotated[Path, typer.Option(help="Where the reports and the gradebook go.")],
    workers: Annotated[
        int | None, typer.Option(help="Gradings in parallel (default: the number of cores).", min=1)
    ] = None,
    public_only: Annotated[bool, typer.Option(help="Skip hidden checks.")] = False,
    device: DeviceOption = Device.auto,
    seed: Seed = 0,
    timeout: Timeout = 10.0,
    deadline: Deadline = DEFAULT_DEADLINE,
    cifar_dir: CifarDir = None,
    force: Annotated[
        bool, typer.Option(help="Grade again the students this setting already graded.")
    ] = False,
    only: Annotated[
        list[str],
        typer.Option(
            "--only",
            metavar="STUDENT",
            help="Grade only this student (repeatable); the others stay in grades.csv as they are.",
        ),
    ] = [],  # noqa: B006 - typer reads the default
    retry_errors: Annotated[
        bool, typer.Option(help="Grade again the entries whose grading was an error.")
    ] = False,
    format: Annotated[
        list[FeedbackFormat],
        typer.Option(
            "--format",
            help="Files per student in OUT/reports (repeatable; the JSON always; "
            "default: json and txt).",
        ),
    ] = [],  # noqa: B006 - typer reads the default
) -> None:
    """Grade a class in parallel into a resumable gradebook (grades.csv, SQLite, summary,
    summary.html; regrade.md once a student is graded again)."""
    options = grade_options(
        public_only=public_only,
        seed=seed,
        timeout=timeout,
        deadline=deadline,
        device=device,
        cifar_dir=cifar_dir,
    )
    controls = Controls(
        force=force,
        only=tuple(only),
        retry_errors=retry_errors,
        formats=chosen_formats(fmt.value for fmt in format),
    )
    try:
        result = run_batch(assignment, submissions, out, workers, options, controls=controls)
    except (UnknownAssignment, SubmissionError, UnknownStudent) as error:
        fail(str(error))
    crashed = [row.student for row in result.rows if row.status == "crashed"]
    if crashed:
        fail(f"grading could not run for {', '.join(crashed)} (run again to retry them)")


@app.command("diff")
def diff_command(
    gradebook: Annotated[
        Path, typer.Argument(help="A `grader batch --out` folder (holding gradebook.sqlite).")
    ],
    assignment: Annotated[
        str | None, typer.Option(help="The assignment, when the gradebook holds several.")
    ] = None,
    old: Annotated[
        str | None,
        typer.Option(
            help="Compare against this setting (an id the Settings table lists).", metavar="SETTING"
        ),
    ] = None,
    new: Annotated[
        str | None,
        typer.Option(
            help="Compare this setting's grading (default: each student's latest).",
            metavar="SETTING",
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Write the Markdown here.")] = None,
) -> None:
    """After a regrade: per student the old and new score and the checks that flipped,
    scores gone down first, with a note to each student."""
    database = gradebook / "gradebook.sqlite"
    if not database.is_file():
        fail(f"{gradebook}: no gradebook.sqlite here (the --out folder of grader batch)")
    try:
        text = regrade_markdown(compare(read_history(database), assignment, old, new))
    except RegradeError as error:
        fail(str(error))
    if out is None:
        Console().print(Markdown(text))
    else:
        out.write_text(text, encoding="utf-8")


@app.command("validate")
def validate_command(
    assignment: Annotated[str, assignment_argument("Assignment id, or all (the default).")] = "all",
    seed: Seed = 0,
) -> None:
    """Reference full marks, stubs zero, two gradings identical (exit 1 if not)."""
    chosen = specs(assignment)
    require(chosen)  # before the first assignment, not after the others have run
    table = Table(title="validation", title_justify="left")
    for column in ("assignment", "reference", "stubs", "repeatable", "verdict"):
        table.add_column(column)
    problems = []
    gradings = 3 * sum(len(spec.functions) for spec in chosen)  # reference twice, stubs
    with progress(gradings, "validating") as advance:
        outcomes = [
            (spec.id, validate(spec.id, GradeOptions(seed=seed), advance)) for spec in chosen
        ]
    for assignment_id, outcome in outcomes:
        verdict = "ok" if not outcome.problems else "FAIL"
        repeatable = "yes" if outcome.repeatable else "NO"
        table.add_row(assignment_id, outcome.reference, outcome.stubs, repeatable, verdict)
        problems += [f"{assignment_id}: {problem}" for problem in outcome.problems]
    console = Console()
    console.print(table)
    for problem in problems:
        console.print(f"[red]✗[/red] {escape(problem)}", highlight=False)
    if problems:
        raise typer.Exit(EXIT_BELOW_THRESHOLD)


@app.command("release")
def release_command(
    assignment: Annotated[str, assignment_argument("Assignment id (see `grader list`), or all.")],
    out: Annotated[Path, typer.Option(help="An empty (or new) folder for the bundle.")],
) -> None:
    """Write the student kit: stubs, notebook, public checks, README (all: OUT/<id> each)."""
    chosen = [spec.id for spec in specs(assignment)]
    folders = {name: out / name if assignment == "all" else out for name in chosen}
    for name, folder in folders.items():
        try:
            written = release(name, folder)
        except ReleaseError as error:
            fail(str(error))
        names = ", ".join(path.name for path in written)
        Console().print(f"wrote {len(written)} files to {folder}: {names}", highlight=False)


@app.command("bundle")
def bundle_command(
    assignment: Annotated[str, assignment_argument("Assignment id (see `grader list`).")],
    out: Annotated[Path, typer.Option(help="The autograder .zip to write.")] = Path(
        "autograder.zip"
    ),
    deadline: Annotated[
        float,
        typer.Option(
            help="Seconds each grading may take; keep it below the autograder timeout set on "
            "Gradescope (600 s by default).",
            min=1,
        ),
    ] = DEFAULT_DEADLINE,
) -> None:
    """Write a Gradescope autograder zip (setup.sh, run_autograder, grader, reference)."""
    try:
        written = bundle(assignment, out, deadline)
    except (UnknownAssignment, ReleaseError) as error:
        fail(str(error))
    Console().print(f"wrote {written} (upload it as the Gradescope autograder)")


def main() -> None:
    """The `grader` command: a command that needs a course pack where there is none, or an
    assignment's extra packages (torch) where they are not installed, is a usage error with
    the way out, not a traceback."""
    try:
        app(prog_name="grader")
    except (course.CourseNotFound, MissingPackages) as error:
        print_error(error)
        sys.exit(EXIT_USAGE)
