"""Shared helpers: build submissions from the corpus and grade them (cached per run)."""

from __future__ import annotations

import ast
import functools
import shutil
from pathlib import Path

import pytest

from grader.grading import GradeOptions, grade
from grader.report.model import Report

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "layers"
CORRECT_ALT = CORPUS / "correct_alt" / "layers.py"
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


def submission_with(fragment: Path, directory: Path) -> Path:
    """correct_alt/layers.py with the fragment appended (its defs shadow the correct ones)."""
    directory.mkdir(parents=True, exist_ok=True)
    text = CORRECT_ALT.read_text() + "\n\n# --- fragment ---\n" + fragment.read_text()
    (directory / "layers.py").write_text(text)
    return directory


@functools.cache
def _graded(path: str, options: GradeOptions) -> Report:
    return grade("layers", Path(path), options)


def graded(path: Path, options: GradeOptions = FAST) -> Report:
    return _graded(str(path), options)


def points_by_function(report: Report) -> dict[str, tuple[float, float]]:
    return {total.function: (total.score, total.max_score) for total in report.functions()}


def copy_reference(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "reference" / "layers.py", directory / "layers.py")
    return directory


@pytest.fixture(scope="session")
def reference_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    return graded(copy_reference(tmp_path_factory.mktemp("reference")))
