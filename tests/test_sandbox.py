"""The worker: plain data back, deadlines, crashes contained, nothing left running."""

from __future__ import annotations

import os
import subprocess
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from grader.sandbox.client import DeadlinePassed, StudentCallFailed, Worker, WorkerHandle
from grader.sandbox.launcher import Isolation, bubblewrap_works, worker_environment

MODES = [
    pytest.param(
        "bubblewrap",
        marks=pytest.mark.skipif(not bubblewrap_works(), reason="bubblewrap unavailable"),
    ),
    "plain",
]

STUDENT = textwrap.dedent(
    """
    import os, sys, time, subprocess
    import numpy as np

    def double(x):
        print("doubling")
        return 2 * x, {"kept": x}

    def use_cache(cache):
        return cache["kept"] + 1

    def mutate(x):
        x[0] = 99.0
        return x.sum()

    def spin():
        while True:
            pass

    def leave_process(marker):
        subprocess.Popen(["sleep", "300", marker], start_new_session=True)
        pid = os.fork()
        if pid == 0:
            os.setsid()
            subprocess.Popen(["sleep", "301", marker])
            os._exit(0)
        return 1

    def segfault():
        import ctypes
        ctypes.string_at(0)

    def hard_exit():
        os._exit(7)

    def soft_exit():
        sys.exit(3)

    def allocate():
        return np.ones(int(50e9 // 8)).sum()

    def flood():
        for _ in range(20):
            print("x" * 10_000_000)
        return 1

    def subclass():
        class Evil(np.ndarray):
            pass
        return np.zeros(3).view(Evil)

    def object_array():
        return np.array([object()])

    def read_file(path):
        with open(path) as handle:
            return handle.read()

    def environment():
        return sorted(os.environ)

    def pause(seconds):
        time.sleep(seconds)
        return seconds, None

    def draw():
        return float(np.random.random())

    def break_seeding():
        def refuse(seed=None):
            raise RuntimeError("no seeding here")
        np.random.seed = refuse
        return 1

    def outer():
        return inner()

    def inner():
        while True:
            pass
    """
)


@pytest.fixture(params=MODES)
def worker(request: pytest.FixtureRequest, tmp_path: Path):
    (tmp_path / "student.py").write_text(STUDENT)
    with Worker(tmp_path, Isolation(request.param, 2 * 2**30), timeout=3.0) as running:
        yield running


def failure(worker: Worker, function: str, *args) -> StudentCallFailed:
    with pytest.raises(StudentCallFailed) as caught:
        worker.call("student", function, args)
    return caught.value


def test_values_come_back_and_caches_stay_behind_handles(worker: Worker) -> None:
    reply = worker.call("student", "double", [np.arange(3.0)], keep=(1,))
    out, cache = reply.value
    assert np.array_equal(out, [0.0, 2.0, 4.0])
    assert isinstance(cache, WorkerHandle)
    assert reply.stdout == "doubling\n"
    assert np.array_equal(worker.call("student", "use_cache", [cache]).value, [1.0, 2.0, 3.0])


def test_arguments_after_the_call_reveal_mutation(worker: Worker) -> None:
    reply = worker.call("student", "mutate", [np.zeros(2)], return_args=True)
    assert reply.args_after[0][0][0] == 99.0


def test_batched_calls_select_one_output(worker: Worker) -> None:
    values = worker.call_many("student", "double", [[np.ones(1)], [np.zeros(1)]], select=0)
    assert [float(v[0]) for v in values] == [2.0, 0.0]


def test_timeout_kills_and_later_calls_fail_fast(worker: Worker) -> None:
    worker.timeout = 1.0  # the spin burns a core until then
    began = time.monotonic()
    assert failure(worker, "spin").error.kind == "timeout"
    assert time.monotonic() - began < 10
    began = time.monotonic()
    assert failure(worker, "spin").error.kind == "timeout"
    assert time.monotonic() - began < 0.5
    assert worker.call("student", "use_cache", [{"kept": 1}]).value == 2


def test_a_batch_gets_the_time_of_all_its_calls(worker: Worker) -> None:
    worker.timeout = 0.25
    values = worker.call_many("student", "pause", [[0.15]] * 6, select=0)
    assert values == [0.15] * 6
    with pytest.raises(StudentCallFailed) as caught:
        worker.call_many("student", "pause", [[0.3]] * 4, select=0)
    error = caught.value.error
    assert error.message == "did not finish 4 calls within 1 s (0.25 s per call)"
    assert "in pause: time.sleep(seconds)" in error.where


def test_a_timeout_says_which_function_was_running(worker: Worker) -> None:
    worker.timeout = 0.5
    error = failure(worker, "outer").error
    assert (error.kind, error.message) == ("timeout", "did not finish within 0.5 s")
    assert ", in inner: " in error.where, error.where


def test_the_deadline_cuts_a_call_and_refuses_later_ones(worker: Worker) -> None:
    worker.ends = time.monotonic() + 0.5
    began = time.monotonic()
    with pytest.raises(DeadlinePassed):
        worker.call("student", "spin", [])
    assert time.monotonic() - began < 3
    with pytest.raises(DeadlinePassed):
        worker.call("student", "double", [1.0])
    assert not worker.poisoned  # the deadline's doing, not the function's
    worker.ends = None
    assert worker.call("student", "use_cache", [{"kept": 1}]).value == 2


@pytest.mark.parametrize(
    ("function", "kind", "words"),
    [
        ("segfault", "crash", "SIGSEGV"),
        ("hard_exit", "crash", "code 7"),
        ("soft_exit", "exception", "SystemExit"),
        ("allocate", "exception", "MemoryError"),
        ("subclass", "unsupported", "unsupported return value"),
        ("object_array", "unsupported", "unsupported return value"),
        ("missing_function", "missing", "not defined"),
    ],
)
def test_misbehaviour_fails_only_that_call(
    worker: Worker, function: str, kind: str, words: str
) -> None:
    error = failure(worker, function).error
    assert error.kind == kind
    assert words in f"{error.type}: {error.message}"
    assert worker.call("student", "use_cache", [{"kept": 1}]).value == 2


def test_releases_and_reseeds_ride_with_the_next_request(worker: Worker) -> None:
    """Between checks the grader frees what the worker kept and reseeds it: the worker does
    both before the next request, with no round trip of their own."""
    cache = worker.call("student", "double", [np.ones(1)], keep=(1,)).value[1]
    first = worker.call("student", "draw", []).value
    sent = []
    exchange = worker._exchange

    def noted(request: dict, *rest: object) -> dict:
        sent.append(request["op"])
        return exchange(request, *rest)

    worker._exchange = noted
    worker.release()
    worker.reseed(7)
    assert sent == []
    drawn = worker.call("student", "draw", []).value
    assert sent == ["call"]
    assert failure(worker, "use_cache", cache).error.type == "KeyError"
    worker.reseed(7)
    assert worker.call("student", "draw", []).value == drawn != first


def test_seeding_broken_by_student_code_restarts_the_worker(worker: Worker) -> None:
    """A reseed that student code makes fail costs only the worker: a new one, seeded as it
    starts, answers the request the reseed came with."""
    worker.reseed(7)
    drawn = worker.call("student", "draw", []).value
    assert worker.call("student", "break_seeding", []).value == 1
    generation = worker.generation
    worker.reseed(7)
    assert worker.call("student", "draw", []).value == drawn
    assert worker.generation == generation + 1


def test_handles_die_with_the_worker(worker: Worker) -> None:
    cache = worker.call("student", "double", [np.ones(1)], keep=(1,)).value[1]
    failure(worker, "segfault")
    assert failure(worker, "use_cache", cache).error.type == "Restarted"


def test_output_is_capped(worker: Worker) -> None:
    reply = worker.call("student", "flood", [], timeout=30)
    assert reply.value == 1
    assert len(reply.stdout) < 70_000 and "more characters of output dropped" in reply.stdout


def test_missing_module_is_reported(worker: Worker) -> None:
    with pytest.raises(StudentCallFailed) as caught:
        worker.call("optim", "sgd", [])
    assert caught.value.error.kind == "missing"
    assert "no optim.py was handed in (your files: student.py)" in caught.value.error.message


def test_environment_is_reduced(worker: Worker) -> None:
    names = set(worker.call("student", "environment", []).value)
    allowed = set(worker_environment("home", "token")) | {"PWD", "LC_CTYPE"}
    assert "HOME" in names and names <= allowed, names - allowed


def test_nothing_outlives_the_worker(worker: Worker) -> None:
    marker = f"marker-{os.getpid()}-{worker.isolation.mode}"
    worker.call("student", "leave_process", [marker])
    time.sleep(0.3)
    worker.close()
    time.sleep(0.3)
    left = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True).stdout
    assert left == ""


@pytest.mark.skipif(not bubblewrap_works(), reason="bubblewrap unavailable")
def test_bubblewrap_hides_the_project(tmp_path: Path) -> None:
    (tmp_path / "student.py").write_text(STUDENT)
    reference = Path(__file__).resolve().parents[1] / "reference" / "layers.py"
    with Worker(tmp_path, Isolation("bubblewrap", 2 * 2**30), timeout=5.0) as sandboxed:
        error = failure(sandboxed, "read_file", str(reference)).error
    assert error.type in ("FileNotFoundError", "PermissionError")


def test_preloaded_libraries_are_imported_before_the_student_module(tmp_path: Path) -> None:
    """A library every submission imports is loaded as the worker starts: the student's
    import finds it in sys.modules, so its import time is not charged to the first call."""
    (tmp_path / "student.py").write_text(
        "import sys\nLOADED = 'tabnanny' in sys.modules\n\ndef loaded():\n    return LOADED\n"
    )
    isolation = Isolation("plain", 2 * 2**30)
    with Worker(tmp_path, isolation, timeout=5.0, preload=("tabnanny",)) as preloading:
        assert preloading.call("student", "loaded", (), {}).value is True
    with Worker(tmp_path, isolation, timeout=5.0) as plain:
        assert plain.call("student", "loaded", (), {}).value is False
