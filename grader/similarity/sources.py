"""What each student wrote, as text, and the starter code every student was given.

Entries are found and named as `grader batch` finds them (`batch.discover`), each read by
the grader's submission reader (any hand-in layout; notebooks become their code cells), and
only the files that a grading would take the assignment's functions from are kept: the
notebook a student worked in rather than the kit's untouched stubs beside it, and never the
course's other files (a CS231n `cs231n/solver.py`); functions still left as stubs are
dropped. Nothing is imported or run.
"""

from __future__ import annotations

import ast
import tempfile
from dataclasses import dataclass
from pathlib import Path

from grader.assignments import load_assignment
from grader.batch import discover
from grader.notebooks import starter_notebook
from grader.starter import stub_path
from grader.stubs import is_stub
from grader.submission import Submission, load_submission

FILE_HEADER = "# ---- {} ----\n"  # a comment: the tokenizer drops it, the report shows it


@dataclass(frozen=True)
class StudentCode:
    """The files of one student that hold the assignment's functions, as one text."""

    student: str
    files: tuple[str, ...]  # as the student knows them: "optim.py", "layers.ipynb"
    text: str


@dataclass(frozen=True)
class Unreadable:
    """An entry that could not be compared, and why."""

    student: str
    reason: str


def graded_files(submission: Submission, expected: dict[str, str]) -> tuple[str, ...]:
    """The modules the functions of `expected` (name -> the assignment's module) would be
    graded from, those that exist, sorted."""
    chosen = {submission.module_of(name, module) for name, module in expected.items()}
    return tuple(sorted(m for m in chosen if (submission.directory / f"{m}.py").is_file()))


def without_stubs(text: str) -> str:
    """The module's text without its top-level stub functions (`stubs.is_stub`, read as the
    grader reads them). copydetect drops the starter code's own fingerprints, but not those
    that run from the end of a student's function into the stub after it: two students
    who each wrote a different function would share those."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):  # kept whole: the starter code is still boilerplate
        return text
    lines = text.splitlines(keepends=True)
    for node in reversed(tree.body):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and is_stub(node):
            start = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
            del lines[start - 1 : node.end_lineno]
    return "".join(lines)


def student_code(student: str, submission: Submission, expected: dict[str, str]) -> StudentCode:
    """The student's graded files without stubs, each under a header naming it (a notebook
    by its own name: its module is its code cells)."""
    files, parts = [], []
    for module in graded_files(submission, expected):
        origin = submission.origins.get(f"{module}.py")
        name = origin.notebook if origin else f"{module}.py"
        text = (submission.directory / f"{module}.py").read_text(encoding="utf-8", errors="replace")
        files.append(name)
        parts.append(FILE_HEADER.format(name) + without_stubs(text))
    return StudentCode(student, tuple(files), "\n".join(parts))


def class_code(
    assignment: str, submissions: Path, out: Path, outputs: set[Path]
) -> tuple[list[StudentCode], list[Unreadable]]:
    """Every entry of the class folder but `out` and other `outputs` of the grader
    (resolved paths), by student id: its code, or why it could not be read (`discover`
    has read each entry once already)."""
    expected = {
        name: module
        for spec in load_assignment(assignment)
        for name, module in spec.student_modules.items()
    }
    codes, unreadable = [], []
    with tempfile.TemporaryDirectory(prefix="grader-similarity-staged-") as staging:
        for entry in discover(submissions, exclude=out, staging=Path(staging)):
            if outputs.intersection(path.resolve() for path in entry.paths):
                continue
            if entry.problem:
                unreadable.append(Unreadable(entry.student, entry.problem))
                continue
            with tempfile.TemporaryDirectory(prefix="grader-similarity-") as scratch:
                submission = load_submission(entry.graded, Path(scratch) / "submission")
                codes.append(student_code(entry.student, submission, expected))
    return codes, unreadable


def starter_code(assignment: str) -> list[str]:
    """What the student kit hands out for `assignment` (`grader release`): the stub modules
    and the starter notebook's code cells. Matches inside it are nobody's copying."""
    texts = []
    for spec in load_assignment(assignment):
        texts += [stub_path(spec.id, module).read_text(encoding="utf-8") for module in spec.modules]
        cells = starter_notebook(spec.id).cells
        texts.append("\n".join(cell.source for cell in cells if cell.cell_type == "code"))
    return texts
