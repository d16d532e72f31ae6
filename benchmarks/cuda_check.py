"""One-shot check of the `gpu` assignment on a device (CUDA where there is one): the
reference at full marks, each gpu mistake of the bug corpus losing points on its own object
only (graded on the objects it can change, as the tests do), and the reference timed
against itself (ratios, ideal 1.0, and the reference's coefficient of variation). Exit 1
when an expectation fails. Meant to run within 10 minutes on a GPU machine:

    PYTHONPATH=$PWD python benchmarks/cuda_check.py [--device cuda|cpu|auto] [--runs 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from conftest import (  # noqa: E402 - the corpus helpers live beside the tests
    CORPORA,
    fragment_constants,
    functions_at_risk,
    points_by_function,
    submission_with,
)
from gpu_timing import self_timing  # noqa: E402

from grader.assignments import load_assignment  # noqa: E402
from grader.grading import GradeOptions, grade, reference_workers_kept  # noqa: E402
from grader.starter import reference_submission  # noqa: E402


def mistake_verdict(fragment: Path, options: GradeOptions, scratch: Path) -> tuple[bool, str]:
    """Whether the fragment loses points on its object and on no other, and the line saying
    so."""
    (spec,) = load_assignment("gpu")
    target = fragment.parent.name
    submission = submission_with(fragment, scratch / fragment.parent.name / fragment.stem)
    at_risk = functions_at_risk(spec, submission, fragment)
    allowed = {target, *fragment_constants(fragment).get("MAY_LOSE", [])}
    totals = points_by_function(grade("gpu", submission, replace(options, only=at_risk)))
    score, maximum = totals[target]
    others = sorted(f for f, (s, m) in totals.items() if f not in allowed and s < m)
    ok = score < maximum and not others
    also = f", also lost: {', '.join(others)}" if others else ""
    lost = f"{target} {score:g}/{maximum:g}{also}"
    return ok, f"{'ok ' if ok else 'BAD'} {target}/{fragment.stem}: {lost}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda", choices=("cuda", "cpu", "auto"))
    parser.add_argument("--runs", type=int, default=3, help="reference-against-itself gradings")
    args = parser.parse_args()
    began = time.perf_counter()
    options = GradeOptions(device=args.device)
    failed = 0
    with reference_workers_kept(), tempfile.TemporaryDirectory() as scratch:
        reference = grade("gpu", reference_submission(Path(scratch) / "ref"), options)
        full = reference.score == reference.max_score
        failed += not full
        print(f"device: {reference.device}")
        print(f"{'ok ' if full else 'BAD'} reference: {reference.score:g}/{reference.max_score:g}")
        for fragment in sorted((CORPORA / "gpu" / "bugs").glob("*/*.py")):
            ok, line = mistake_verdict(fragment, options, Path(scratch))
            failed += not ok
            print(line, flush=True)
    print("\n".join(self_timing(args.runs, args.device)))
    print(f"{failed} expectation(s) failed; {time.perf_counter() - began:.0f} s in all")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
