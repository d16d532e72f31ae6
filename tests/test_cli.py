"""The command line: reports, files, exit codes (grader-cli.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_reference

from grader.assignments import load_assignment


def grader(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "grader", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


@pytest.fixture(scope="module")
def reference_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_reference(tmp_path_factory.mktemp("reference"))


def test_list_shows_functions_checks_and_points() -> None:
    result = grader("list")
    assert result.returncode == 0
    assert "batchnorm_backward" in result.stdout and "hidden" in result.stdout


def test_grade_prints_the_text_report(reference_dir: Path) -> None:
    result = grader("grade", "layers", str(reference_dir))
    assert result.returncode == 0, result.stderr
    assert "total" in result.stdout and "100.0%" in result.stdout


def test_json_goes_to_stdout_or_to_out(reference_dir: Path, tmp_path: Path) -> None:
    to_stdout = grader("grade", "layers", str(reference_dir), "--format", "json")
    assert json.loads(to_stdout.stdout)["extra_data"]["assignment"] == "layers"
    target = tmp_path / "results.json"
    written = grader(
        "grade", "layers", str(reference_dir), "--format", "json", "--out", str(target)
    )
    assert written.returncode == 0
    data = json.loads(target.read_text())
    assert data["score"] == data["extra_data"]["max_score"]


def test_fail_under_exits_one_for_a_low_score() -> None:
    stubs = str(ROOT / "assignments" / "layers")
    assert grader("grade", "layers", stubs, "--fail-under", "50").returncode == 1
    assert grader("grade", "layers", stubs).returncode == 0


@pytest.mark.parametrize(
    "args",
    [
        ("grade", "nonsense", "."),
        ("grade", "layers", "/does/not/exist"),
        ("grade", "layers", ".", "--timeout", "0"),
        ("grade", "layers", ".", "--format", "pdf"),
    ],
)
def test_usage_errors_exit_two_with_a_message(args: tuple[str, ...]) -> None:
    result = grader(*args)
    assert result.returncode == 2
    assert result.stderr.strip()
    assert "Traceback" not in result.stderr


def test_check_runs_public_checks_from_the_current_folder(reference_dir: Path) -> None:
    result = grader("check", "layers", cwd=reference_dir)
    assert result.returncode == 0, result.stderr
    assert "100.0%" in result.stdout


def test_only_and_k_grade_exactly_the_chosen_functions(reference_dir: Path) -> None:
    result = grader(
        "grade",
        "layers",
        str(reference_dir),
        *("--only", "relu_forward", "-k", "sigmoid_*", "-k", "l1_"),
        *("--format", "json"),
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    chosen = {"relu_forward", "sigmoid_forward", "sigmoid_backward", "l1_regularization"}
    assert {test["tags"][0] for test in data["tests"]} == chosen
    (spec,) = load_assignment("layers")
    assert data["extra_data"]["max_score"] == sum(spec.function(name).points for name in chosen)


def test_check_takes_only_and_k_too(reference_dir: Path) -> None:
    result = grader("check", "layers", "-k", "relu_f", cwd=reference_dir)
    assert result.returncode == 0, result.stderr
    assert "relu_forward" in result.stdout
    assert "relu_backward" not in result.stdout and "affine" not in result.stdout


@pytest.mark.parametrize(
    ("option", "message"),
    [("--only", "unknown function 'nope'"), ("-k", "-k nope: no function matches")],
)
def test_an_unknown_function_exits_two_naming_the_known_ones(
    option: str, message: str, reference_dir: Path
) -> None:
    result = grader("grade", "layers", str(reference_dir), option, "nope")
    assert result.returncode == 2
    stderr = " ".join(result.stderr.split())
    assert message in stderr and "affine_forward" in stderr, stderr


def test_a_command_without_a_course_pack_is_a_usage_error(tmp_path: Path) -> None:
    environment = {**os.environ, "GRADER_COURSE": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "grader", "list"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "no course pack found" in result.stderr and "Traceback" not in result.stderr
