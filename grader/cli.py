"""The `grader` command line (contract: shared/spec/grader-cli.md).

Exit codes: 0 grading completed; 1 score below --fail-under; 2 usage or environment
error. A misbehaving submission is never an error of the grader.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable
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
from grader.cluster import ClusterError, ClusterTarget
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
from grader.late import (
    RULE_HELP,
    LatePolicy,
    LatePolicyError,
    LateVerdict,
    gradescope_verdict,
    parse_rule,
    parse_time,
)
from grader.lms_export import Export, ExportError, canvas_csv, moodle_csv, read_gradebook
from grader.progress import progress
from grader.regrade import RegradeError, compare, regrade_markdown
from grader.release import ReleaseError, release, validate
from grader.report.json_report import failure_results
from grader.report.model import Report, format_points
from grader.report.render import RENDERERS, write_report
from grader.report.text import write_text
from grader.sandbox.client import WorkerStartError
from grader.similarity import CSV_FILE, HTML_FILE, SimilarityError, find_similar
from grader.similarity.compare import GUARANTEE_THRESHOLD, NOISE_THRESHOLD, Thresholds
from grader.similarity.report import summary_lines
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
LatePenalty = Annotated[
    str | None,
    typer.Option(metavar="RULE", help=f"Late penalty on the points: {RULE_HELP}."),
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


def gradescope_late(metadata: Path | None, rule: str | None) -> LateVerdict | None:
    """The late verdict `grade` applies: the rule on Gradescope's metadata, read before any
    grading so that a bad one costs nothing."""
    if (metadata is None) != (rule is None):
        fail("--late-penalty and --gradescope-metadata go together")
    if metadata is None or rule is None:
        return None
    try:
        data = json.loads(metadata.read_text(encoding="utf-8"))
        return gradescope_verdict(data, parse_rule(rule))
    except (OSError, ValueError, AttributeError) as error:
        fail(f"--gradescope-metadata {metadata}: {error}")
        raise


def late_policy(due: str | None, rule: str | None) -> LatePolicy | None:
    """`--due` and `--late-penalty` as a policy (none without a due date)."""
    if due is None:
        if rule is not None:
            fail("--late-penalty needs --due (the due date, with its timezone)")
        return None
    try:
        return LatePolicy(parse_time(due), parse_rule(rule or "0"))
    except LatePolicyError as error:
        fail(str(error))
        raise


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
    late_penalty: LatePenalty = None,
    gradescope_metadata: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="Gradescope's submission_metadata.json: with --late-penalty, the penalty for "
            "its created_at against the due date (a submitter's extension counted).",
        ),
    ] = None,
) -> None:
    """Grade one submission and print (or write) the report."""
    late = gradescope_late(gradescope_metadata, late_penalty)
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
    if late is not None:
        report = late.applied(report)
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
    due: Annotated[
        str | None,
        typer.Option(
            metavar="DATETIME",
            help="The due date, ISO 8601 with its timezone (2026-12-01T23:59-05:00). A "
            "submission's time: Gradescope's created_at, Canvas's late mark (a Canvas file "
            "without it is on time) with the file's time, else the file's time.",
        ),
    ] = None,
    late_penalty: LatePenalty = None,
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
    scheduler: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS",
            help="Grade on this running Dask scheduler's workers (tcp://HOST:PORT; needs the "
            "cluster extra, and the grader and course pack on every worker).",
        ),
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(metavar="local:N", help="Grade on a Dask cluster of N local workers."),
    ] = None,
) -> None:
    """Grade a class in parallel into a resumable gradebook (grades.csv, SQLite, summary,
    summary.html; regrade.md once a student is graded again).

    Entries named as LMS downloads (Canvas `doejane_1001_5001_layers.py`, Moodle `Jane
    Doe_12345_assignsubmission_file_`, a Gradescope export's `submission_<id>/` folders)
    are graded for the LMS's student id, under the file names the student gave."""
    late = late_policy(due, late_penalty)
    try:
        target = ClusterTarget.parse(scheduler, cluster)
    except ClusterError as error:
        fail(str(error))
    if target is not None and workers is not None:
        fail("--workers is for the local pool: a cluster's workers are its own")
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
        result = run_batch(
            assignment,
            submissions,
            out,
            workers,
            options,
            late=late,
            controls=controls,
            cluster=target,
        )
    except (UnknownAssignment, SubmissionError, UnknownStudent, ClusterError) as error:
        fail(str(error))
    crashed = [row.student for row in result.rows if row.status == "crashed"]
    if crashed:
        fail(f"grading could not run for {', '.join(crashed)} (run again to retry them)")


@app.command("similarity")
def similarity_command(
    assignment: Annotated[
        str, assignment_argument("Assignment id: its released starter code is not compared.")
    ],
    submissions: Annotated[
        Path,
        typer.Argument(
            help="The folder of submissions batch grades (one entry per student), not its "
            "output folder."
        ),
    ],
    out: Annotated[Path, typer.Option(help=f"Where {HTML_FILE} and {CSV_FILE} go.")],
    top: Annotated[
        int, typer.Option(help="How many of the most similar pairs to show and print.", min=1)
    ] = 20,
    noise_threshold: Annotated[
        int,
        typer.Option(
            help="Shortest match that counts, in characters of token text (names, strings and "
            "layout collapsed: 25 is about one line of code).",
            min=1,
        ),
    ] = NOISE_THRESHOLD,
    guarantee_threshold: Annotated[
        int,
        typer.Option(
            help="Matches this long are always found; larger than the noise threshold is "
            "faster on a large class but may miss shorter matches.",
            min=1,
        ),
    ] = GUARANTEE_THRESHOLD,
) -> None:
    """Rank pairs of students by shared code beyond the starter code (HTML report, CSV).

    A student's share is the part of their own code (the starter code left out) found in
    the other's; a pair's score is the larger share. Student code is read, never run.
    """
    try:
        thresholds = Thresholds(noise_threshold, guarantee_threshold)
    except ValueError as error:
        fail(str(error))
    try:
        findings = find_similar(assignment, submissions, out, thresholds, top)
    except (UnknownAssignment, SimilarityError) as error:
        fail(str(error))
    console = Console(highlight=False)
    for line in summary_lines(findings):
        console.print(line, markup=False, soft_wrap=True)
    console.print(f"wrote {out / HTML_FILE} and {out / CSV_FILE}", markup=False, soft_wrap=True)


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
    late_penalty: Annotated[
        str,
        typer.Option(
            metavar="RULE",
            help=f"Late penalty against Gradescope's due date (a submitter's extension "
            f"counted): {RULE_HELP}.",
        ),
    ] = "0",
) -> None:
    """Write a Gradescope autograder zip (setup.sh, run_autograder, grader, reference)."""
    try:
        rule = parse_rule(late_penalty)
    except LatePolicyError as error:
        fail(str(error))
    try:
        written = bundle(assignment, out, deadline, rule)
    except (UnknownAssignment, ReleaseError) as error:
        fail(str(error))
    Console().print(f"wrote {written} (upload it as the Gradescope autograder)")


export_app = typer.Typer(help="Write a batch gradebook as an LMS imports it.", no_args_is_help=True)
app.add_typer(export_app, name="export")
GradebookDir = Annotated[
    Path, typer.Argument(help="The --out folder of grader batch (holding gradebook.sqlite).")
]
ExportOut = Annotated[Path, typer.Option(help="The CSV file to write.")]


def write_export(export: Callable[[], Export], out: Path) -> None:
    """Write the export; the gradebook's students the roster lacks are named on stderr."""
    try:
        written = export()
    except ExportError as error:
        fail(str(error))
        raise
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(written.text, encoding="utf-8")
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    if written.unmatched:
        names = ", ".join(written.unmatched)
        console.print(
            f"[yellow]warning:[/yellow] in the gradebook, not in the roster: {escape(names)}"
        )
    console.print(f"wrote {out}", markup=False)


def assignment_names(assignment: str) -> list[str]:
    """The assignment's title, when the course pack is at hand (its column may be named so)."""
    with contextlib.suppress(course.CourseNotFound, UnknownAssignment):
        return [spec.title for spec in load_assignment(assignment)]
    return []


@export_app.command("canvas")
def export_canvas(
    gradebook: GradebookDir,
    roster: Annotated[
        Path, typer.Option(help="Canvas's gradebook export (Grades > Export > CSV).")
    ],
    out: ExportOut,
    column: Annotated[
        str | None,
        typer.Option(
            help="The assignment's column (default: the roster's column named like "
            "the assignment, e.g. 'Layers (123)', else the assignment's name)."
        ),
    ] = None,
) -> None:
    """Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, and the
    assignment's column (blank: no gradable submission, or a broken one)."""

    def export() -> Export:
        grades = read_gradebook(gradebook)
        return canvas_csv(grades, roster, assignment_names(grades.assignment), column)

    write_export(export, out)


@export_app.command("moodle")
def export_moodle(
    gradebook: GradebookDir,
    out: ExportOut,
    roster: Annotated[
        Path | None,
        typer.Option(help="Moodle's grade export (to match on its Email address or ID number)."),
    ] = None,
) -> None:
    """Moodle's grade import: an identifier column, the name, the grade and feedback."""
    write_export(lambda: moodle_csv(read_gradebook(gradebook), roster), out)


def main() -> None:
    """The `grader` command: a command that needs a course pack where there is none, or an
    assignment's extra packages (torch) where they are not installed, is a usage error with
    the way out, not a traceback."""
    try:
        app(prog_name="grader")
    except (course.CourseNotFound, MissingPackages) as error:
        print_error(error)
        sys.exit(EXIT_USAGE)
