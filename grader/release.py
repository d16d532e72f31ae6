"""What an instructor hands out: the student starter bundle, and the self-check that an
assignment is fit to grade with (the Gradescope autograder zip: grader.gradescope)."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from grader.assignments import load_assignment
from grader.assignments.spec import add_points
from grader.grading import GradeOptions, Progress, grade
from grader.installed import require
from grader.kit import write_kit_file
from grader.notebooks import starter_notebook
from grader.report.json_report import stable_results
from grader.report.model import format_points, format_score
from grader.starter import reference_submission, starter_modules, starter_submission
from grader.wheel import build_wheel

STUDENT_README = """\
# {title}

Implement the functions in {files} (or in `{assignment}.ipynb`, the same stubs as a
notebook: hand in one or the other). Each function's docstring says what it must compute;
its body raises `NotImplementedError` until you write it.

## Install the checker (once)

In this folder, with Python 3.10 or newer:

    python3 -m venv .venv
    . .venv/bin/activate          # Windows: .venv\\Scripts\\activate
    pip install -r requirements.txt

In Jupyter, started in this folder: `%pip install -r requirements.txt` in a cell.

In Colab: put this folder in your Google Drive (here as `{assignment}` in My Drive), mount
the Drive (the folder icon on the left, then the Drive icon), open `{assignment}.ipynb`
from it and run this cell first (again whenever Colab gives you a new runtime):

    %cd /content/drive/MyDrive/{assignment}
    %pip install -q -r requirements.txt

## Check your work

In the notebook, run its last cell: `grader.check("{assignment}")` checks the functions as
the notebook's kernel defines them now (run a function's cell after changing it; saving is
not needed); `grader.check("{assignment}", "{example}")` checks one function.

In a terminal, in this folder (the first command checks the .py files, the second the
saved notebook):

    grader check {assignment} .
    grader check {assignment} {assignment}.ipynb

`grader check` runs the public checks listed in `public_checks.json`: {local} of them
({local_points} points) run here, from the answers recorded in `public_checks.kit`;
{remote} more ({remote_points} points) need the course's own code and run when your work is
graded, together with the hidden checks ({total} points for the whole assignment). Every
failed check says what was checked, on which input, and what was expected against what your
code returned.
`--format json --out report.json` (or `junit`, `html`, `md`) writes a report file as well.
"""
REQUIREMENTS = """\
# The checker for this assignment: pip install -r requirements.txt (a fresh virtualenv).
# The engine comes from wheels/ beside this file; its dependencies from the package index.
--find-links wheels
{engine}=={version}
{extra}"""


class ReleaseError(Exception):
    """The release or bundle cannot be written (a usage error)."""


def public_checks(assignment: str) -> list[dict]:
    """The visible checks, as a student may see them before grading, and where each runs."""
    listed = []
    for spec in load_assignment(assignment):
        for function in spec.functions:
            for check in function.checks:
                if check.visibility == "visible":
                    listed.append(
                        {
                            "function": function.name,
                            "check": check.describe(function),
                            "points": check.points,
                            "runs": "grader check" if check.kit else "when graded",
                        }
                    )
    return listed


def _empty_target(directory: Path) -> None:
    if directory.exists() and any(directory.iterdir()):
        raise ReleaseError(f"{directory} exists and is not empty")
    directory.mkdir(parents=True, exist_ok=True)


def release(assignment: str, out: Path) -> list[Path]:
    """Write the student kit for `assignment` into the empty folder `out`: stubs and
    notebook, README, the engine wheel and requirements.txt, the recorded public checks."""
    (spec,) = load_assignment(assignment)
    require([spec])  # recording the public checks runs the reference
    _empty_target(out)
    starter_submission(assignment, out)
    nbformat.write(starter_notebook(assignment), out / f"{assignment}.ipynb")
    write_kit_file(assignment, out)
    wheel = build_wheel(out / "wheels")
    extra = "".join(f"{name}\n" for name in spec.requirements)
    engine, version = wheel.name.split("-")[:2]
    (out / "requirements.txt").write_text(
        REQUIREMENTS.format(engine=engine.replace("_", "-"), version=version, extra=extra)
    )
    checks = public_checks(assignment)
    (out / "public_checks.json").write_text(json.dumps(checks, indent=2) + "\n")
    local = [check for check in checks if check["runs"] == "grader check"]
    remote = [check for check in checks if check["runs"] != "grader check"]
    files = ", ".join(f"`{module}.py`" for module in starter_modules()[assignment])
    readme = STUDENT_README.format(
        title=spec.title,
        files=files,
        assignment=assignment,
        example=spec.functions[0].name,
        local=len(local),
        local_points=format_points(add_points(check["points"] for check in local)),
        remote=len(remote),
        remote_points=format_points(add_points(check["points"] for check in remote)),
        total=format_points(spec.points),
    )
    (out / "README.md").write_text(readme)
    return sorted(out.iterdir())


@dataclass(frozen=True)
class Validation:
    assignment: str
    reference: str  # "20/20"
    stubs: str
    repeatable: bool
    problems: tuple[str, ...]


def validate(
    assignment: str, options: GradeOptions, progress: Progress | None = None
) -> Validation:
    """The reference scores full marks, the released stubs zero, and two gradings of the
    reference give the same report (three gradings, each telling `progress`)."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="grader-validate-") as scratch:
        reference = reference_submission(Path(scratch) / "reference")
        stubbed = starter_submission(assignment, Path(scratch) / "stubs")
        first, second = (grade(assignment, reference, options, progress=progress) for _ in range(2))
        stubs = grade(assignment, stubbed, options, progress=progress)
    if first.score != first.max_score:
        failed = [r.name for r in first.results if not r.passed]
        problems.append(f"the reference loses points on: {'; '.join(failed)}")
    if stubs.score != 0:
        passed = [r.name for r in stubs.results if r.score > 0]
        problems.append(f"the stubs earn points on: {'; '.join(passed)}")
    repeatable = stable_results(first) == stable_results(second)
    if not repeatable:
        problems.append("two gradings of the reference with the same seed gave different reports")
    return Validation(
        assignment,
        format_score(first),
        format_score(stubs),
        repeatable,
        tuple(problems),
    )
