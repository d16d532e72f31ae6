"""A NumPy-only install (torch is the `gpu` extra): the real `grader` command, run as without
PyTorch (tests/without_torch.py), grades a NumPy assignment without importing torch, and
every command that needs the gpu assignment's torch stops at once with what to install. A
real install in a fresh venv, with its size: benchmarks/light_install.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

RUNNER = Path(__file__).with_name("without_torch.py")
TORCH_IMPORTED = "torch imported"


def grader_without_torch(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(RUNNER), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def test_a_numpy_assignment_grades_without_importing_torch() -> None:
    done = grader_without_torch(
        "grade", "layers", "examples/student_submission.py", "-k", "affine", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    assert TORCH_IMPORTED not in done.stderr
    results = json.loads(done.stdout)
    assert {test["tags"][0] for test in results["tests"]} == {"affine_forward", "affine_backward"}
    assert 0 < results["score"] < results["extra_data"]["max_score"]  # its affine_backward bug


@pytest.mark.parametrize(
    "command",
    [
        ("grade", "gpu", "assignments/gpu"),
        ("batch", "gpu", "assignments", "--out", "{tmp}/batch"),
        ("validate",),
        ("release", "gpu", "--out", "{tmp}/kit"),
    ],
    ids=lambda command: command[0],
)
def test_a_command_that_needs_torch_says_what_to_install(
    command: tuple[str, ...], tmp_path: Path
) -> None:
    """One error before any work (no worker, no file written), exit code 2, no traceback."""
    done = grader_without_torch(*(arg.format(tmp=tmp_path) for arg in command))
    assert done.returncode == 2, done.stderr
    message = " ".join(done.stderr.split())
    assert message.startswith("error: the gpu assignment needs torch, which this Python")
    assert message.endswith("install it with: pip install torch")
    assert TORCH_IMPORTED not in done.stderr and "Traceback" not in done.stderr
    assert not list(tmp_path.iterdir())
