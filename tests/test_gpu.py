"""The `gpu` assignment beyond the shared corpus tests: the timing credit curve, the
report naming the device, and the device option."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from unittest import mock

import pytest
from conftest import CORPORA, FAST, graded, needs_packages_of, submission_with
from typer.testing import CliRunner

from grader import grading
from grader.checks.timing import CREDIT, MARGIN, RunsAsFastAsReference, credit, settled
from grader.cli import app
from grader.grading import grade
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
def test_the_report_names_the_device_and_the_times(tmp_path: Path) -> None:
    report = graded(reference_submission(tmp_path / "reference"), assignment="gpu")
    assert "CPU" in report.device
    timed = [r for r in report.results if r.kind == "runs_as_fast_as_reference"]
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


TIMED = RunsAsFastAsReference.kind


@pytest.mark.slow
@needs_packages_of("gpu")
def test_a_kept_reference_worker_gives_the_verdicts_of_a_fresh_one(tmp_path: Path) -> None:
    """The session keeps reference workers (conftest); reused after other gradings, one
    gives what a worker started for the grading gives, feedback included."""
    submission = submission_with(
        CORPORA / "gpu" / "bugs" / "xavier_uniform_" / "slides_bound.py", tmp_path / "bug"
    )
    only = ("xavier_uniform_", "SGD")  # an initializer and a stateful optimizer
    options = replace(FAST, only=only)
    kept = [grade("gpu", submission, options) for _ in range(2)]
    with mock.patch.object(grading, "_kept", None):
        fresh = grade("gpu", submission, options)
    verdicts = [
        [(r.name, r.score, r.feedback) for r in report.results if r.kind != TIMED]
        for report in (*kept, fresh)
    ]
    assert verdicts[0] == verdicts[1] == verdicts[2]
    assert any(score < 2 for _, score, _ in verdicts[0])
