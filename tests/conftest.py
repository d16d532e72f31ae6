"""Shared helpers: build submissions from the corpus and grade them (cached per run)."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

from grader.grading import GradeOptions, grade
from grader.report.model import Report
from grader.starter import reference_submission, starter_modules

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "tests" / "corpus"
CORPUS = CORPORA / "layers"
ASSIGNMENTS = list(starter_modules())
BUG_CORPORA = [name for name in ASSIGNMENTS if (CORPORA / name / "bugs").is_dir()]
FAST = GradeOptions(timeout=5.0)


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
    """The assignment a corpus file belongs to (tests/corpus/<assignment>/...)."""
    return path.resolve().relative_to(CORPORA).parts[0]


def submission_with(fragment: Path, directory: Path) -> Path:
    """The assignment's correct_alt module with the fragment appended (its defs shadow the
    correct ones)."""
    assignment = assignment_of(fragment)
    (module,) = starter_modules()[assignment]
    base = CORPORA / assignment / "correct_alt" / f"{module}.py"
    directory.mkdir(parents=True, exist_ok=True)
    text = base.read_text() + "\n\n# --- fragment ---\n" + fragment.read_text()
    (directory / f"{module}.py").write_text(text)
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
