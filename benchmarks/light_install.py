"""Benchmark: a NumPy-only install. In a fresh virtual environment, `pip install` of this
checkout (torch is the `gpu` extra, so none comes with it) grades the NumPy sample with the
real `grader` command, while grading the `gpu` assignment stops with what to install; then
torch is added and the same `gpu` command grades. Prints the environment's size (du) before
and after torch, and each command's exit code and time.

pip takes what it can from its cache; the rest comes from the package registry. Run:
python benchmarks/light_install.py [--torch 'torch==2.13.0'] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def megabytes(path: Path) -> int:
    """The folder's size on disk, as du counts it (MiB)."""
    return int(
        subprocess.run(
            ["du", "-sm", str(path)], capture_output=True, text=True, check=True
        ).stdout.split()[0]
    )


def timed(label: str, command: list[str]) -> subprocess.CompletedProcess:
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    print(f"{label}: exit {done.returncode} in {time.perf_counter() - began:.1f} s")
    return done


def pip_install(venv: Path, *requirements: str) -> None:
    done = timed(
        f"pip install {' '.join(requirements)}",
        [str(venv / "bin" / "pip"), "install", "-q", *requirements],
    )
    if done.returncode:
        sys.exit(done.stderr[-3000:])


def grade(venv: Path, assignment: str, submission: str, *options: str) -> int:
    """The real `grader grade` in the environment; prints its score, or its error."""
    command = ["grade", assignment, submission, *options]
    done = timed(
        f"  grader {' '.join(command)}",
        [str(venv / "bin" / "grader"), *command, "--format", "json"],
    )
    if done.returncode == 0:
        results = json.loads(done.stdout)
        print(f"    score {results['score']:g}/{results['extra_data']['max_score']:g}")
    else:
        print(f"    {' '.join(done.stderr.split())}")
    return done.returncode


# One quick gpu function: enough to show that torch is needed, or that it runs.
GPU = ("gpu", "assignments/gpu", "--only", "xavier_uniform_", "--device", "cpu")


def measure(venv: Path, torch: str) -> None:
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    empty = megabytes(venv)
    pip_install(venv, str(ROOT))
    probe = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import torch"], capture_output=True
    )
    assert probe.returncode != 0, "torch came with the NumPy-only install"
    numpy_only = megabytes(venv)
    print(f"  environment: {numpy_only} MB (an empty venv: {empty} MB), no torch")
    assert grade(venv, "layers", "examples/student_submission.py") == 0
    assert grade(venv, *GPU) == 2, "without torch, grading gpu is an environment error"
    pip_install(venv, torch)
    with_torch = megabytes(venv)
    print(f"  environment: {with_torch} MB with {torch} (+{with_torch - numpy_only} MB)")
    assert grade(venv, *GPU) == 0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--torch",
        default="torch==2.13.0",
        help="what to install for the gpu assignment (default: torch==2.13.0)",
    )
    parser.add_argument("--keep", type=Path, help="build the environment here and keep it")
    options = parser.parse_args()
    if options.keep:
        measure(options.keep, options.torch)
        return
    with tempfile.TemporaryDirectory(prefix="light-install-") as scratch:
        measure(Path(scratch) / "venv", options.torch)


if __name__ == "__main__":
    main()
