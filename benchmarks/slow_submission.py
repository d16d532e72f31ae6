"""Benchmark: a correct but slow `layers.py`, every public function taking PAUSE seconds
(0.25 by default) per call, graded as Gradescope would (default timeout and deadline).

Target: full marks within the deadline (540 s). Prints the wall time, the score, the time
spent inside student calls and the checks that lost points. The submission is
tests/corpus/layers/correct_alt/layers.py with each public function wrapped in a pause.

Run: python benchmarks/slow_submission.py [--pause SECONDS] [--deadline SECONDS]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from grader.grading import DEFAULT_DEADLINE, GradeOptions, grade
from grader.report.model import format_score

CORRECT = Path(__file__).resolve().parents[1] / "tests/corpus/layers/correct_alt/layers.py"
SLOWDOWN = """

import functools as _functools
import time as _time


def _after_a_pause(function):
    @_functools.wraps(function)
    def paused(*args, **kwargs):
        _time.sleep({pause})
        return function(*args, **kwargs)

    return paused


for _name, _value in list(globals().items()):
    if callable(_value) and not _name.startswith("_") and _value.__module__ == __name__:
        globals()[_name] = _after_a_pause(_value)
"""


def slow_submission(directory: Path, pause: float) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "layers.py").write_text(CORRECT.read_text() + SLOWDOWN.format(pause=pause))
    return directory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pause", type=float, default=0.25)
    parser.add_argument("--deadline", type=float, default=DEFAULT_DEADLINE)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        submission = slow_submission(Path(scratch) / "slow", options.pause)
        began = time.perf_counter()
        report = grade("layers", submission, GradeOptions(deadline=options.deadline))
        wall = time.perf_counter() - began
    print(f"slow layers ({options.pause:g} s per call), deadline {options.deadline:g} s")
    print(
        f"  wall time: {wall:.1f} s, inside student calls: {report.timings['student_calls']:.1f} s"
    )
    print(f"  score: {format_score(report)} ({report.percent:.1f}%)")
    if report.deadline_note:
        print(f"  {report.deadline_note}")
    for result in report.results:
        if not result.passed:
            print(
                f"  lost {format_score(result)}: {result.name}: {result.feedback.splitlines()[-1]}"
            )


if __name__ == "__main__":
    main()
