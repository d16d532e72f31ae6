"""Benchmark: grading the reference on `layers` (target < 20 s on 2 cores) and the
student command `grader check layers` on a passing submission (target < 5 s).

Prints wall time, worker start-up time and the share of time inside student and
reference calls. Run: python benchmarks/grade_layers.py [--repeat N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader.grading import GradeOptions, grade

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as scratch:
        submission = Path(scratch) / "submission"
        submission.mkdir()
        shutil.copy(ROOT / "reference" / "layers.py", submission / "layers.py")
        walls = []
        for _ in range(repeat):
            began = time.perf_counter()
            report = grade("layers", submission, GradeOptions())
            walls.append(time.perf_counter() - began)
            assert report.score == report.max_score, "the reference must score full marks"
        t = report.timings
        wall = statistics.median(walls)
        print(f"grade layers (reference, in-process), median of {repeat}: {wall:.2f} s")
        print(f"  worker start-up:        {t['worker_start']:.3f} s")
        for key, label in (("student_calls", "student"), ("reference_calls", "reference")):
            share = t[key] / wall
            print(f"  inside {label} calls: {t[key]:.2f} s ({share:.0%} of the wall time)")
        checks = []
        for _ in range(repeat):
            began = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "grader", "check", "layers", str(submission)],
                check=True,
                capture_output=True,
            )
            checks.append(time.perf_counter() - began)
        median = statistics.median(checks)
        print(f"grader check layers (command line, passing), median: {median:.2f} s")


if __name__ == "__main__":
    main()
