"""The grader's side of the worker: calls into student code with time limits, survives crashes.

A call either returns plain data or raises `StudentCallFailed` with a `CallError` that
says what happened (exception, timeout, crash, unsupported value, missing function). A
dead or killed worker is replaced lazily by a fresh one over a fresh copy of the
submission. After a timeout, later calls into the same function (or module, when the
import hung) fail at once with the same error, so one infinite loop costs one timeout.

Time: a request of k evaluations (a batched numerical gradient) may take k times the
per-call timeout. The worker interrupts student code when that budget is spent and says
where it was (the function that was slow); the grader kills it GRACE seconds later if it
does not answer. The grading's deadline (`ends`, a time.monotonic() instant) cuts
every budget; a request it cuts, or one made after it, raises `DeadlinePassed`, which is
no verdict on the student's code.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import struct
import subprocess
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from grader.sandbox import codec, launcher
from grader.sandbox.codec import Handle, MalformedMessage
from grader.sandbox.launcher import Isolation

START_TIMEOUT = 60.0
GRACE = 1.0  # how long past its budget the grader waits for the worker to report a timeout
SEALING_CAP = 500


@dataclass(frozen=True)
class CallError:
    """What went wrong, as facts; grader.checks.context.explain_failure words them."""

    kind: str  # exception | import | cell | missing | unsupported | timeout | crash | protocol
    type: str  # the exception's type (missing: ModuleNotFound, NameError or TypeError)
    message: str
    where: str = ""  # file, line, function and source line in the submission
    file: str = ""  # the same place as data: the file in the submission,
    line: int = 0  # its line
    code: str = ""  # and the source line there


def error_from_wire(error: object) -> CallError:
    """A CallError from the worker's description of a failure, trusting only its types."""
    if type(error) is not dict:
        return CallError("protocol", "Protocol", "malformed error")
    fields = [str(error.get(key, "")) for key in ("kind", "type", "message", "where", "file")]
    line = error.get("line")
    return CallError(*fields, line if type(line) is int else 0, str(error.get("code", "")))


class WorkerStartError(RuntimeError):
    """The worker could not be started before any student code ran: an environment
    problem of the grader's machine, never a student's fault."""


class DeadlinePassed(Exception):
    """The grading's deadline passed before or during a request: the check that made it is
    reported as not run, and the student's function is not blamed."""


def over_budget(timeout: float, work: int) -> str:
    """How a timeout reads: a batched request names its number of calls and the budget."""
    if work == 1:
        return f"did not finish within {timeout:g} s"
    return f"did not finish {work} calls within {work * timeout:g} s ({timeout:g} s per call)"


class StudentCallFailed(Exception):
    """A call into student code failed. `function` and `module` name that call (set once
    it is known), which may not be the function a check grades: a backward's forward, a
    network's layer."""

    def __init__(self, error: CallError, stdout: str = "") -> None:
        super().__init__(error.message)
        self.error = error
        self.stdout = stdout
        self.function = ""
        self.module = ""


@dataclass(frozen=True)
class WorkerHandle:
    """A handle valid only in the worker generation that produced it."""

    generation: int
    id: int


@dataclass(frozen=True)
class Reply:
    value: object
    args_after: object
    stdout: str


def _read(path: str) -> str:
    try:
        with open(path) as file:
            return file.read()
    except OSError:  # the process or thread ended meanwhile
        return ""


def process_tree(root: int) -> list[int]:
    """`root` and every process below it (bubblewrap's sandbox included)."""
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        for task in os.listdir(f"/proc/{pid}/task") if os.path.isdir(f"/proc/{pid}") else ():
            pending += [int(child) for child in _read(f"/proc/{pid}/task/{task}/children").split()]
    return found


def tree_cpu_seconds(root: int) -> float:
    """CPU time used so far by a process tree, from the kernel's accounting: every live
    thread's run time (nanoseconds, /proc/*/task/*/schedstat) plus what reaped children
    used (clock ticks, /proc/*/stat)."""
    nanoseconds, ticks = 0, 0
    for pid in process_tree(root):
        for task in os.listdir(f"/proc/{pid}/task") if os.path.isdir(f"/proc/{pid}") else ():
            fields = _read(f"/proc/{pid}/task/{task}/schedstat").split()
            nanoseconds += int(fields[0]) if fields else 0
        stat = _read(f"/proc/{pid}/stat").rsplit(")", 1)[-1].split()
        ticks += int(stat[13]) + int(stat[14]) if len(stat) > 14 else 0
    return nanoseconds / 1e9 + ticks / os.sysconf("SC_CLK_TCK")


def _death_message(code: int | None) -> str:
    """bubblewrap reports a child killed by signal N as exit code 128+N; None: the worker
    closed its end of the pipe but did not end."""
    if code is None:
        return "the worker closed its pipe to the grader during the call (killed)"
    number = -code if code < 0 else code - 128
    try:
        name = signal.Signals(number).name
    except ValueError:
        return f"the worker process exited with code {code} during the call"
    message = f"the worker process was killed by {name} during the call"
    return message + (" (segmentation fault)" if name == "SIGSEGV" else "")


class Worker:
    """One student submission's worker process, restarted on demand."""

    def __init__(
        self,
        submission_dir: Path,
        isolation: Isolation,
        timeout: float,
        ends: float | None = None,
        preload: tuple[str, ...] = (),
    ) -> None:
        self.submission_dir = Path(submission_dir)
        self.isolation = isolation
        self.timeout = timeout
        self.ends = ends
        self.preload = preload  # libraries loaded on start, outside any call's budget
        self.generation = 0
        self.process: subprocess.Popen | None = None
        self.scratch: str | None = None
        self.sealing = ""  # how the worker sealed itself, as it said on starting
        self.imported: set[str] = set()
        self.poisoned: dict[tuple[str, str | None], CallError] = {}
        self.failed_cells: dict[str, tuple[CallError, ...]] = {}  # first import's, per module
        self.token = f"grader-{os.getpid()}-{id(self)}"
        self.busy_seconds = 0.0
        self.start_seconds = 0.0
        self.global_seed = 0
        self.housekeeping: list[dict] = []  # releases and reseeds, sent with the next request

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        began = time.perf_counter()
        self.generation += 1
        self.imported = set()
        self.housekeeping = []  # a new worker keeps nothing and is seeded on starting
        self.scratch = tempfile.mkdtemp(prefix="grader-worker-")
        submission = launcher.prepare(Path(self.scratch), self.submission_dir, self.isolation)
        request_read, self.request_fd = os.pipe()
        self.reply_fd, reply_write = os.pipe()
        self.process = launcher.launch(
            Path(self.scratch), (request_read, reply_write), self.isolation, self.token
        )
        os.close(request_read)
        os.close(reply_write)
        os.set_blocking(self.request_fd, False)
        request = {
            "op": "start",
            "submission": submission,
            "seed": self.global_seed,
            "preload": list(self.preload),
        }
        try:
            reply = self._exchange(request, START_TIMEOUT)
        except StudentCallFailed as failure:
            raise WorkerStartError(
                f"could not start the grading worker ({self.isolation.mode}): "
                f"{failure.error.message}"
            ) from None
        except DeadlinePassed:  # before it said it was ready: start afresh next time
            self.stop()
            raise
        self.sealing = str(reply.get("value"))[:SEALING_CAP]
        self.start_seconds += time.perf_counter() - began

    def stop(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            os.close(self.request_fd)
            os.close(self.reply_fd)
            launcher.kill_leftovers(self.token)
            self.process = None
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None

    close = stop

    def _budget(self, seconds: float) -> tuple[float, bool]:
        """How long a request may take: `seconds`, or the time left before the grading's
        deadline when that is shorter (then True: running out is the deadline's doing)."""
        if self.ends is None:
            return seconds, False
        left = self.ends - time.monotonic()
        if left <= 0:
            raise DeadlinePassed
        return (left, True) if left < seconds else (seconds, False)

    def _out_of_time(self, cut: bool, timeout: float, work: int, how: str, where: str) -> Exception:
        """The worker is stopped either way (student code was interrupted mid-way)."""
        self.stop()
        if cut:
            return DeadlinePassed()
        return StudentCallFailed(
            CallError("timeout", "Timeout", over_budget(timeout, work) + how, where)
        )

    def _exchange(self, request: dict, timeout: float, work: int = 1) -> dict:
        """Send one request and wait for its reply: `work` calls of `timeout` seconds each."""
        self._budget(work * timeout)  # past the deadline, start no worker
        if self.process is None:
            self.start()
        budget, cut = self._budget(work * timeout)
        began = time.perf_counter()
        deadline = time.monotonic() + budget + GRACE
        before, self.housekeeping = self.housekeeping, []
        sent = {**request, "budget": budget, **({"before": before} if before else {})}
        try:
            self._write(codec.frame(codec.encode(sent)), deadline)
            header = self._read(8, deadline)
            (size,) = struct.unpack("<Q", header)
            if size > codec.MAX_FRAME_BYTES:
                raise MalformedMessage("reply too large")
            reply = codec.decode(self._read(size, deadline))
        except TimeoutError:
            raise self._out_of_time(cut, timeout, work, " (killed)", "") from None
        except (EOFError, BrokenPipeError):
            code = self._exit_code(deadline)
            self.stop()
            raise StudentCallFailed(CallError("crash", "Crash", _death_message(code))) from None
        except MalformedMessage as error:
            self.stop()
            raise StudentCallFailed(
                CallError("protocol", "Protocol", f"the worker sent malformed data: {error}")
            ) from None
        finally:
            self.busy_seconds += time.perf_counter() - began
        if type(reply) is not dict or type(reply.get("stdout")) is not str:
            self.stop()
            raise StudentCallFailed(CallError("protocol", "Protocol", "malformed reply"))
        if not reply.get("ok"):
            error = reply.get("error")
            if type(error) is not dict:
                raise StudentCallFailed(CallError("protocol", "Protocol", "malformed error"))
            failure = error_from_wire(error)
            if failure.kind == "housekeeping":
                # student code made a release or reseed fail (a monkeypatched
                # np.random.seed): a new worker, seeded on starting, takes the request
                self.stop()
                return self._exchange(request, timeout, work)
            if failure.kind == "timeout":
                raise self._out_of_time(cut, timeout, work, "", failure.where)
            raise StudentCallFailed(failure, reply["stdout"])
        return reply

    def _exit_code(self, deadline: float) -> int | None:
        """How the worker ended, once its pipe closed; None if it goes on (closing a pipe
        in student code must not make the grader wait forever)."""
        try:
            return self.process.wait(timeout=max(deadline - time.monotonic(), 1.0))
        except subprocess.TimeoutExpired:
            return None

    def _write(self, data: bytes, deadline: float) -> None:
        """Send without blocking past the deadline: a worker that stopped reading (its pipe
        kept open by a process it started) must not hang the grader."""
        view = memoryview(data)
        while view:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([], [self.request_fd], [], remaining)[1]:
                raise TimeoutError
            with contextlib.suppress(BlockingIOError):
                view = view[os.write(self.request_fd, view[: 1 << 20]) :]

    def _read(self, size: int, deadline: float) -> bytes:
        data = bytearray()
        while len(data) < size:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.reply_fd], [], [], remaining)
            if not ready:
                raise TimeoutError
            chunk = os.read(self.reply_fd, min(size - len(data), 1 << 20))
            if not chunk:
                raise EOFError
            data += chunk
        return bytes(data)

    def _ensure_imported(self, module: str) -> None:
        if (module, None) in self.poisoned:
            raise StudentCallFailed(self.poisoned[(module, None)])
        if self.process is not None and module in self.imported:
            return
        try:
            reply = self._exchange({"op": "import", "module": module}, self.timeout)
        except StudentCallFailed as failure:
            self.poisoned[(module, None)] = failure.error
            raise
        self.imported.add(module)
        cells = reply.get("value")
        self.failed_cells.setdefault(
            module, tuple(map(error_from_wire, cells)) if type(cells) is list else ()
        )

    def import_problems(self) -> dict[str, tuple[CallError, ...]]:
        """What went wrong as the submission's modules were imported: modules that failed
        to import (one error each), then notebook modules whose cells failed (the module
        still imported), each in the order met."""
        problems: dict[str, tuple[CallError, ...]] = {}
        for (module, function), error in self.poisoned.items():
            if function is None:
                problems[module] = (error,)
        for module, cells in self.failed_cells.items():
            if cells:
                problems[module] = cells
        return problems

    def _to_wire(self, value: object) -> object:
        if type(value) is WorkerHandle:
            if value.generation != self.generation or self.process is None:
                raise StudentCallFailed(
                    CallError(
                        "protocol",
                        "Restarted",
                        "the worker restarted since this value was produced (an earlier crash)",
                    )
                )
            return Handle(value.id)
        if type(value) in (list, tuple):
            return type(value)(self._to_wire(item) for item in value)
        if type(value) is dict:
            return {key: self._to_wire(item) for key, item in value.items()}
        return value

    def _from_wire(self, value: object) -> object:
        if type(value) is Handle:
            return WorkerHandle(self.generation, value.id)
        if type(value) in (list, tuple):
            return type(value)(self._from_wire(item) for item in value)
        if type(value) is dict:
            return {key: self._from_wire(item) for key, item in value.items()}
        return value

    def _run(
        self,
        module: str,
        function: str,
        request: dict,
        timeout: float | None,
        key: str = "",
        work: int = 1,
    ) -> dict:
        """Send a request that makes `work` calls to `function` of `module`; a failure names
        that call. `key` (the function by default) is what a timeout skips later calls to."""
        try:
            return self._run_once(module, key or function, request, timeout, work)
        except StudentCallFailed as failure:
            failure.function, failure.module = function, module
            raise

    def _run_once(
        self, module: str, key: str, request: dict, timeout: float | None, work: int
    ) -> dict:
        if (module, key) in self.poisoned:
            raise StudentCallFailed(self.poisoned[(module, key)])
        self._ensure_imported(module)
        request = self._to_wire(request)
        try:
            return self._exchange(request, timeout or self.timeout, work)
        except StudentCallFailed as failure:
            if failure.error.kind == "timeout":
                self.poisoned[(module, key)] = replace(
                    failure.error,
                    message=failure.error.message + "; later calls to it were skipped",
                )
            raise

    def call(
        self,
        module: str,
        function: str,
        args: tuple | list,
        kwargs: dict | None = None,
        *,
        keep: tuple[int, ...] = (),
        drop: tuple[int, ...] = (),
        return_args: bool = False,
        timeout: float | None = None,
    ) -> Reply:
        """Call module.function(*args, **kwargs) in the worker.

        `keep` lists positions of the returned tuple to leave in the worker (handles come
        back instead), `drop` positions not to send at all (None comes back);
        `return_args` also returns the arguments as they are after the call.
        """
        request = {"op": "call", "module": module, "function": function, "args": list(args)}
        options = {
            "kwargs": kwargs,
            "keep": list(keep),
            "drop": list(drop),
            "return_args": return_args,
        }
        request |= {key: value for key, value in options.items() if value}  # else its default
        reply = self._run(module, function, request, timeout)
        value = self._from_wire(reply.get("value"))
        return Reply(value, self._from_wire(reply.get("args_after")), reply["stdout"])

    def call_many(
        self,
        module: str,
        function: str,
        arg_list: list,
        *,
        select: int | None = None,
        timeout: float | None = None,
    ) -> list:
        """Call the function once per argument tuple in one round trip (numeric gradients),
        with `timeout` (default: the worker's) for each call."""
        request = {
            "op": "call_many",
            "module": module,
            "function": function,
            "arg_list": [list(args) for args in arg_list],
            "select": select,
        }
        value = self._run(module, function, request, timeout, work=max(len(arg_list), 1))["value"]
        if type(value) is not list or len(value) != len(arg_list):
            raise StudentCallFailed(CallError("protocol", "Protocol", "malformed batch reply"))
        return value

    def drive(
        self,
        procedure: str,
        args: dict,
        *,
        keep: bool = False,
        timeout: float | None = None,
    ) -> object:
        """Run a torch procedure (torch_driver.py) in the worker; `args["module"]` names the
        student module it exercises ("torch" for PyTorch's own objects)."""
        module = args.get("module", "torch")
        request = {"op": "drive", "procedure": procedure, "args": args, "keep": keep}
        if module == "torch":
            reply = self._exchange(self._to_wire(request), timeout or self.timeout)
        else:
            name = args.get("name", "")
            reply = self._run(module, name, request, timeout, key=f"{procedure}:{name}")
        return self._from_wire(reply.get("value"))

    def release(self) -> None:
        """Forget every object kept in the worker (called between checks). Like `forget`
        and `reseed`, done by the worker before the next request it gets: no round trip
        of its own, and nothing happens in the worker in between."""
        if self.process is not None:
            self.housekeeping.append({"op": "release"})

    def cpu_seconds(self) -> float:
        """CPU time the worker's process tree has used (0 before it starts)."""
        return tree_cpu_seconds(self.process.pid) if self.process is not None else 0.0

    def forget(self, handles: list[WorkerHandle]) -> None:
        """Forget some kept objects (a training step's caches), to bound the worker's memory."""
        ids = [h.id for h in handles if type(h) is WorkerHandle and h.generation == self.generation]
        if self.process is not None and ids:
            self.housekeeping.append({"op": "release", "ids": ids})

    def reseed(self, seed: int) -> None:
        """Seed the worker's global generators now and after every restart (per check)."""
        self.global_seed = seed
        if self.process is not None:
            self.housekeeping.append({"op": "reseed", "seed": seed})
