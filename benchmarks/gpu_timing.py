"""How stable the `gpu` timing checks are: grade the reference against itself several times
and print, per timed object, the ratios (ideal 1.0), the reference's round-to-round
variation (coefficient of variation) and whether the score ever moved.

    python benchmarks/gpu_timing.py [--runs 5] [--device auto|cpu|cuda]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from grader.grading import GradeOptions, grade
from grader.starter import reference_submission


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--device", default="auto")
    args = parser.parse_args()
    ratios: dict[str, list[str]] = {}
    noises: dict[str, list[str]] = {}
    scores, walls = set(), []
    with tempfile.TemporaryDirectory() as scratch:
        submission = reference_submission(Path(scratch) / "reference")
        for run in range(args.runs):
            began = time.perf_counter()
            report = grade("gpu", submission, GradeOptions(seed=run, device=args.device))
            walls.append(time.perf_counter() - began)
            scores.add(report.score)
            for result in report.results:
                if result.kind == "runs_as_fast_as_reference":
                    _, _, ratio, noise = result.attachments.tables[0].rows[0]
                    ratios.setdefault(result.function, []).append(ratio)
                    noises.setdefault(result.function, []).append(noise)
    print(f"device: {report.device}; {args.runs} gradings of the reference")
    print(f"grade gpu wall time: min {min(walls):.1f} s, max {max(walls):.1f} s")
    print(f"scores seen: {sorted(scores)} (max {report.max_score:g})")
    for function, values in ratios.items():
        print(f"  {function}: ratios {' '.join(values)}; noise {' '.join(noises[function])}")


if __name__ == "__main__":
    main()
