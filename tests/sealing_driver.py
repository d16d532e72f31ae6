"""Grades submissions on the `layers` functions named on the command line only, with whatever
grader the running Python imports (an editable or a regular install), and prints JSON:
the grader's file, the isolation, and per submission folder the points per function.

    python sealing_driver.py FUNCTIONS SUBMISSION_DIR...   (FUNCTIONS: comma-separated)

Run by tests/test_sealing.py in a fresh process per install mode.
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import grader
from grader.assignments import load_assignment
from grader.grading import GradeOptions, grade_submission
from grader.submission import load_submission


def main() -> None:
    names = sys.argv[1].split(",")
    (spec,) = load_assignment("layers")
    narrowed = replace(spec, functions=tuple(f for f in spec.functions if f.name in names))
    scores, isolation = {}, ""
    for folder in sys.argv[2:]:
        with tempfile.TemporaryDirectory() as scratch:
            submission = load_submission(Path(folder), Path(scratch) / "submission")
            results, isolation, *_ = grade_submission(
                narrowed, submission, GradeOptions(timeout=8.0), {}
            )
        points = {name: [0.0, 0.0] for name in names}
        for result in results:
            points[result.function][0] += result.score
            points[result.function][1] += result.max_score
        scores[Path(folder).name] = points
    print(json.dumps({"grader": grader.__file__, "isolation": isolation, "scores": scores}))


if __name__ == "__main__":
    main()
