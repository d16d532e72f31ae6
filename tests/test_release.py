"""Instructor workflow: the student bundle, the Gradescope autograder zip run against a fake
/autograder tree, and `grader validate` for every assignment."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from conftest import ASSIGNMENTS
from typer.testing import CliRunner

from grader.cli import app
from grader.grading import GradeOptions
from grader.release import public_checks, validate
from grader.starter import reference_submission, starter_modules


def test_release_writes_stubs_notebook_public_checks_and_readme(tmp_path: Path) -> None:
    out = tmp_path / "release"
    result = CliRunner().invoke(app, ["release", "cifar", "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = {path.name for path in out.iterdir()}
    stubs = {f"{module}.py" for module in starter_modules()["cifar"]}
    assert names == stubs | {"cifar.ipynb", "public_checks.json", "README.md"}
    nbformat.validate(nbformat.read(out / "cifar.ipynb", as_version=4))
    listed = json.loads((out / "public_checks.json").read_text())
    assert listed == public_checks("cifar") and all(item["points"] > 0 for item in listed)
    assert "grader check cifar cifar.ipynb" in (out / "README.md").read_text()
    assert "SOLUTION" not in (out / "layers.py").read_text()


def test_public_checks_leave_out_hidden_ones() -> None:
    listed = public_checks("layers")
    hidden = [c for c in listed if "hidden" in c["check"]]
    assert listed and not hidden


def test_release_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = CliRunner().invoke(app, ["release", "layers", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "not empty" in result.output


def _fake_autograder(tmp_path: Path, submission: Path) -> Path:
    bundle = tmp_path / "autograder.zip"
    result = CliRunner().invoke(app, ["bundle", "layers", "--out", str(bundle)])
    assert result.exit_code == 0, result.output
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root)
        assert {"setup.sh", "run_autograder"} <= set(archive.namelist())
    shutil.copytree(submission, root / "submission")
    return root


def _run_autograder(root: Path) -> dict:
    environment = {
        **os.environ,
        "AUTOGRADER_ROOT": str(root),
        "AUTOGRADER_PYTHON": sys.executable,
    }
    completed = subprocess.run(
        ["bash", str(root / "run_autograder")],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=root,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads((root / "results" / "results.json").read_text())


def test_the_gradescope_bundle_grades_a_submission(tmp_path: Path) -> None:
    root = _fake_autograder(tmp_path, reference_submission(tmp_path / "student"))
    results = _run_autograder(root)
    assert results["score"] == results["extra_data"]["max_score"] > 0
    assert results["extra_data"]["assignment"] == "layers"
    assert all(test["status"] == "passed" for test in results["tests"])


def test_the_gradescope_bundle_explains_an_unreadable_submission(tmp_path: Path) -> None:
    empty = tmp_path / "nothing"
    empty.mkdir()
    (empty / "notes.txt").write_text("I forgot my code")
    results = _run_autograder(_fake_autograder(tmp_path, empty))
    assert results["score"] == 0
    assert "could not be read" in results["output"]


def test_the_bundle_must_be_a_zip(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["bundle", "layers", "--out", str(tmp_path / "x.tar")])
    assert result.exit_code == 2


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_validate_every_assignment(assignment: str) -> None:
    outcome = validate(assignment, GradeOptions(timeout=10.0))
    assert not outcome.problems, outcome.problems
    assert outcome.stubs.startswith("0/")


def test_validate_command_reports_each_assignment() -> None:
    result = CliRunner().invoke(app, ["validate", "optimizers"])
    assert result.exit_code == 0, result.output
    assert "optimizers" in result.output and "ok" in result.output
