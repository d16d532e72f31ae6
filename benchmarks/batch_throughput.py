"""Benchmark: `grader batch` throughput on a class built from the layers corpus, graded
from scratch with 1 and with 2 workers (target on 2 cores: 2 workers at least 1.7x as
fast as 1, since every grading is its own process pair).

Prints seconds and submissions per second for each, and the ratio. The timings are wall
times: on a machine shared with other work they move with its load, so each line also
says how idle the machine's cores were meanwhile (with 1 worker about half of 2 cores
should be; much less means other work competed) and the load average after it.
Run: python benchmarks/batch_throughput.py [--students N] [--workers 1 2 ...] [--repeat N]
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from rich.console import Console

from grader.batch import run_batch
from grader.grading import GradeOptions

TESTS = Path(__file__).resolve().parents[1] / "tests"


def corpus_helpers() -> ModuleType:
    """The tests' helpers that build submissions from the corpus (tests/conftest.py)."""
    sys.path.insert(0, str(TESTS))
    return importlib.import_module("conftest")


def build_class(directory: Path, students: int) -> Path:
    """The reference plus `students - 1` corpus mistakes, one folder each."""
    helpers = corpus_helpers()
    helpers.copy_reference(directory / "reference")
    fragments = sorted((helpers.CORPUS / "bugs").glob("*/*.py"))
    step = max(1, len(fragments) // max(1, students - 1))
    for index, fragment in enumerate(fragments[::step][: students - 1]):
        helpers.submission_with(fragment, directory / f"s{index:02d}_{fragment.stem}")
    return directory


def cpu_ticks() -> tuple[int, int]:
    """(idle, total) jiffies of the whole machine since boot (Linux /proc/stat)."""
    fields = [int(field) for field in Path("/proc/stat").read_text().split()[1:9]]
    return fields[3] + fields[4], sum(fields)


def time_batch(submissions: Path, workers: int) -> tuple[float, float]:
    """(wall seconds, share of the machine's CPU time left idle meanwhile): little idle
    time with one worker means other work was competing for the cores."""
    with tempfile.TemporaryDirectory(prefix="batch-bench-out-") as out:
        began, (idle, total) = time.perf_counter(), cpu_ticks()
        result = run_batch(
            "layers", submissions, Path(out), workers, GradeOptions(), console=Console(quiet=True)
        )
        elapsed, (idle_after, total_after) = time.perf_counter() - began, cpu_ticks()
    assert not result.skipped and all(row.status == "graded" for row in result.rows)
    return elapsed, (idle_after - idle) / max(1, total_after - total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the best one counts")
    args = parser.parse_args()
    rates: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="batch-bench-class-") as scratch:
        submissions = build_class(Path(scratch) / "class", args.students)
        count = sum(1 for _ in submissions.iterdir())
        for _ in range(args.repeat):  # interleaved, so load from other work hits each alike
            for workers in args.workers:
                elapsed, idle = time_batch(submissions, workers)
                rates[workers] = max(rates.get(workers, 0.0), count / elapsed)
                print(
                    f"{workers} worker(s): {count} submissions in {elapsed:.1f} s, "
                    f"{count / elapsed:.2f} submissions/s (machine idle {idle:.0%}, "
                    f"load average {os.getloadavg()[0]:.1f})",
                    flush=True,
                )
    first, *others = args.workers
    for workers in others:
        print(
            f"best of {args.repeat}: {workers} workers {rates[workers]:.2f}/s vs {first} "
            f"{rates[first]:.2f}/s: {rates[workers] / rates[first]:.2f}x"
        )


if __name__ == "__main__":
    main()
