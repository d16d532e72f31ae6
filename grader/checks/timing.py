"""runs_as_fast_as_reference: the student's PyTorch object against the hidden reference on
the same device, timed by the grader.

Each side prepares the same workload in its own worker (the reference never runs beside
student code, and both pay the same call overheads): the course pack declares it as a
`Workload`, a builder function in a public source file of its own that both workers run.
After warm-up rounds, the two run in interleaved rounds (the order alternating) of
`repeats` units each, sized so a round takes about 50 ms on the reference. The grader owns
the clock: on a GPU it takes the wall time around the call (the worker synchronizes the
device before it replies); on the CPU it reads the CPU time the worker's process tree used
during the call from the kernel's accounting (/proc), which other processes competing for
the machine cannot inflate. The ratio is the fastest student round over the fastest
reference round: noise only ever adds time, so minima are the most stable statistic (the
reasoning of Python's timeit).

Credit: full at ratio ≤ 1.5, 75% ≤ 2, 50% ≤ 3, 25% ≤ 4, none beyond, every edge widened by
MARGIN (15%) so that run-to-run noise (a few percent, reported as the reference's
coefficient of variation) cannot move a correct implementation off full marks. Near an
edge more rounds are taken, up to MAX_ROUNDS, until the band is the same at ratio ×
(1 ± 2·noise); a ratio still straddling an edge gets the better band. When the
reference's own rounds vary by more than NOISY (a machine busy with other work), speed
cannot be judged fairly: full credit unless the ratio is hopeless, and the report says so.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from grader import course
from grader.assignments.spec import Check, FunctionSpec
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.report.model import Attachments, Plot, Series, Table
from grader.sandbox.client import Worker

WARMUP, ROUNDS, MAX_ROUNDS = 2, 7, 15
ROUND_SECONDS = 0.05
CREDIT = ((1.5, 1.0), (2.0, 0.75), (3.0, 0.5), (4.0, 0.25))
MARGIN = 0.15
NOISY = 0.25  # reference rounds varying more than this: the machine is too busy to judge
HOPELESS = 2 * CREDIT[-1][0] * (1 + MARGIN)  # stop early: no credit whatever the noise


def credit(ratio: float) -> float:
    for edge, share in CREDIT:
        if ratio <= edge * (1 + MARGIN):
            return share
    return 0.0


def timed_call(worker: Worker, handle: object, repeats: int, clock: str) -> float:
    """Seconds for one round: the worker's CPU time on the CPU (other processes on the
    machine cannot inflate it), wall time around the synchronized call on a GPU."""
    read = worker.cpu_seconds if clock == "cpu" else time.perf_counter
    began = read()
    worker.drive("run_timed", {"timed": handle, "repeats": repeats})
    return read() - began


def settled(yours: list[float], theirs: list[float]) -> bool:
    """The band no longer depends on the noise (or the case is hopeless)."""
    ratio = min(yours) / min(theirs)
    noise = statistics.pstdev(theirs) / statistics.mean(theirs)
    return ratio > HOPELESS or credit(ratio * (1 - 2 * noise)) == credit(ratio * (1 + 2 * noise))


@dataclass(frozen=True)
class Workload:
    """The unit of work to time: `builder` of the course pack's public `source` file
    (relative to reference/; no solution code, since the student's worker runs it too),
    called as builder(objects, device, dtype, seed, **args) (torch_driver.prepare_workload)."""

    source: str
    builder: str
    args: Mapping[str, object]


@dataclass(frozen=True)
class RunsAsFastAsReference(Check):
    """`workload` prepares the timed unit in each worker; `what` words it."""

    kind: ClassVar[str] = "runs_as_fast_as_reference"
    kit: ClassVar[bool] = False
    what: str
    workload: Workload

    def __post_init__(self) -> None:
        super().__post_init__()
        self.require(isinstance(self.what, str), f"what={self.what!r}")
        self.require(isinstance(self.workload, Workload), f"workload={self.workload!r}")

    def describe(self, function: FunctionSpec) -> str:
        return f"{self.what} runs about as fast as the reference on the same device"

    def run(self, ctx: CheckContext) -> Outcome:
        workload = self.workload
        seed = int(ctx.rng.integers(2**31))
        request = {
            "module": ctx.function.module,
            "name": ctx.function.name,
            "source": course.read_resource(workload.source).decode("utf-8"),
            "builder": workload.builder,
            "args": dict(workload.args),
            "dtype": "float32",
            "device": ctx.device,
            "seed": seed,
        }
        student, reference = ctx.student.worker, ctx.reference_worker
        clock = "cpu" if ctx.device == "cpu" else "wall"
        try:
            mine = student.drive("prepare_workload", request, keep=True)
            for _ in range(WARMUP):
                timed_call(student, mine, 1, clock)
        except STUDENT_FAILURES as error:
            return Outcome(False, explain_failure(ctx.function.name, error))
        # The reference worker holds the reference under the student module's name.
        theirs_handle = reference.drive("prepare_workload", request, keep=True)
        for _ in range(WARMUP):
            single = timed_call(reference, theirs_handle, 1, clock)
        repeats = max(1, math.ceil(ROUND_SECONDS / max(single, 1e-6)))
        yours: list[float] = []
        theirs: list[float] = []
        try:
            for round_index in range(MAX_ROUNDS):
                pair = [(student, mine, yours), (reference, theirs_handle, theirs)]
                for worker, handle, times in pair if round_index % 2 == 0 else pair[::-1]:
                    times.append(timed_call(worker, handle, repeats, clock))
                if len(yours) >= ROUNDS and settled(yours, theirs):
                    break
                if len(yours) >= 3 and min(yours) > HOPELESS * min(theirs):
                    break
        except STUDENT_FAILURES as error:
            return Outcome(False, explain_failure(ctx.function.name, error))
        return verdict(ctx, self.what, yours, theirs, repeats)


def attachments(
    title: str, yours: list[float], theirs: list[float], ratio: float, noise: float
) -> Attachments:
    """The fastest rounds compared in a table, every round in a plot: shown, not scored."""
    row = (f"{1000 * min(yours):.1f}", f"{1000 * min(theirs):.1f}", f"{ratio:.2f}×", f"{noise:.1%}")
    table = Table(title, ("yours (ms)", "reference (ms)", "ratio", "noise (CV)"), (row,))
    curves = (
        Series("yours (ms)", tuple(1000 * t for t in yours)),
        Series("reference (ms)", tuple(1000 * t for t in theirs), reference=True),
    )
    rounds = tuple(range(1, len(yours) + 1))
    plot = Plot(title, "round", rounds, curves, y_label="time per round (ms)")
    return Attachments(tables=(table,), plots=(plot,), measured=True)


def verdict(
    ctx: CheckContext, what: str, yours: list[float], theirs: list[float], repeats: int
) -> Outcome:
    mine, reference = min(yours), min(theirs)
    ratio = mine / reference
    noise = statistics.pstdev(theirs) / statistics.mean(theirs)
    share = credit(ratio)
    clock = "CPU time" if ctx.device == "cpu" else "wall time, device synchronized"
    title = f"{what}: {clock} per round of {repeats} on {ctx.device_name}"
    if noise > NOISY and ratio <= HOPELESS:
        share = 1.0
        title += f" (too noisy to judge: {noise:.0%} variation, full credit given)"
    attached = attachments(title, yours, theirs, ratio, noise)
    if share == 1.0:
        return Outcome(True, attachments=attached)
    curve = ", ".join(f"{s:.0%} ≤ {edge:g}×" for edge, s in CREDIT)
    return Outcome(
        False,
        f"{what} on {ctx.device_name}: yours takes {1000 * mine:.1f} ms per round of {repeats}, "
        f"the reference {1000 * reference:.1f} ms: {ratio:.2f}× slower (fastest of "
        f"{len(yours)} interleaved rounds after {WARMUP} warm-up rounds; the reference "
        f"varies by {noise:.1%} between rounds). Credit: {curve} (each edge +{MARGIN:.0%}), "
        f"none beyond; this run earns {share:.0%}.",
        attachments=attached,
        credit=share,
    )
