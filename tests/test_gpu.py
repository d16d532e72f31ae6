"""The `gpu` assignment beyond the shared corpus tests: the timing credit curve, the
report naming the device, and the device option."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from unittest import mock

import pytest
from conftest import CORPORA, FAST, TIMED, needs_packages_of, submission_with, untimed
from typer.testing import CliRunner

from grader import grading, release
from grader.assignments import load_assignment
from grader.checks.timing import CREDIT, MARGIN, credit, settled
from grader.cli import app
from grader.grading import GradeOptions, grade
from grader.report.model import Report
from grader.starter import reference_submission


@pytest.mark.parametrize(
    ("ratio", "share"),
    [(0.4, 1.0), (1.0, 1.0), (1.7, 1.0), (1.8, 0.75), (2.5, 0.5), (4.5, 0.25), (4.7, 0.0)],
)
def test_credit_curve_with_its_margin(ratio: float, share: float) -> None:
    assert credit(ratio) == share


def test_every_edge_is_widened_by_the_margin() -> None:
    for edge, share in CREDIT:
        assert credit(edge * (1 + MARGIN)) == share
        assert credit(edge * (1 + MARGIN) * 1.001) < share


def test_a_ratio_near_an_edge_is_not_settled_until_the_noise_allows() -> None:
    edge = CREDIT[0][0] * (1 + MARGIN)
    steady = [0.100] * 7
    assert settled([edge * 0.1 * 0.99] * 7, steady)
    noisy = [0.09, 0.11] * 4
    assert not settled([edge * 0.1] * 8, noisy)


@pytest.mark.slow
@needs_packages_of("gpu")
def test_validate_passes_and_the_report_names_the_device_and_the_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`validate` (the reference scores full marks, the stubs zero, the same seed gives the
    same report), and its report of the reference names the device and times each timed
    check there: read from validate's own gradings, each of which times every timed check."""
    reports = []

    def kept(*args: object, **kwargs: object) -> Report:
        reports.append(grade(*args, **kwargs))
        return reports[-1]

    monkeypatch.setattr(release, "grade", kept)
    outcome = release.validate("gpu", GradeOptions(timeout=10.0))
    assert not outcome.problems, outcome.problems
    assert outcome.stubs.startswith("0/")
    report = reports[0]
    assert "CPU" in report.device
    timed = [r for r in report.results if r.kind == TIMED]
    assert len(timed) == 5
    for result in timed:
        (table,) = result.attachments.tables
        assert "CPU" in table.title
        assert table.columns[:3] == ("yours (ms)", "reference (ms)", "ratio")


@needs_packages_of("gpu")
def test_asking_for_cuda_without_one_is_a_usage_error(tmp_path: Path) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    result = CliRunner().invoke(
        app, ["grade", "gpu", str(reference_submission(tmp_path)), "--device", "cuda"]
    )
    assert result.exit_code == 2
    assert "no CUDA device" in result.output


STUDENT_OPTIMIZER_RUN = """
import sys
import numpy as np
import torch
import torch_driver

class Plain(torch.optim.Optimizer):
    def __init__(self, params, lr):
        super().__init__(params, {"lr": lr})

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    self.state[p]["steps"] = self.state[p].get("steps", 0) + 1
                    p.add_(p.grad, alpha=-group["lr"])

class Worker:
    def function(self, module, name):
        return Plain

trajectory = torch_driver.optimizer_trajectory(
    Worker(), "student", "Plain", [np.ones(2)], [[[0], {}]], {"lr": 0.5},
    [[np.ones(2)]] * 3, "float64", "cpu", reload_at=2,
)
print([float(step[0][0]) for step in trajectory], "torch._dynamo" in sys.modules)
"""


@needs_packages_of("gpu")
def test_driving_an_optimizer_leaves_the_torch_compiler_unloaded() -> None:
    """torch.optim.Optimizer's bookkeeping would import torch._dynamo on first use (more CPU
    than torch itself, in every student worker): the driver keeps it out, and a student's
    optimizer steps, saves and reloads its state as before."""
    ran = subprocess.run(
        [sys.executable, "-c", STUDENT_OPTIMIZER_RUN],
        cwd=Path(grading.__file__).parent / "sandbox",
        capture_output=True,
        text=True,
        check=True,
    )
    assert ran.stdout.split("] ") == ["[0.5, 0.0, -0.5", "False\n"]


@pytest.mark.slow
@needs_packages_of("gpu")
def test_a_kept_reference_worker_gives_the_verdicts_of_a_fresh_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The session keeps reference workers (conftest); reused after other gradings, one
    gives what a worker started for the grading gives, feedback included (timings aside:
    they are measured, never the same twice, so the timed checks are left out)."""
    (spec,) = load_assignment("gpu")
    monkeypatch.setattr(grading, "load_assignment", lambda _: [untimed(spec)])
    submission = submission_with(
        CORPORA / "gpu" / "bugs" / "xavier_uniform_" / "slides_bound.py", tmp_path / "bug"
    )
    only = ("xavier_uniform_", "SGD")  # an initializer and a stateful optimizer
    options = replace(FAST, only=only)
    kept = [grade("gpu", submission, options) for _ in range(2)]
    with mock.patch.object(grading, "_kept", None):
        fresh = grade("gpu", submission, options)
    verdicts = [
        [(result.name, result.score, result.feedback) for result in report.results]
        for report in (*kept, fresh)
    ]
    assert verdicts[0] == verdicts[1] == verdicts[2]
    assert any(score < 2 for _, score, _ in verdicts[0])
