"""`grader batch --scheduler/--cluster`: a class graded on Dask workers gives the gradebook a
local run gives, a worker killed mid-task costs nothing, and every failure is recorded
once with the right status."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import dask
import pytest
from conftest import CORPUS, FAST, ROOT, copy_reference, needs_packages_of, submission_with
from distributed import Client, get_worker
from gradebooks import gradebook_rows, graded_count
from rich.console import Console

from grader.batch import GradeTask, Outcome, run_batch
from grader.cluster import (
    ClusterError,
    ClusterTarget,
    InfrastructureFailure,
    grade_on_cluster,
    grade_parcel,
    installed,
)
from grader.grading_task import outcome_json
from grader.parcel import pack, unpack
from grader.sandbox.launcher import bubblewrap_works
from grader.submission import MAX_FILE_BYTES

OPTIONS = replace(FAST, only=("affine_forward", "relu_forward", "relu_backward"))
OPTIONS_GPU = replace(FAST, only=("Adam",))
BUGS = [
    "relu_forward/modifies_input.py",
    "relu_backward/inverted_mask.py",
    "affine_forward/missing_bias.py",
]
STARTUP = 120  # seconds for a scheduler or worker to come up on a loaded machine
# Every Dask scheduler serves HTTP (health, metrics) on 8787 if it is free: local clusters of
# tests running side by side take another port, and say so.
pytestmark = pytest.mark.filterwarnings("ignore:Port 8787 is already in use")


def build_class(directory: Path) -> None:
    """Seven entries in every form a class folder holds: folders, .py, .zip, a notebook
    folder's data file too large to copy, and mistakes in the graded functions."""
    copy_reference(directory / "ref")
    for fragment in BUGS:
        submission_with(CORPUS / "bugs" / fragment, directory / fragment.replace("/", "_")[:-3])
    shutil.copyfile(CORPUS / "correct_cs231n_style.py", directory / "single.py")
    with zipfile.ZipFile(directory / "zipped.zip", "w") as archive:
        archive.write(CORPUS / "correct_cs231n_style.py", "hw/layers.py")
    data = copy_reference(directory / "with_data") / "cs231n" / "datasets"
    data.mkdir(parents=True)
    with (data / "cifar.bin").open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)


def quiet() -> Console:
    return Console(file=io.StringIO())


def test_a_parcel_carries_what_a_grading_reads(tmp_path: Path) -> None:
    entry = copy_reference(tmp_path / "class" / "jane")
    work = sorted(path.name for path in entry.iterdir())
    (entry / "__pycache__").mkdir()
    (entry / "__pycache__" / "layers.cpython-311.pyc").write_bytes(b"junk")
    (entry / "link.py").symlink_to("/etc/passwd")
    (entry / "big.npz").write_bytes(b"\0" * (MAX_FILE_BYTES + 1))
    module = entry / "layers.py"
    os.utime(module, ns=(1, 1_700_000_000_123_456_789))
    unpacked = unpack(pack(entry), tmp_path / "scratch")
    assert unpacked == tmp_path / "scratch" / "jane"
    names = [p.relative_to(unpacked).as_posix() for p in unpacked.rglob("*") if p.is_file()]
    assert sorted(names) == sorted([*work, "big.npz"])
    assert (unpacked / "layers.py").read_bytes() == module.read_bytes()
    assert (unpacked / "layers.py").stat().st_mtime_ns == 1_700_000_000_123_456_789
    assert (unpacked / "big.npz").stat().st_size == MAX_FILE_BYTES + 1
    single = unpack(pack(module), tmp_path / "single")
    assert single.name == "layers.py" and single.read_bytes() == module.read_bytes()


@pytest.mark.parametrize(
    ("scheduler", "cluster", "message"),
    [
        ("tcp://h:1", "local:2", "give one of them"),
        (None, "local:0", "expected local:N"),
        (None, "slurm:4", "expected local:N"),
    ],
)
def test_a_bad_cluster_is_refused(scheduler: str | None, cluster: str, message: str) -> None:
    with pytest.raises(ClusterError, match=message):
        ClusterTarget.parse(scheduler, cluster)


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    ran = subprocess.run(
        [sys.executable, "-m", "grader", "batch", "layers", str(tmp_path), "--out"]
        + [str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:9"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"},
    )
    assert ran.returncode == 2, ran.stderr
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in ran.stderr


def test_a_worker_without_what_the_grading_needs_refuses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another course pack, no --cifar-dir, no bubblewrap (whose absence would let student
    code reach the scheduler's port)."""
    task = GradeTask("layers", "ana", tmp_path / "ana", "0" * 64, OPTIONS, 1.0)
    monkeypatch.setattr("grader.cluster.bubblewrap_refusal", lambda: None)
    with pytest.raises(InfrastructureFailure, match="install the same on every worker"):
        grade_parcel(task, b"", (installed()[0], "f" * 64))
    elsewhere = replace(task, options=replace(OPTIONS, cifar_dir=tmp_path / "cifar"))
    with pytest.raises(InfrastructureFailure, match="put it on every worker"):
        grade_parcel(elsewhere, b"", installed())
    monkeypatch.setattr("grader.cluster.bubblewrap_refusal", lambda: "no user namespaces")
    with pytest.raises(InfrastructureFailure, match="install bubblewrap on every worker"):
        grade_parcel(task, b"", installed())
    with pytest.raises(ClusterError, match=r"bubblewrap does not work here \(no user"):
        grade_on_cluster(ClusterTarget(local_workers=1), [task], print, quiet())


def test_without_dask_a_cluster_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ClusterError, match=r"pip install 'dl-autograder\[cluster\]'"):
        grade_on_cluster(ClusterTarget(local_workers=1), [], print, quiet())


# --- failures, on a LocalCluster with fake gradings ---


def full_marks(task: GradeTask) -> str:
    return outcome_json(Outcome(task.student, task.sha256, "graded", 1.0, 1.0, {}, "", "{}", ""))


def misbehaves(task: GradeTask, parcel: bytes, installed: tuple[str, str]) -> str:
    """Kills its worker process for bob, every time; fails to start its sandbox for cem on
    every worker and for dee the first time; grades ana. (The parcel is a folder here.)"""
    marker = Path(parcel.decode()) / f"{task.student}.tried"
    first = not marker.exists()
    marker.touch()
    if task.student == "bob":
        os._exit(3)
    if task.student == "cem" or (task.student == "dee" and first):
        raise InfrastructureFailure("the sandbox did not start")
    return full_marks(task)


@pytest.mark.slow
@pytest.mark.skipif(not bubblewrap_works(), reason="cluster workers grade under bubblewrap only")
def test_worker_deaths_and_infrastructure_failures_are_recorded_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    students = ["ana", "bob", "cem", "dee"]
    monkeypatch.setattr("grader.cluster.pack", lambda path: str(tmp_path).encode())
    tasks = [GradeTask("layers", s, tmp_path / s, "0" * 64, OPTIONS, 1.0) for s in students]
    outcomes: list[Outcome] = []
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        target = ClusterTarget(local_workers=2)
        grade_on_cluster(target, tasks, outcomes.append, quiet(), work=misbehaves)
    assert sorted(outcome.student for outcome in outcomes) == students
    by_student = {outcome.student: outcome for outcome in outcomes}
    assert by_student["ana"].status == by_student["dee"].status == "graded"
    assert by_student["bob"].status == "error"
    assert "ended several cluster workers" in by_student["bob"].message
    assert by_student["cem"].status == "crashed"
    assert by_student["cem"].message == "the sandbox did not start (tried 3 times on the cluster)"


# --- a real class on a scheduler and two workers started as a course would ---


class DaskProcesses:
    """`dask scheduler` and `dask worker --nthreads 1` processes, each in a session of its
    own (killed with everything it started), as a course would start them."""

    def __init__(self, folder: Path, stack: contextlib.ExitStack) -> None:
        self.folder, self.stack = folder, stack
        self.workers: dict[str, subprocess.Popen] = {}
        file = folder / "scheduler.json"
        self.start("scheduler", "scheduler", "--scheduler-file", str(file), "--port", "0")
        deadline = time.monotonic() + STARTUP
        while not file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        self.address = json.loads(file.read_text())["address"]

    def start(self, name: str, *command: str) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-m", f"distributed.cli.dask_{command[0]}", *command[1:]]
            + ["--no-dashboard"],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "PYTHONPATH": str(ROOT / "tests")},  # this module's fakes
        )
        log.close()
        self.stack.callback(self.kill, process)
        return process

    def worker(self, name: str, *options: str) -> subprocess.Popen:
        """A worker, once the scheduler knows it."""
        command = ("worker", self.address, "--nthreads", "1", "--name", name, *options)
        process = self.start(name, *command)
        self.workers[name] = process
        with Client(self.address) as client:
            client.wait_for_workers(len(self.workers), timeout=STARTUP)
        return process

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture
def dask_processes(tmp_path: Path) -> Iterator[DaskProcesses]:
    with contextlib.ExitStack() as stack:
        yield DaskProcesses(tmp_path, stack)


def processing_on(dask_scheduler: object, name: str) -> list[str]:
    """The tasks the scheduler has given the worker of this name (none while it is not
    registered)."""
    worker = dask_scheduler.workers.get(dask_scheduler.aliases.get(name))
    return [str(task.key) for task in worker.processing] if worker else []


def kill_when_busy(address: str, name: str, worker: subprocess.Popen, killed: list) -> None:
    """Kill the worker's processes (nanny, worker, sandboxes) while it grades someone."""
    with Client(address) as client:
        deadline = time.monotonic() + STARTUP
        while time.monotonic() < deadline:
            busy = client.run_on_scheduler(processing_on, name=name)
            if busy:
                os.killpg(worker.pid, signal.SIGKILL)
                killed.extend(busy)
                return
            time.sleep(0.02)


@pytest.mark.slow
@pytest.mark.skipif(not bubblewrap_works(), reason="cluster workers grade under bubblewrap only")
def test_a_worker_killed_mid_class_costs_nothing(
    dask_processes: DaskProcesses, tmp_path: Path, capfd: pytest.CaptureFixture
) -> None:
    address = dask_processes.address
    workers = {name: dask_processes.worker(name) for name in ("w1", "w2")}
    submissions = tmp_path / "class"
    build_class(submissions)
    local = run_batch("layers", submissions, tmp_path / "local", 2, OPTIONS, console=quiet())
    killed: list[str] = []
    killer = threading.Thread(target=kill_when_busy, args=(address, "w1", workers["w1"], killed))
    killer.start()
    capfd.readouterr()
    target = ClusterTarget(scheduler=address)
    result = run_batch(
        "layers", submissions, tmp_path / "dask", None, OPTIONS, console=quiet(), cluster=target
    )
    killer.join()
    recorded = re.findall(r"^grading \[\d+/7\] (\S+): ", capfd.readouterr().err, re.MULTILINE)
    assert sorted(recorded) == sorted(local.graded), "a student was recorded twice or never"
    assert killed, "w1 was never seen grading"
    assert workers["w1"].poll() is not None
    assert result.graded == local.graded and graded_count(tmp_path / "dask") == 7
    assert gradebook_rows(tmp_path / "dask") == gradebook_rows(tmp_path / "local")
    assert {row.student: row.score for row in result.rows} == {
        row.student: row.score for row in local.rows
    }
    assert "Not copied where your code runs" in next(
        row.report_text for row in result.rows if row.student == "with_data"
    )


def where_graded(task: GradeTask, parcel: bytes, installed: tuple[str, str]) -> str:
    """Grades with full marks and says on which worker."""
    name = get_worker().name
    return outcome_json(Outcome(task.student, "", "graded", 1, 1, {}, name, "{}", ""))


@pytest.mark.slow
@needs_packages_of("gpu")
def test_timed_gradings_go_to_gpu_workers_when_there_are_any(
    dask_processes: DaskProcesses, tmp_path: Path
) -> None:
    def grade(assignment: str) -> tuple[set[str], str]:
        tasks = [
            GradeTask(assignment, f"s{i}", ROOT / "pyproject.toml", "", OPTIONS_GPU, 1)
            for i in range(6)
        ]
        outcomes: list[Outcome] = []
        console = quiet()
        target = ClusterTarget(scheduler=dask_processes.address)
        grade_on_cluster(target, tasks, outcomes.append, console, work=where_graded)
        return {outcome.message for outcome in outcomes}, console.file.getvalue()

    dask_processes.worker("cpu")
    workers, said = grade("gpu")
    assert workers == {"cpu"} and "no worker offers GPU" in said
    dask_processes.worker("gpu", "--resources", "GPU=1")
    workers, said = grade("gpu")
    assert workers == {"gpu"} and not said
    workers, said = grade("layers")
    assert workers == {"cpu", "gpu"} and not said
