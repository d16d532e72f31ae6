"""The `grader` command line (contract: shared/spec/grader-cli.md).

Exit codes: 0 grading completed; 1 score below --fail-under; 2 usage or environment
error. A misbehaving submission is never an error of the grader.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from grader.assignments import ASSIGNMENT_MODULES, UnknownAssignment, load_assignment
from grader.checks import CHECKS
from grader.cifar10 import ENV_VAR, DatasetError, cifar_directory, load_images
from grader.grading import GradeOptions, grade
from grader.report.model import Report
from grader.report.render import RENDERERS
from grader.report.text import write_text
from grader.sandbox.client import WorkerStartError
from grader.submission import SubmissionError

app = typer.Typer(
    help="Grade deep-learning course assignments (layers, optimizers, initializers, cifar).",
    no_args_is_help=True,
    add_completion=False,
)
EXIT_BELOW_THRESHOLD = 1
EXIT_USAGE = 2


class Format(str, Enum):
    text = "text"
    json = "json"
    md = "md"


class Device(str, Enum):
    auto = "auto"
    cpu = "cpu"
    cuda = "cuda"


def fail(message: str) -> None:
    Console(stderr=True).print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(EXIT_USAGE)


def resolve_device(device: Device) -> str:
    """The numpy assignments run on the CPU; `cuda` is refused where there is none."""
    if device is Device.cuda:
        try:
            import torch
        except ImportError:
            fail("--device cuda: PyTorch is not installed")
        if not torch.cuda.is_available():
            fail("--device cuda: no CUDA device is available on this machine")
        return "cuda"
    return "cpu"


def write_outputs(report: Report, formats: list[Format], out: str | None) -> None:
    others = [fmt for fmt in dict.fromkeys(formats) if fmt is not Format.text]
    if Format.text in formats:
        write_text(report, Console(stderr=out == "-" or (not out and bool(others))))
    if not others:
        return
    if len(others) > 1 and out in (None, "-"):
        fail("several non-text formats need --out DIR")
    for fmt in others:
        rendered = RENDERERS[fmt.value](report)
        if out in (None, "-"):
            sys.stdout.write(rendered)
            continue
        target = Path(out) / f"report.{fmt.value}" if len(others) > 1 else Path(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(rendered, encoding="utf-8")


def run_grading(
    assignment: str,
    submission: Path,
    *,
    public_only: bool,
    seed: int,
    timeout: float,
    device: Device,
    cifar_dir: Path | None,
) -> Report:
    if timeout <= 0:
        fail("--timeout must be positive")
    try:
        directory = cifar_directory(cifar_dir)
        if directory is not None:
            load_images(directory)
        options = GradeOptions(
            seed=seed,
            public_only=public_only,
            timeout=timeout,
            device=resolve_device(device),
            cifar_dir=directory,
        )
        return grade(assignment, submission, options)
    except (UnknownAssignment, SubmissionError, WorkerStartError, DatasetError) as error:
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
Timeout = Annotated[float, typer.Option(help="Seconds allowed per call into student code.")]
DeviceOption = Annotated[Device, typer.Option(help="Where to run torch code (auto = CUDA if any).")]
CifarDir = Annotated[
    Path | None,
    typer.Option(
        help=f"A cifar-10-batches-py folder for the cifar checks (else ${ENV_VAR}, else the "
        "20-image sample shipped with the grader).",
    ),
]


@app.command("list")
def list_assignments() -> None:
    """Assignments with their functions, checks, points and visibility."""
    console = Console()
    for assignment_id in ASSIGNMENT_MODULES:
        (assignment,) = load_assignment(assignment_id)
        table = Table(title=f"{assignment.id}: {assignment.title}", title_justify="left")
        for column in ("function", "check", "points", "visibility"):
            table.add_column(column)
        for function in assignment.functions:
            for check in function.checks:
                description = CHECKS[check.kind].describe(check, function)
                table.add_row(function.name, description, f"{check.points:g}", check.visibility)
        console.print(table)
        total = sum(function.points for function in assignment.functions)
        console.print(f"{len(assignment.functions)} functions, {total:g} points\n")


@app.command("grade")
def grade_command(
    assignment: Annotated[str, typer.Argument(help="Assignment id (see `grader list`) or all.")],
    submission: Annotated[Path, typer.Argument(help="Folder, .zip or .py to grade.")],
    format: Annotated[
        list[Format], typer.Option("--format", help="Report format (repeatable).")
    ] = [Format.text],  # noqa: B006 - typer reads the default
    out: Annotated[str | None, typer.Option(help="Where non-text formats go (- = stdout).")] = None,
    public_only: Annotated[bool, typer.Option(help="Skip hidden checks.")] = False,
    device: DeviceOption = Device.auto,
    seed: Seed = 0,
    timeout: Timeout = 10.0,
    fail_under: FailUnder = None,
    cifar_dir: CifarDir = None,
) -> None:
    """Grade one submission and print (or write) the report."""
    report = run_grading(
        assignment,
        submission,
        public_only=public_only,
        seed=seed,
        timeout=timeout,
        device=device,
        cifar_dir=cifar_dir,
    )
    write_outputs(report, format, out)
    finish(report, fail_under)


@app.command("check")
def check_command(
    assignment: Annotated[str, typer.Argument(help="Assignment id (see `grader list`).")],
    submission: Annotated[Path, typer.Argument(help="Your folder, .zip or .py.")] = Path("."),
    seed: Seed = 0,
    timeout: Timeout = 10.0,
    fail_under: FailUnder = None,
    cifar_dir: CifarDir = None,
) -> None:
    """What students run: the public checks, with feedback in the terminal."""
    report = run_grading(
        assignment,
        submission,
        public_only=True,
        seed=seed,
        timeout=timeout,
        device=Device.auto,
        cifar_dir=cifar_dir,
    )
    write_outputs(report, [Format.text], None)
    finish(report, fail_under)
