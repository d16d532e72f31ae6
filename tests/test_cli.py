"""The command line: reports, files, exit codes (grader-cli.md)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_reference
from typer.testing import CliRunner

from grader import __version__, cli
from grader.assignments import assignment_ids, load_assignment


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


def invoke(*args: str, code: int = 0, **environment: str) -> str:
    """The command run in this process (no interpreter to start): its output (stdout and
    stderr), after checking its exit code."""
    result = CliRunner().invoke(cli.app, list(args), env=environment, prog_name="grader")
    assert result.exit_code == code, result.output
    return result.output


def test_version() -> None:
    assert invoke("--version") == f"grader {__version__}\n"


def test_list_is_one_line_per_function_with_its_points() -> None:
    specs = load_assignment("all")
    lines = invoke("list").splitlines()
    assert len(lines) == len(specs) + sum(len(spec.functions) for spec in specs)
    assert lines[0] == "layers: Layers: forward and backward passes (34 functions, 109.5 points)"
    assert lines[1].split() == ["affine_forward", "3", "(4", "checks,", "1", "hidden)"]
    assert invoke("list", "gpu").splitlines()[0].startswith("gpu: ")


def test_list_checks_and_json_give_every_check() -> None:
    (layers,) = load_assignment("layers")
    detail = invoke("list", "layers", "--checks")
    assert len(detail.splitlines()) > 4 * len(layers.functions)
    assert "further inputs" in detail and "hidden" in detail
    listed = json.loads(invoke("list", "--json"))["assignments"]
    assert [entry["id"] for entry in listed] == assignment_ids()
    function = listed[0]["functions"][0]
    assert function["name"] == "affine_forward" and function["points"] == 3
    checks = layers.functions[0].checks
    assert [check["points"] for check in function["checks"]] == [c.points for c in checks]
    assert {check["visibility"] for check in function["checks"]} == {"visible", "hidden"}


def test_shell_completion_offers_commands_and_assignment_ids() -> None:
    """What the script of `grader --install-completion` asks the program (bash's way)."""
    shell = {"_GRADER_COMPLETE": "complete_bash"}
    assert invoke(**shell, COMP_WORDS="grader va", COMP_CWORD="1").split() == ["validate"]
    assert invoke(**shell, COMP_WORDS="grader grade la", COMP_CWORD="2").split() == ["layers"]


def test_release_all_writes_one_kit_per_assignment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kits themselves are tested in test_release.py; here, where `all` puts them."""
    written = []

    def release(assignment: str, out: Path) -> list[Path]:
        written.append((assignment, out))
        return []

    monkeypatch.setattr(cli, "release", release)
    invoke("release", "all", "--out", str(tmp_path))
    assert written == [(name, tmp_path / name) for name in assignment_ids()]


def test_release_all_into_a_used_folder_exits_two_with_a_message(tmp_path: Path) -> None:
    (tmp_path / "layers").mkdir()
    (tmp_path / "layers" / "notes.txt").write_text("mine")
    output = invoke("release", "all", "--out", str(tmp_path), code=2)
    assert "layers exists and is not empty" in " ".join(output.split())


def test_grade_prints_the_text_report(reference_dir: Path) -> None:
    result = grader("grade", "layers", str(reference_dir))
    assert result.returncode == 0, result.stderr
    assert "total" in result.stdout and "100.0%" in result.stdout


def test_json_goes_to_stdout_or_to_out(reference_dir: Path, tmp_path: Path) -> None:
    json_of_two = ("--format", "json", "--only", "relu_forward", "--only", "softmax_loss")
    to_stdout = grader("grade", "layers", str(reference_dir), *json_of_two)
    assert json.loads(to_stdout.stdout)["extra_data"]["assignment"] == "layers"
    target = tmp_path / "results.json"
    written = grader("grade", "layers", str(reference_dir), *json_of_two, "--out", str(target))
    assert written.returncode == 0
    data = json.loads(target.read_text())
    assert data["score"] == data["extra_data"]["max_score"]


def test_fail_under_exits_one_for_a_low_score() -> None:
    stubs = str(ROOT / "assignments" / "layers")
    two = ("--only", "relu_forward", "--only", "relu_backward")
    assert grader("grade", "layers", stubs, *two, "--fail-under", "50").returncode == 1
    assert grader("grade", "layers", stubs, *two).returncode == 0


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


def test_check_runs_public_checks_from_the_current_folder(tmp_path: Path) -> None:
    """...and leaves nothing there: hypothesis, left alone, would cache in .hypothesis/
    the literals of every module of the engine and the course pack it finds loaded."""
    folder = copy_reference(tmp_path / "work")
    handed_in = sorted(folder.rglob("*"))
    result = grader("check", "layers", "-k", "batchnorm", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "100.0%" in result.stdout
    assert sorted(folder.rglob("*")) == handed_in


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
    # not a terminal: the progress is one plain line per function, on stderr
    progress = re.findall(r"^grading \[(\d)/3\] layers: (\w+) \(\d+ s\)$", result.stderr, re.M)
    assert progress == [
        ("1", "relu_forward"),
        ("2", "leaky_relu_forward"),
        ("3", "prelu_forward"),
    ]


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
