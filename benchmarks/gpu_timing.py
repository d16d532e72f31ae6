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


def self_timing(runs: int, device: str) -> list[str]:
    """Grade the reference against itself `runs` times: per timed object its ratios and the
    reference's noise, the scores seen and the wall times, as printable lines."""
    ratios: dict[str, list[str]] = {}
    noises: dict[str, list[str]] = {}
    scores, walls = set(), []
    with tempfile.TemporaryDirectory() as scratch:
        submission = reference_submission(Path(scratch) / "reference")
        for run in range(runs):
            began = time.perf_counter()
            report = grade("gpu", submission, GradeOptions(seed=run, device=device))
            walls.append(time.perf_counter() - began)
            scores.add(report.score)
            for result in report.results:
                if result.kind == "runs_as_fast_as_reference":
                    _, _, ratio, noise = result.attachments.tables[0].rows[0]
                    ratios.setdefault(result.function, []).append(ratio)
                    noises.setdefault(result.function, []).append(noise)
    lines = [
        f"device: {report.device}; {runs} gradings of the reference",
        f"grade gpu wall time: min {min(walls):.1f} s, max {max(walls):.1f} s",
        f"scores seen: {sorted(scores)} (max {report.max_score:g})",
    ]
    lines += [
        f"  {function}: ratios {' '.join(values)}; noise {' '.join(noises[function])}"
        for function, values in ratios.items()
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--device", default="auto")
    args = parser.parse_args()
    print("\n".join(self_timing(args.runs, args.device)))


if __name__ == "__main__":
    main()
