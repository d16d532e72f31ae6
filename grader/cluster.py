"""Grade a class on a Dask cluster: `grader batch --scheduler tcp://HOST:PORT` (a running
`dask scheduler` and its `dask worker`s) or `--cluster local:N` (a `LocalCluster` here).

The coordinator (the `grader batch` process) stays the gradebook's only writer; Dask keeps
no durable state, so a coordinator killed and run again resumes from the gradebook, as a
local run does. Each task carries one submission as a parcel (no shared file system
needed); the worker grades it in its own sandbox and sends the outcome back as JSON.

Failures: a task whose worker is lost (machine gone, processes killed) is run again on
another worker by Dask; a task that was running when `allowed-failures` + 1 workers died
(Dask's setting, 3 by default) is the submission's doing and is recorded as an error,
final. An infrastructure failure inside a worker (its sandbox would not start, or would
not be bubblewrap: `NO_BUBBLEWRAP`) is tried `ATTEMPTS` times in all, then recorded as
crashed: the next run retries it.

Timed gradings (the `gpu` assignment) ask for the worker resource `GPU` (`dask worker
ADDRESS --resources GPU=1`, one such worker process per GPU), so at most one timed grading
uses a GPU at a time; other gradings ask for nothing and never wait for GPUs. Without a
GPU worker, timed gradings run on CPU workers with the CPU clock (each report names its
device).

`distributed` is imported only here, and only when a cluster is asked for (the `cluster`
extra).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import tempfile
import threading
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from rich.console import Console

from grader import __version__
from grader.assignments import load_assignment
from grader.checks.timing import RunsAsFastAsReference
from grader.classbook import CRASHED, ERROR
from grader.grading import chosen_functions
from grader.grading_task import (
    GradeTask,
    Outcome,
    failure,
    grade_task,
    keep_reference_workers,
    outcome_from_json,
    outcome_json,
)
from grader.parcel import pack, unpack
from grader.regrade import course_digest
from grader.sandbox.launcher import bubblewrap_refusal

ATTEMPTS = 3  # tries of a task whose worker could not grade (not the student's doing)
GPU = "GPU"  # the worker resource timed gradings ask for
INSTALL = "pip install 'dl-autograder[cluster]'"
# Without bubblewrap the sandbox leaves the network open, and Dask runs any function sent
# to its scheduler's port: student code could reach the reference through it.
NO_BUBBLEWRAP = (
    "bubblewrap does not work here ({refusal}): without it student code can reach the Dask "
    "scheduler's port and run code outside the sandbox; install bubblewrap on every worker"
)
WINDOW_REFRESH = 1.0  # seconds between two reads of how many workers the cluster has


class ClusterError(Exception):
    """The cluster cannot be used: a bad --cluster, no scheduler, `distributed` missing."""


class InfrastructureFailure(RuntimeError):
    """A worker could not grade (raised there so that Dask tries another worker)."""


@dataclasses.dataclass(frozen=True)
class ClusterTarget:
    """Where a batch's gradings run: a scheduler's address, or N local workers."""

    scheduler: str | None = None
    local_workers: int = 0

    @classmethod
    def parse(cls, scheduler: str | None, cluster: str | None) -> ClusterTarget | None:
        """From --scheduler ADDRESS / --cluster local:N (None: neither, the local pool)."""
        if scheduler and cluster:
            raise ClusterError("--scheduler and --cluster: give one of them")
        if scheduler:
            return cls(scheduler=scheduler)
        if cluster is None:
            return None
        kind, _, count = cluster.partition(":")
        if kind != "local" or not count.isdigit() or int(count) < 1:
            raise ClusterError(f"--cluster {cluster}: expected local:N with N ≥ 1 (local:2)")
        return cls(local_workers=int(count))

    def __str__(self) -> str:
        return self.scheduler or f"a local Dask cluster of {self.local_workers} workers"


def _distributed() -> ModuleType:
    try:
        import distributed
    except ImportError:
        raise ClusterError(f"a Dask cluster needs dask.distributed: {INSTALL}") from None
    return distributed


@contextlib.contextmanager
def connected(target: ClusterTarget) -> Iterator[Any]:
    """A Client of the target's scheduler (of a LocalCluster started for this run)."""
    distributed = _distributed()
    if target.scheduler is None:
        with (
            distributed.LocalCluster(
                n_workers=target.local_workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = distributed.Client(target.scheduler)  # distributed.comm.timeouts.connect
    except (OSError, TimeoutError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler at {target}: {error}") from None
    with client:
        yield client


# --- in a Dask worker ---

_one_grading = threading.Lock()  # the grading code keeps per-process state (its workers)
_keep_reference_workers = functools.cache(keep_reference_workers)


def installed() -> tuple[str, str]:
    """The grader's version and the course pack's digest here: what a grading depends on."""
    return __version__, course_digest()


def grade_parcel(task: GradeTask, parcel: bytes, expected: tuple[str, str]) -> str:
    """Grade one shipped submission; its outcome as JSON, or InfrastructureFailure (also
    when this worker's grader or course pack is not the coordinator's: the gradebook
    would key its rows wrongly)."""
    if (here := installed()) != expected:
        raise InfrastructureFailure(
            f"a worker has grader {here[0]} with course pack {here[1][:8]}, the coordinator "
            f"{expected[0]} with {expected[1][:8]}: install the same on every worker"
        )
    if (refusal := bubblewrap_refusal()) is not None:
        raise InfrastructureFailure(NO_BUBBLEWRAP.format(refusal=refusal))
    if task.options.cifar_dir is not None and not task.options.cifar_dir.is_dir():
        raise InfrastructureFailure(
            f"a worker has no {task.options.cifar_dir} (--cifar-dir): put it on every worker"
        )
    with _one_grading, warnings.catch_warnings():
        # the worker's own threads use `random` while hypothesis draws (its draws do not)
        warnings.filterwarnings("ignore", message="Do not use the `random` module")
        _keep_reference_workers()
        with tempfile.TemporaryDirectory(prefix="grader-cluster-") as scratch:
            path = unpack(parcel, Path(scratch))
            outcome = grade_task(dataclasses.replace(task, path=path))
    if outcome.status == CRASHED:
        raise InfrastructureFailure(outcome.message)
    return outcome_json(outcome)


QUIETER = {"tick": 1000, "memory_monitor": 1000, "monitor": 5000}  # ms, from 20, 100, 500


def quiet_worker(dask_worker: Any) -> None:
    """Dask's statistical profiler samples the running task's stack every 10 ms for its
    dashboard: on gradings it cost a quarter of their speed (benchmarks/class_scale.py), so
    it is stopped; the event loop's other frequent timers (its responsiveness tick, memory
    and system monitors) wake less often, since each takes the GIL from the grading."""
    for name in ("profile", "profile-cycle"):
        callback = dask_worker.periodic_callbacks.pop(name, None)
        if callback is not None:
            callback.stop()
    for name, milliseconds in QUIETER.items():
        if name in dask_worker.periodic_callbacks:
            dask_worker.periodic_callbacks[name].callback_time = milliseconds


# --- in the coordinator ---


def timed(assignment: str, only: tuple[str, ...]) -> bool:
    """Whether a grading runs timed checks (so it asks for a GPU worker)."""
    return any(
        isinstance(check, RunsAsFastAsReference)
        for spec in load_assignment(assignment)
        for function in chosen_functions(spec, only)
        for check in function.checks
    )


def task_key(task: GradeTask) -> str:
    """Dask's key for a task: the same grading has the same key, from any coordinator."""
    setting = repr((task.assignment, task.sha256, task.options, task.formats, task.late))
    return f"grade-{task.student}-{hashlib.sha256(setting.encode()).hexdigest()[:16]}"


def workers(client: Any) -> dict[str, dict]:
    return client.scheduler_info(n_workers=-1)["workers"]


def check_cluster(client: Any, console: Console) -> None:
    """Say what would slow a class down or blame the wrong student, before it starts."""
    for address, worker in sorted(workers(client).items()):
        if worker.get("nthreads", 1) > 1:
            console.print(
                f"note: worker {address} runs {worker['nthreads']} threads, but grades one "
                "submission at a time (and a submission that kills it counts against all it "
                "holds): start workers with --nthreads 1 --nworkers N",
                highlight=False,
            )


def gpu_resources(client: Any, tasks: list[GradeTask], console: Console) -> dict[str, float]:
    """What the tasks ask for: a GPU when they are timed and some worker offers one."""
    if not tasks or not timed(tasks[0].assignment, tasks[0].options.only):
        return {}
    if any(GPU in worker.get("resources", {}) for worker in workers(client).values()):
        return {GPU: 1}
    console.print(
        f"note: no worker offers {GPU} (dask worker --resources {GPU}=1): the timed checks "
        "run on CPU workers and compare CPU times (each report names its device)",
        highlight=False,
    )
    return {}


class Window:
    """How many tasks to keep submitted: one per worker process, so that no task waits on
    a worker behind another (a worker's death then counts against the submission it was
    grading alone) and the coordinator holds a class's parcels a few at a time."""

    def __init__(self, client: Any) -> None:
        self.client, self.read_at, self.size = client, -WINDOW_REFRESH, 1

    def __call__(self) -> int:
        if time.monotonic() - self.read_at >= WINDOW_REFRESH:
            self.read_at = time.monotonic()
            self.size = max(1, len(workers(self.client)))
        return self.size


def outcome_of(future: Any, task: GradeTask, distributed: ModuleType) -> Outcome:
    """The row a finished future gives; every failure becomes a row of its own."""
    try:
        return outcome_from_json(future.result())
    except distributed.KilledWorker:
        message = "grading this submission ended several cluster workers (their processes died)"
        return failure(task, ERROR, message)
    except InfrastructureFailure as error:
        return failure(task, CRASHED, f"{error} (tried {ATTEMPTS} times on the cluster)")
    except Exception as error:  # a lost connection, a worker-side grader bug: retried next run
        return failure(task, CRASHED, f"{type(error).__name__}: {error}")


def grade_on_cluster(
    target: ClusterTarget,
    tasks: Iterable[GradeTask],
    on_done: Callable[[Outcome], None],
    console: Console,
    work: Callable[[GradeTask, bytes, tuple[str, str]], str] = grade_parcel,
) -> None:
    """Grade every task on the cluster, calling `on_done` once per task as each ends."""
    distributed = _distributed()
    if target.scheduler is None and (refusal := bubblewrap_refusal()) is not None:
        raise ClusterError(NO_BUBBLEWRAP.format(refusal=refusal))
    queue, setting = deque(tasks), installed()
    with connected(target) as client:
        client.register_worker_callbacks(setup=quiet_worker)  # workers joining later too
        check_cluster(client, console)
        resources = gpu_resources(client, list(queue), console)
        window, running = Window(client), {}
        finished = distributed.as_completed()

        def submit() -> None:
            while queue and len(running) < window():
                task = queue.popleft()
                shipped = dataclasses.replace(task, path=Path(task.path.name))
                future = client.submit(
                    work,
                    shipped,
                    pack(task.path),
                    setting,
                    key=task_key(task),
                    retries=ATTEMPTS - 1,
                    resources=resources or None,
                )
                running[future] = task
                finished.add(future)

        submit()
        for future in finished:
            task = running.pop(future)
            submit()  # first: the freed worker need not wait for the result's transfer
            outcome = outcome_of(future, task, distributed)
            future.release()
            on_done(outcome)
