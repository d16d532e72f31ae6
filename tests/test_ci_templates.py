"""The GitHub Actions templates parse, and the commands they run do what the workflow
expects (report files where the next steps look for them, exit codes that colour the run)."""

from __future__ import annotations

import shlex
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import yaml
from conftest import ROOT
from typer.testing import CliRunner

from grader.cli import app
from grader.starter import reference_submission, starter_submission

TEMPLATES = ROOT / "ci" / "github"


def _steps(name: str) -> list[dict]:
    workflow = yaml.safe_load((TEMPLATES / name).read_text())
    (job,) = workflow["jobs"].values()
    return job["steps"]


def _grader_command(steps: list[dict], verb: str) -> list[str]:
    (command,) = [s["run"] for s in steps if s.get("run", "").startswith(f"grader {verb}")]
    return shlex.split(command.replace('"$ASSIGNMENT"', "layers"))


def test_student_workflow_check_writes_what_the_later_steps_read(tmp_path: Path) -> None:
    steps = _steps("student-check.yml")
    arguments = _grader_command(steps, "check")[1:]
    junit = next(s for s in steps if "junit-report" in s.get("uses", ""))["with"]["report_paths"]
    runner = CliRunner()
    for submission, code in (
        (reference_submission(tmp_path / "good"), 0),
        (starter_submission("layers", tmp_path / "stubs"), 1),
    ):
        out = tmp_path / f"out-{code}"
        command = [str(submission) if a == "." else a for a in arguments]
        command = [str(out) if a == "grader-report" else a for a in command]
        result = runner.invoke(app, command)
        assert result.exit_code == code, result.output
        report = out / Path(junit).name
        suites = ElementTree.parse(report).getroot()
        assert int(suites.get("failures")) == (0 if code == 0 else int(suites.get("tests")))
        assert (out / "report.html").read_text().startswith("<!DOCTYPE html>")


def test_instructor_workflow_runs_a_resumable_batch() -> None:
    steps = _steps("instructor-batch.yml")
    command = next(s["run"] for s in steps if s.get("run", "").startswith("grader batch"))
    assert "--out" in command and "--workers" in command
    assert any("actions/cache" in s.get("uses", "") for s in steps)
