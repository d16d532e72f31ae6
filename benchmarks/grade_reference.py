"""Benchmark: grading the reference of each assignment (targets on 2 cores: layers,
optimizers and initializers each < 20 s, cifar < 60 s with the 20-image sample, gpu < 90 s
on the CPU) and the student command `grader check layers` on a passing submission (< 5 s).

Prints wall time, worker start-up time and the share of time inside student and
reference calls. Run: python benchmarks/grade_reference.py [ASSIGNMENT ...] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader.grading import GradeOptions, grade
from grader.starter import reference_submission


def bench_grade(assignment: str, submission: Path, repeat: int) -> None:
    walls = []
    for _ in range(repeat):
        began = time.perf_counter()
        report = grade(assignment, submission, GradeOptions())
        walls.append(time.perf_counter() - began)
        assert report.score == report.max_score, "the reference must score full marks"
    wall, timings = statistics.median(walls), report.timings
    print(f"grade {assignment} (reference, in-process), median of {repeat}: {wall:.2f} s")
    print(f"  worker start-up: {timings['worker_start']:.3f} s")
    for key, label in (("student_calls", "student"), ("reference_calls", "reference")):
        share = timings[key] / wall
        print(f"  inside {label} calls: {timings[key]:.2f} s ({share:.0%} of the wall time)")


def bench_check(submission: Path, repeat: int) -> None:
    walls = []
    for _ in range(repeat):
        began = time.perf_counter()
        command = [sys.executable, "-m", "grader", "check", "layers", str(submission)]
        subprocess.run(command, check=True, capture_output=True)
        walls.append(time.perf_counter() - began)
    median = statistics.median(walls)
    print(f"grader check layers (command line, passing), median of {repeat}: {median:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "assignments", nargs="*", default=["layers", "optimizers", "initializers", "cifar", "gpu"]
    )
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        submission = reference_submission(Path(scratch) / "submission")
        for assignment in options.assignments:
            bench_grade(assignment, submission, options.repeat)
        bench_check(submission, options.repeat)


if __name__ == "__main__":
    main()
