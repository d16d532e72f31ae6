"""`grader.check` in a notebook: the public checks of `grader check`, on the functions as
the kernel defines them now (a fix not yet saved counts).

Only the submission differs from `grader check`: a temporary folder holding, for each
module of the assignment, the kernel's definitions rebuilt as source
(`grader.kernel_source`). The checks, their feedback and the isolated worker that runs
the student's code are the command's own. The kit beside the notebook comes first (it is
what the notebook came with), else the course pack.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from grader import course
from grader.assignments import UnknownAssignment, load_assignment
from grader.assignments.spec import AssignmentSpec
from grader.cifar10 import cifar_directory
from grader.grading import GradeOptions, UnknownFunction, check_chosen, chosen_functions, grade
from grader.kernel_source import kernel_code, kernel_namespace
from grader.kit import KIT_FILE, Kit, KitError, find_kit, load_kit
from grader.report.model import Report
from grader.report.text import write_text
from grader.sandbox.client import WorkerStartError


class LiveCheckError(Exception):
    """grader.check cannot run (no kit, unknown name): the message says what to do."""


def check(assignment: str, *functions: str, kit: str | Path | None = None) -> None:
    """Run the public checks on `functions` (default: all of the assignment's) as this
    kernel defines them now, and print the report: no need to save the notebook, but run
    the cells that define them first. `kit`: the student kit's public_checks.kit (default:
    the one in this folder or above)."""
    console = Console()
    try:
        loaded = _kit(kit)
        with loaded.in_use() if loaded else contextlib.nullcontext():
            report, notes = _grade_kernel(assignment, functions, loaded)
    except (
        LiveCheckError,
        KitError,
        UnknownAssignment,
        UnknownFunction,
        WorkerStartError,
    ) as error:
        console.print(f"[red]error:[/red] {escape(str(error))}", highlight=False)
        return
    if report is None:
        for note in notes:
            console.print(f"[yellow]note:[/yellow] {escape(note)}", highlight=False)
        return
    write_text(replace(report, notes=(*report.notes, *notes)), console)


def _kit(path: str | Path | None) -> Kit | None:
    if path is None:
        path = find_kit(Path.cwd())
        if path is None and course.available():
            return None
        if path is None:
            raise LiveCheckError(
                f"no {KIT_FILE} in this folder or above: run the notebook in the folder of the "
                "assignment kit you downloaded, or pass kit='path/to/public_checks.kit'"
            )
    return load_kit(Path(path))


def _grade_kernel(
    assignment: str, functions: Sequence[str], kit: Kit | None
) -> tuple[Report | None, list[str]]:
    """The report on the kernel's definitions (None when it defines none of them), and
    notes on what it lacks."""
    specs = load_assignment(assignment)
    check_chosen(specs, tuple(functions))
    wanted = [f.name for spec in specs for f in chosen_functions(spec, tuple(functions))]
    namespace = kernel_namespace()
    notes, defined = [], set()
    with tempfile.TemporaryDirectory(prefix="grader-live-") as folder:
        for module, names in _called_by_module(specs, wanted).items():
            code = kernel_code(namespace, names)
            (Path(folder) / f"{module}.py").write_text(code.text, encoding="utf-8")
            defined.update(code.defined)
            notes += code.notes
        graded = [name for name in wanted if name in defined]
        notes += _undefined_notes(specs, wanted, defined)
        if not graded:
            return None, list(dict.fromkeys(notes))
        options = GradeOptions(
            seed=kit.seed if kit else 0,
            public_only=True,
            # all of them: graded as `grader check` without --only
            only=() if graded == wanted and not functions else tuple(graded),
            cifar_dir=cifar_directory(None),
        )
        report = grade(assignment, Path(folder), options, kit.source if kit else None)
    return report, list(dict.fromkeys(notes))


def _undefined_notes(
    specs: list[AssignmentSpec], wanted: list[str], defined: set[str]
) -> list[str]:
    """What the kernel lacks: functions asked for, and forwards (or other functions) that
    the checks of those it has call."""
    missing = [name for name in wanted if name not in defined]
    notes = []
    if missing:
        notes.append(
            f"not defined in this kernel yet, so not checked: {', '.join(missing)} "
            "(run the cells that define them, then check again)"
        )
    for spec in specs:
        for function in spec.functions:
            if function.name in wanted and function.name in defined:
                for called in (function.forward, *function.uses):
                    if called and called not in defined:
                        notes.append(
                            f"{called} is not defined in this kernel yet, and the checks of "
                            f"{function.name} call it: run its cell, then check again"
                        )
    return notes


def _called_by_module(specs: list[AssignmentSpec], wanted: list[str]) -> dict[str, list[str]]:
    """Module -> the student functions that grading `wanted` calls there (a backward's
    forward, the pieces of a network), in a stable order."""
    by_module: dict[str, dict[str, None]] = {}
    for spec in specs:
        own = {function.name for function in spec.functions}
        for name in (name for name in wanted if name in own):
            for called in sorted(spec.calls(name)):
                module = spec.function(called).module if called in own else spec.pieces[called]
                by_module.setdefault(module, {})[called] = None
    return {module: list(names) for module, names in by_module.items()}
