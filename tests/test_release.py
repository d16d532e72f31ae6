"""Instructor workflow: the student bundle, the Gradescope autograder zip run against a fake
/autograder tree, and `grader validate` for every assignment."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from conftest import ASSIGNMENTS
from typer.testing import CliRunner

from grader.assignments import load_assignment
from grader.cli import app
from grader.gradescope import setup_script
from grader.grading import GradeOptions
from grader.release import public_checks, validate
from grader.starter import reference_submission, starter_modules


def test_release_writes_the_student_kit(tmp_path: Path) -> None:
    out = tmp_path / "release"
    result = CliRunner().invoke(app, ["release", "cifar", "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = {path.name for path in out.iterdir()}
    stubs = {f"{module}.py" for module in starter_modules()["cifar"]}
    kit = {"public_checks.json", "public_checks.kit", "requirements.txt", "wheels", "README.md"}
    assert names == stubs | kit | {"cifar.ipynb"}
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


# Stands in for python3: records where, and with which paths, the grader was started.
RECORDING_PYTHON = """\
#!/usr/bin/env bash
printf '%s\\n' "$PWD" "${{PYTHONPATH-}}" "${{GRADER_COURSE-}}" > "{record}"
exec "{python}" "$@"
"""


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle") / "autograder.zip"
    result = CliRunner().invoke(app, ["bundle", "layers", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _script(archive_path: Path, name: str) -> str:
    with zipfile.ZipFile(archive_path) as archive:
        return archive.read(name).decode()


def _commands(script: str) -> list[str]:
    return [line for line in script.splitlines() if line and not line.startswith("#")]


def _extract(archive_path: Path, source: Path) -> Path:
    with zipfile.ZipFile(archive_path) as archive:
        archive.extractall(source)
    return source


def _fake_autograder(archive_path: Path, tmp_path: Path, submission: Path) -> Path:
    """/autograder as Gradescope builds it: the zip extracted into source/, run_autograder
    copied beside it, the student's files in submission/ (setup.sh not run: the engine is
    already installed here)."""
    root = tmp_path / "autograder"
    source = _extract(archive_path, root / "source")
    shutil.copy(source / "run_autograder", root / "run_autograder")
    shutil.copytree(submission, root / "submission")
    return root


def _lock_source(root: Path) -> None:
    """setup.sh's chown and chmod lines, run on the fake tree (chown only when we are root,
    as setup.sh is)."""
    verbs = ("chown", "chmod") if os.geteuid() == 0 else ("chmod",)
    for line in _commands((root / "source" / "setup.sh").read_text()):
        if line.startswith(verbs):
            command = line.replace("/autograder/source", shlex.quote(str(root / "source")))
            subprocess.run(["bash", "-euc", command], check=True)


def _run_autograder(root: Path) -> tuple[dict, list[str]]:
    """Run run_autograder on the fake tree; the results, and the working folder, PYTHONPATH
    and GRADER_COURSE the grader was started with."""
    record = root.parent / "started"
    python = root.parent / "python3"
    python.write_text(RECORDING_PYTHON.format(record=record, python=sys.executable))
    python.chmod(0o755)
    environment = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": str(python)}
    completed = subprocess.run(
        ["bash", str(root / "run_autograder")],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=root.parent,
    )
    assert completed.returncode == 0, completed.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    return results, record.read_text().splitlines()


def test_the_bundle_holds_the_scripts_the_engine_and_the_course_pack(autograder_zip: Path) -> None:
    with zipfile.ZipFile(autograder_zip) as archive:
        names = archive.namelist()
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
    assert modes["setup.sh"] == modes["run_autograder"] == 0o755
    assert {
        "grader/cli.py",
        "reference/assignments/layers.py",
        "assignments/layers/layers.py",
    } <= set(names)
    tops = {name.split("/")[0] for name in names}
    assert tops == {
        *("setup.sh", "run_autograder", "pyproject.toml", "README.md"),
        *("grader", "reference", "assignments"),
    }
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


def test_setup_sh_installs_the_engine_only(autograder_zip: Path, tmp_path: Path) -> None:
    setup = _script(autograder_zip, "setup.sh")
    assert "Ubuntu 22.04" in setup and "Python >= 3.10" in setup
    commands = _commands(setup)
    (apt,) = [line for line in commands if line.startswith("apt-get install")]
    assert {"python3", "python3-pip", "bubblewrap"} <= set(shlex.split(apt))
    assert [line for line in commands if line.startswith("pip3 install")] == [
        "pip3 install -q /autograder/source",  # layers needs no torch
    ]
    assert "chmod -R go-rwx /autograder/source" in commands
    assert subprocess.run(["bash", "-n"], input=setup, text=True).returncode == 0
    (version_check,) = [line for line in commands if line.startswith("python3 -c")]
    assert subprocess.run(["bash", "-c", version_check]).returncode == 0
    source = _extract(autograder_zip, tmp_path / "source")
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
    subprocess.run([*pip, "--no-index", "-w", str(wheels), str(source)], check=True)
    (wheel,) = wheels.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        tops = {name.split("/")[0] for name in archive.namelist()}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"grader"}


def test_setup_sh_installs_the_cpu_build_of_torch_where_an_assignment_needs_it() -> None:
    installs = {
        assignment: [
            line
            for line in _commands(setup_script(load_assignment(assignment)))
            if line.startswith("pip3 install")
        ]
        for assignment in ("gpu", "all")
    }
    assert (
        installs["gpu"]
        == installs["all"]
        == [
            "pip3 install -q torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu",
            "pip3 install -q /autograder/source",
        ]
    )


def test_the_gradescope_bundle_grades_a_submission(autograder_zip: Path, tmp_path: Path) -> None:
    root = _fake_autograder(autograder_zip, tmp_path, reference_submission(tmp_path / "student"))
    _lock_source(root)
    for path in [root / "source", *(root / "source").rglob("*")]:
        assert path.stat().st_mode & 0o077 == 0, path
        assert os.geteuid() != 0 or path.stat().st_uid == 0, path
    results, (cwd, pythonpath, course) = _run_autograder(root)
    assert results["score"] == results["extra_data"]["max_score"] > 0
    assert results["extra_data"]["assignment"] == "layers"
    assert all(test["status"] == "passed" for test in results["tests"])
    assert "hidden" in {test["visibility"] for test in results["tests"]}
    visible = sum(t["max_score"] for t in results["tests"] if t["visibility"] == "visible")
    assert f"Visible checks: {visible:g}/{visible:g}" in results["output"]
    assert f"{results['score']:g}" not in results["output"]
    assert (cwd, course) == (str(root), str(root / "source"))
    assert not [entry for entry in pythonpath.split(":") if entry.startswith(str(root))]
    script = (root / "run_autograder").read_text()
    assert not [line for line in _commands(script) if "PYTHONPATH" in line]


def test_the_gradescope_bundle_explains_an_unreadable_submission(
    autograder_zip: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "nothing"
    empty.mkdir()
    (empty / "notes.txt").write_text("I forgot my code")
    results, _ = _run_autograder(_fake_autograder(autograder_zip, tmp_path, empty))
    assert results["score"] == 0
    assert "could not be read" in results["output"]


def test_the_bundle_must_be_a_zip(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["bundle", "layers", "--out", str(tmp_path / "x.tar")])
    assert result.exit_code == 2


@pytest.mark.slow
@pytest.mark.parametrize("assignment", [a for a in ASSIGNMENTS if a not in ("optimizers", "gpu")])
def test_validate_every_assignment(assignment: str) -> None:
    """The reference scores full marks, the stubs zero, and the same seed gives the same
    report: the course pack's own test, for every assignment (optimizers through the
    command, below; gpu in test_gpu.py, which also reads the timings of its reports)."""
    outcome = validate(assignment, GradeOptions(timeout=10.0))
    assert not outcome.problems, outcome.problems
    assert outcome.stubs.startswith("0/")


@pytest.mark.slow
def test_validate_command_reports_each_assignment() -> None:
    result = CliRunner().invoke(app, ["validate", "optimizers"])
    assert result.exit_code == 0, result.output
    (row,) = [line for line in result.output.splitlines() if "│ optimizers" in line]
    assert " 0/" in row and "│ yes" in row and "│ ok" in row, result.output
    # three gradings of 12 functions, one line each where there is no terminal
    assert "validating [36/36] optimizers: ema_update" in result.output
