"""Benchmark: a synthetic class through a local Dask cluster against the local process pool
(target: the Dask path within 10% of the pool's throughput on the same cores), and what
that means for 10,000 students x 5 assignments on N machines.

The class: the reference and the layers corpus's mistakes, cycled to `--students` entries
(a folder, a .py file or a .zip each, in turn), each graded whole, as a class is (on 2
cores 1,000 take about 15 minutes per path). `--only F ...` grades only these functions:
with gradings of a fraction of a second, the per-task overhead, which does not shrink with
the grading, weighs as much as it ever will.

Printed per path: wall time, submissions per second, the slot time per task that no
grading used (workers x wall - the gradings' own seconds, per task: what a path costs
beyond the work; for Dask this includes its scheduler), the coordinator's time per
recorded task (writing reports and the gradebook: it is serial, so it bounds a cluster's
rate), the CPU time per task of the coordinator and of the worker processes with their
sandboxes, and the coordinator's peak memory (for `local:N` the scheduler and the nannies
run in it too).
Then each assignment's reference is graded once here, and the projection table uses
those times.

Run: python benchmarks/class_scale.py [--students 1000] [--workers 2] [--only F ...]
     (the progress of each batch goes to stderr)
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from batch_throughput import corpus_helpers, cpu_ticks
from rich.console import Console

from grader import batch
from grader.assignments import assignment_ids
from grader.batch import BatchResult, run_batch
from grader.cluster import ClusterTarget
from grader.grading import GradeOptions, grade, reference_workers_kept

STUDENTS, ASSIGNMENTS = 10_000, 5
MACHINES = (1, 4, 16, 64)
CORES = 16  # per machine in the projection


def build_class(directory: Path, students: int) -> Path:
    """`students` entries: the reference and the corpus's mistakes in turn, handed in as
    a folder, a .py file or a .zip in turn."""
    helpers = corpus_helpers()
    template = directory.parent / "templates"
    sources = [helpers.copy_reference(template / "reference") / "layers.py"]
    for index, fragment in enumerate(sorted((helpers.CORPUS / "bugs").glob("*/*.py"))):
        sources.append(helpers.submission_with(fragment, template / f"m{index:03d}") / "layers.py")
    directory.mkdir()
    for index in range(students):
        source, name = sources[index % len(sources)], f"student{index:05d}"
        if index % 3 == 0:
            (directory / name).mkdir()
            shutil.copyfile(source, directory / name / "layers.py")
        elif index % 3 == 1:
            shutil.copyfile(source, directory / f"{name}.py")
        else:
            with zipfile.ZipFile(directory / f"{name}.zip", "w") as archive:
                archive.write(source, "layers.py")
    return directory


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds of this process (the coordinator; a LocalCluster's scheduler and
    nannies too) and of its finished children (the pool's or the cluster's worker
    processes, closed with it, and the sandboxes they started)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


@contextmanager
def peak_memory() -> Iterator[list[int]]:
    """The process's peak resident memory meanwhile (sampled every 50 ms), in a list."""
    peak, done = [rss_bytes()], threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], rss_bytes())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield peak
    finally:
        done.set()
        sampler.join()


@contextmanager
def recording_time() -> Iterator[list[float]]:
    """Seconds the coordinator spends recording each outcome (reports, gradebook row)."""
    seconds: list[float] = []
    original: Callable = batch.Recorder.__call__

    def timed(self: batch.Recorder, outcome: batch.Outcome) -> None:
        began = time.perf_counter()
        original(self, outcome)
        seconds.append(time.perf_counter() - began)

    batch.Recorder.__call__ = timed
    try:
        yield seconds
    finally:
        batch.Recorder.__call__ = original


def run(path: str, submissions: Path, workers: int, options: GradeOptions) -> dict:
    """One batch from scratch, with its figures."""
    cluster = ClusterTarget(local_workers=workers) if path == "dask" else None
    with (
        tempfile.TemporaryDirectory(prefix="class-scale-out-") as out,
        peak_memory() as peak,
        recording_time() as recording,
    ):
        began, (idle, total) = time.perf_counter(), cpu_ticks()
        (own, children) = cpu_seconds()
        result: BatchResult = run_batch(
            "layers",
            submissions,
            Path(out),
            None if cluster else workers,
            options,
            console=Console(quiet=True),
            cluster=cluster,
        )
        wall, (idle_after, total_after) = time.perf_counter() - began, cpu_ticks()
        own_after, children_after = cpu_seconds()
        coordinator, others = own_after - own, children_after - children
    graded = [row for row in result.rows if row.status == "graded"]
    assert len(graded) == len(result.rows), {row.status for row in result.rows}
    work = sum(row.seconds for row in graded)
    return {
        "wall": wall,
        "rate": len(graded) / wall,
        "overhead_ms": 1000 * (workers * wall - work) / len(graded),
        "grading_s": statistics.median(row.seconds for row in graded),
        "record_ms": 1000 * statistics.median(recording),
        "coordinator_cpu_ms": 1000 * coordinator / len(graded),
        "workers_cpu_ms": 1000 * others / len(graded),
        "peak_mib": peak[0] / 2**20,
        "idle": (idle_after - idle) / max(1, total_after - total),
    }


def reference_seconds() -> dict[str, float]:
    """Each assignment's reference graded whole once here (after a first, warm-up grading
    that starts its reference worker): the per-submission cost of the projection."""
    helpers = corpus_helpers()
    seconds = {}
    with tempfile.TemporaryDirectory() as scratch, reference_workers_kept():
        submission = helpers.copy_reference(Path(scratch) / "reference")
        for assignment in assignment_ids():
            grade(assignment, submission, GradeOptions(device="cpu"))
            began = time.perf_counter()
            grade(assignment, submission, GradeOptions(device="cpu"))
            seconds[assignment] = time.perf_counter() - began
    return seconds


def projection(per_assignment: dict[str, float], overhead_ms: float, coordinator_ms: float) -> None:
    """Hours for STUDENTS x ASSIGNMENTS gradings on N machines of CORES cores, and the
    bound one coordinator sets: it hashes, ships and records every task in one process
    (with `local:N` its scheduler and nannies ran there too), at its measured CPU time."""
    ids = sorted(per_assignment)[:ASSIGNMENTS]
    print(
        "\nreference gradings here: "
        + ", ".join(f"{assignment} {per_assignment[assignment]:.1f} s" for assignment in ids)
    )
    core_seconds = STUDENTS * sum(per_assignment[a] + overhead_ms / 1000 for a in ids)
    coordinator_hours = STUDENTS * len(ids) * coordinator_ms / 1000 / 3600
    print(
        f"projection: {STUDENTS:,} students x {len(ids)} assignments ({', '.join(ids)}), "
        f"{core_seconds / 3600:.1f} core-hours of grading; the coordinator handles "
        f"{STUDENTS * len(ids):,} tasks in one process in at least {coordinator_hours:.2f} h"
    )
    print(f"| machines ({CORES} cores each) | hours (grading) | hours (coordinator bound) |")
    print("|---:|---:|---:|")
    for machines in MACHINES:
        hours = core_seconds / (machines * CORES) / 3600
        print(f"| {machines} | {hours:.2f} | {max(hours, coordinator_hours):.2f} |")
    print(
        "assumes: every submission costs its assignment's reference grading time measured "
        "here (on one of these cores; a CUDA machine times the gpu assignment faster), one "
        "worker process per core, no sharing of a core between gradings, the per-task "
        "overhead measured above, and a coordinator that needs the CPU time per task "
        "measured above, one core's worth at most."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", nargs="+", default=[], metavar="FUNCTION")
    args = parser.parse_args()
    only = tuple(args.only)
    options = GradeOptions(only=only)
    figures = {}
    with tempfile.TemporaryDirectory(prefix="class-scale-") as scratch:
        submissions = build_class(Path(scratch) / "class", args.students)
        print(f"{args.students} submissions, {args.workers} workers, functions: {only or 'all'}")
        for path in ("pool", "dask"):
            figures[path] = run(path, submissions, args.workers, options)
            f = figures[path]
            print(
                f"{path}: {f['wall']:.1f} s, {f['rate']:.2f} submissions/s, idle slot time "
                f"{f['overhead_ms']:.0f} ms/task, grading {f['grading_s']:.2f} s (median), "
                f"recording {f['record_ms']:.1f} ms/task, CPU per task: coordinator "
                f"{f['coordinator_cpu_ms']:.0f} ms, workers and sandboxes "
                f"{f['workers_cpu_ms']:.0f} ms; coordinator peak "
                f"{f['peak_mib']:.0f} MiB (machine idle {f['idle']:.0%})",
                flush=True,
            )
    ratio = figures["dask"]["rate"] / figures["pool"]["rate"]
    print(f"dask/pool throughput: {ratio:.3f} (target ≥ 0.90)")
    dask = figures["dask"]
    projection(reference_seconds(), dask["overhead_ms"], dask["coordinator_cpu_ms"])


if __name__ == "__main__":
    main()
