"""The `gpu` assignment beyond the shared corpus tests: the timing credit curve, the
report naming the device, and the device option."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import graded
from typer.testing import CliRunner

from grader.checks.timing import CREDIT, MARGIN, credit, settled
from grader.cli import app
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


def test_the_report_names_the_device_and_the_times(tmp_path: Path) -> None:
    report = graded(reference_submission(tmp_path / "reference"), assignment="gpu")
    assert "CPU" in report.device
    timed = [r for r in report.results if r.kind == "runs_as_fast_as_reference"]
    assert len(timed) == 5
    for result in timed:
        (table,) = result.attachments.tables
        assert "CPU" in table.title
        assert table.columns[:3] == ("yours (ms)", "reference (ms)", "ratio")


def test_asking_for_cuda_without_one_is_a_usage_error(tmp_path: Path) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    result = CliRunner().invoke(
        app, ["grade", "gpu", str(reference_submission(tmp_path)), "--device", "cuda"]
    )
    assert result.exit_code == 2
    assert "no CUDA device" in result.output
