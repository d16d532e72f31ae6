"""Time: a batched call gets the time of all its calls, a timeout names the function that
was running, and a whole-grading deadline still writes every report (grader-cli.md)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from grader.batch import run_batch
from grader.grading import GradeOptions, grade

SLOW_RELU = textwrap.dedent(
    """
    import time
    import numpy as np

    PAUSE = {pause}


    def relu_forward(x):
        time.sleep(PAUSE)
        out = np.maximum(0, x)
        cache = x
        return out, cache


    def relu_backward(dout, cache):
        time.sleep({backward_pause})
        x = cache
        dx = dout.copy()
        dx[x <= 0] = 0
        return dx
    """
)


def slow_relu(directory: Path, pause: float, backward_pause: float = 0.0) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    source = SLOW_RELU.format(pause=pause, backward_pause=backward_pause)
    (directory / "layers.py").write_text(source)
    return directory


def test_a_slow_but_correct_function_keeps_full_marks(tmp_path: Path) -> None:
    """Each call takes half the per-call timeout, so the numerical gradient's batch of
    about 100 forwards takes far longer than one timeout: it gets one per call."""
    submission = slow_relu(tmp_path / "slow", pause=0.05, backward_pause=0.05)
    began = time.monotonic()
    report = grade("layers", submission, GradeOptions(timeout=0.1, only=("relu_backward",)))
    print(f"graded in {time.monotonic() - began:.1f} s")
    assert report.score == report.max_score, [r.feedback for r in report.results if not r.passed]
    assert not report.deadline_note


def test_a_timeout_names_the_slow_forward_not_the_graded_backward(tmp_path: Path) -> None:
    submission = slow_relu(tmp_path / "stuck", pause=3.0)
    report = grade("layers", submission, GradeOptions(timeout=0.3, only=("relu_backward",)))
    feedback = "\n".join(result.feedback for result in report.results)
    assert report.score == 0
    assert "relu_forward did not finish within 0.3 s" in feedback, feedback
    assert "it was running layers.py, line 9, in relu_forward: time.sleep(PAUSE)" in feedback
    assert "relu_backward did not finish" not in feedback


def grader(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "grader", *args], capture_output=True, text=True, timeout=120
    )


def test_past_the_deadline_checks_are_not_run_and_every_report_is_written(
    tmp_path: Path,
) -> None:
    submission = slow_relu(tmp_path / "slow", pause=0.5, backward_pause=0.5)
    out = tmp_path / "reports"
    began = time.monotonic()
    result = grader(
        "grade", "layers", str(submission), "--deadline", "3", "--timeout", "5",
        "--format", "text", "--format", "json", "--format", "md", "--out", str(out),
    )  # fmt: skip
    assert time.monotonic() - began < 60
    assert result.returncode == 0, result.stderr
    text = result.stdout  # the text report (stderr has the progress lines)
    assert text.lstrip().startswith("The grading deadline of 3 s passed"), text[:300]
    data = json.loads((out / "report.json").read_text())
    assert data["output"].startswith("The grading deadline of 3 s passed")
    assert data["extra_data"]["deadline_note"]
    not_run = [test for test in data["tests"] if test["output"].startswith("not run: out of time")]
    assert not_run and all(test["score"] == 0 for test in not_run)
    assert not_run[-1]["output"] == "not run: out of time (the grading deadline of 3 s passed)"
    assert data["tests"][-1] in not_run  # the last function was never reached
    assert "The grading deadline of 3 s passed" in (out / "report.md").read_text()


@pytest.mark.parametrize("command", ["grade", "check", "batch"])
def test_the_deadline_must_be_positive(command: str, tmp_path: Path) -> None:
    args = {"batch": [str(tmp_path), "--out", str(tmp_path / "out")]}.get(command, [str(tmp_path)])
    result = grader(command, "layers", *args, "--deadline", "0")
    assert result.returncode == 2
    assert "--deadline must be positive" in " ".join(result.stderr.split())


def test_batch_gives_each_student_the_whole_deadline(tmp_path: Path) -> None:
    """Per student: the second student's grading starts its own clock."""
    for student in ("ana", "ben"):
        slow_relu(tmp_path / "class" / student, pause=0.4, backward_pause=0.4)
    options = GradeOptions(timeout=5.0, deadline=2.0, only=("relu_forward", "relu_backward"))
    result = run_batch("layers", tmp_path / "class", tmp_path / "out", 1, options)
    assert [row.student for row in result.rows] == ["ana", "ben"]
    for row in result.rows:
        assert row.status == "graded"
        assert row.message.startswith("The grading deadline of 2 s passed")
        assert row.seconds >= 1.5  # each ran on its own clock, however loaded the machine
        assert "not run: out of time" in json.loads(row.report_json)["tests"][-1]["output"]
