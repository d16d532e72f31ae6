"""The GitHub Actions templates parse, install what they should (the student kit, never the
course), and the commands they run do what the workflow expects (report files where the next
steps look for them, exit codes that colour the run)."""

from __future__ import annotations

import shlex
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from typer.testing import CliRunner

from grader.cli import app
from grader.release import public_checks
from grader.starter import reference_submission, starter_submission

TEMPLATES = ROOT / "ci" / "github"


def _steps(name: str) -> list[dict]:
    workflow = yaml.safe_load((TEMPLATES / name).read_text())
    (job,) = workflow["jobs"].values()
    return job["steps"]


def _grader_command(steps: list[dict], verb: str) -> list[str]:
    (command,) = [s["run"] for s in steps if s.get("run", "").startswith(f"grader {verb}")]
    return shlex.split(command.replace('"$ASSIGNMENT"', "layers"))


def _fake_kit(folder: Path, solved: bool) -> Path:
    """A student repository as the workflow checks it out: the kit's requirements.txt and
    wheels/ beside the student's files (the reference, or the untouched stubs). The pip step
    is not run here: this environment already has the grader the wheel would install."""
    if solved:
        reference_submission(folder)
    else:
        starter_submission("layers", folder)
    (folder / "wheels").mkdir()
    (folder / "requirements.txt").write_text("--find-links wheels\ndl-autograder\n")
    return folder


def test_student_workflow_installs_the_kit_and_never_the_course() -> None:
    workflow = (TEMPLATES / "student-check.yml").read_text()
    steps = _steps("student-check.yml")
    checkouts = [step for step in steps if "actions/checkout" in step.get("uses", "")]
    assert len(checkouts) == 1 and "with" not in checkouts[0]
    assert not [step for step in steps if "working-directory" in step]
    installs = [
        line.strip()
        for step in steps
        for line in step.get("run", "").splitlines()
        if line.strip().startswith("pip install")
    ]
    assert installs[-1] == "pip install -q -r requirements.txt"
    assert all(
        "requirements.txt" in line or "download.pytorch.org/whl/cpu" in line for line in installs
    )
    assert "git+" not in workflow and "dl-autograder" not in workflow


def test_student_workflow_check_writes_what_the_later_steps_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps = _steps("student-check.yml")
    command = _grader_command(steps, "check")[1:]
    junit = next(s for s in steps if "junit-report" in s.get("uses", ""))["with"]["report_paths"]
    public = len(public_checks("layers"))
    runner = CliRunner()
    for solved, code in ((True, 0), (False, 1)):
        kit = _fake_kit(tmp_path / f"kit-{code}", solved)
        monkeypatch.chdir(kit)
        result = runner.invoke(app, command)
        assert result.exit_code == code, result.output
        assert "Visible checks: " in " ".join(result.output.split())
        suites = ElementTree.parse(kit / junit).getroot()
        checks = [suite for suite in suites if suite.get("name") != "submission"]
        assert sum(int(suite.get("tests")) for suite in checks) == public
        assert sum(int(suite.get("failures")) for suite in checks) == (0 if solved else public)
        stated = [suite for suite in suites if suite.get("name") == "submission"]
        assert bool(stated) == (not solved)  # the stubs, stated once as the submission's problem
        # the annotations' file, relative to the repository root the workflow checks out
        assert {suite.get("file") for suite in checks} == {"layers.py"}
        assert (kit / Path(junit).parent / "report.html").read_text().startswith("<!DOCTYPE html>")


def test_instructor_workflow_runs_a_resumable_batch() -> None:
    steps = _steps("instructor-batch.yml")
    command = next(s["run"] for s in steps if s.get("run", "").startswith("grader batch"))
    assert "--out" in command and "--workers" in command
    assert any("actions/cache" in s.get("uses", "") for s in steps)
