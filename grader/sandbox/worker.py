"""The worker loop: the only place student code is imported and called.

Runs in its own process (inside bubblewrap when available), started as
`python -I worker.py REQUEST_FD REPLY_FD MEMORY_BYTES private|shared` in its scratch folder.
It seals itself (seal.py), learns from the first request where the submission is (so that
the path is never on its command line), then answers one request at a time with plain
data (see codec.py). Objects the grader must not receive (a layer's cache) stay here
behind handles. Everything here is on the student's side of the wall: the grader trusts
none of what it sends back beyond its type.

Copied into the sandbox beside codec.py and seal.py; imports nothing from the grader package.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import io
import os
import random
import re
import resource
import signal
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import seal  # noqa: E402
from codec import (  # noqa: E402  (the path above makes the sibling importable)
    Handle,
    RngSeed,
    UnsupportedValue,
    decode,
    describe_type,
    encode,
    read_frame,
    write_frame,
)

OUTPUT_CAP = 64 * 1024
MESSAGE_CAP = 2000
# The line grader/notebooks.py writes before each notebook cell: a module that starts with
# one is a notebook, run cell by cell so that one failing cell does not lose the others.
CELL_MARKER = re.compile(r"# cell \d+")


class CappedOutput(io.TextIOBase):
    """Collects what student code prints, keeping the first OUTPUT_CAP characters."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        text = str(text)
        room = OUTPUT_CAP - self.size
        if room > 0:
            self.parts.append(text[:room])
            self.size += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def text(self) -> str:
        joined = "".join(self.parts)
        if self.dropped:
            joined += f"\n[... {self.dropped} more characters of output dropped]"
        return joined


class OutOfTime(BaseException):
    """Raised into student code when its call's budget is spent (a BaseException, so that
    only a bare `except:` in student code can swallow it; the grader's own hard limit then
    ends the worker)."""


def on_alarm(signum: int, frame: object) -> None:
    raise OutOfTime


class time_limit:  # noqa: N801 - used as a context manager, like contextlib's
    """Interrupt the request's student code after `budget` seconds (none: no limit), so
    the worker can say where it was when the time ran out."""

    def __init__(self, budget: object) -> None:
        self.budget = budget if type(budget) in (int, float) and budget > 0 else 0.0

    def __enter__(self) -> None:
        if self.budget:
            signal.signal(signal.SIGALRM, on_alarm)
            signal.setitimer(signal.ITIMER_REAL, self.budget)

    def __exit__(self, *exc: object) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)


class StudentError(Exception):
    """A failure to report back: kind is import/cell/missing/exception/unsupported/
    housekeeping; `file`, `line` and `code` locate it in the submission when known."""

    def __init__(
        self,
        kind: str,
        error_type: str,
        message: str,
        where: str = "",
        location: tuple[str, int, str] = ("", 0, ""),
    ) -> None:
        super().__init__(message)
        file, line, code = location
        self.payload = {
            "kind": kind,
            "type": error_type,
            "message": message,
            "where": where,
            "file": file,
            "line": line,
            "code": code,
        }


class Worker:
    def __init__(self, submission_dir: str) -> None:
        self.submission_dir = os.path.abspath(submission_dir)
        self.modules: dict[str, object] = {}
        self.import_errors: dict[str, StudentError] = {}
        self.cell_failures: dict[str, list[dict]] = {}  # notebook module -> failed cells
        self.handles: dict[int, object] = {}
        self.next_handle = 1

    def module(self, name: str) -> object:
        if name in self.import_errors:
            raise self.import_errors[name]
        if name not in self.modules:
            try:
                self.modules[name] = self.import_module(name)
            except StudentError as error:
                self.import_errors[name] = error
                raise
        return self.modules[name]

    def import_module(self, name: str) -> object:
        path = os.path.join(self.submission_dir, name + ".py")
        if not os.path.isfile(path):
            found = sorted(
                entry for entry in os.listdir(self.submission_dir) if entry.endswith(".py")
            )
            listed = f"no {name}.py was handed in (your files: {', '.join(found) or 'none'})"
            raise StudentError("missing", "ModuleNotFound", listed[:MESSAGE_CAP])
        # a module in a folder (CS231n's cs231n/layers.py) is that package's submodule, its
        # packages imported first, so that its relative imports work as on the student's disk
        dotted = name.replace("/", ".")
        with open(path, encoding="utf-8", errors="replace") as file:
            source = file.read()
        try:
            if "/" in name:
                importlib.import_module(dotted.rpartition(".")[0])
            if dotted in sys.modules:  # a package that imported it already
                return sys.modules[dotted]
            spec = importlib.util.spec_from_file_location(dotted, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[dotted] = module
            if CELL_MARKER.fullmatch(source.split("\n", 1)[0]):
                self.cell_failures[name] = self.run_cells(module, path, source)
            else:
                spec.loader.exec_module(module)
        except BaseException as error:  # noqa: BLE001 - SystemExit at import is a student error
            sys.modules.pop(dotted, None)
            raise self.describe_exception("import", error) from None
        return module

    def run_cells(self, module: object, path: str, source: str) -> list[dict]:
        """Run a notebook module one cell at a time, as Jupyter's "run all" would if it went
        on after an error: a failing cell is recorded and the later cells still run. Each
        cell is compiled at its own line numbers, so tracebacks point into the module."""
        lines = source.split("\n")
        starts = [index for index, line in enumerate(lines) if CELL_MARKER.fullmatch(line)]
        failures = []
        for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
            text = "\n" * start + "\n".join(lines[start:end])
            try:
                exec(compile(text, path, "exec"), module.__dict__)  # noqa: S102 - the student's cell
            except BaseException as error:  # noqa: BLE001 - SystemExit in a cell is a student error
                failures.append(self.describe_exception("cell", error).payload)
        return failures

    def function(self, module_name: str, name: str) -> object:
        module = self.module(module_name)
        function = module.__dict__.get(name)
        if function is None:
            raise StudentError(
                "missing", "NameError", f"{name} is not defined in your {module_name}.py"
            )
        if not callable(function):
            raise StudentError(
                "missing", "TypeError", f"{name} in your {module_name}.py is not callable"
            )
        return function

    def describe_exception(self, kind: str, error: BaseException) -> StudentError:
        try:
            message = str(error)
        except BaseException:  # noqa: BLE001 - a student's __str__ may raise anything
            message = "<the exception's message could not be read>"
        error_type = type(error).__name__
        if isinstance(error, OutOfTime):
            kind, error_type, message = "timeout", "Timeout", ""
        where, location = "", ("", 0, "")
        frames = [
            (frame.filename, frame.lineno or 0, frame.name, frame.line or "")
            for frame in traceback.extract_tb(error.__traceback__)
        ]
        if isinstance(error, SyntaxError):  # raised where it was compiled, not in the file
            frames.append((error.filename or "", error.lineno or 0, "<module>", error.text or ""))
        for filename, line, name, code in frames:
            inside = os.path.isabs(filename) and filename.startswith(self.submission_dir + os.sep)
            if inside:
                relative = os.path.relpath(filename, self.submission_dir)
                code = code.strip()[:MESSAGE_CAP]
                where = f"{relative}, line {line}, in {name}: {code}"
                location = (relative, line, code)
        return StudentError(kind, error_type, message[:MESSAGE_CAP], where[:MESSAGE_CAP], location)

    def resolve(self, value: object) -> object:
        """Replace handles by the objects they name and seeds by generators, recursively
        in lists/tuples/dicts."""
        if type(value) is RngSeed:
            return np.random.default_rng(value.seed)
        if type(value) is Handle:
            if value.id not in self.handles:
                raise StudentError("protocol", "KeyError", "unknown handle (worker restarted?)")
            return self.handles[value.id]
        if type(value) in (list, tuple):
            return type(value)(self.resolve(item) for item in value)
        if type(value) is dict:
            return {key: self.resolve(item) for key, item in value.items()}
        return value

    def keep(self, result: object, keep: list[int], drop: list[int]) -> object:
        """Store the tuple items at the `keep` positions here and send handles instead;
        send None for the `drop` positions (values the grader does not need). None (a
        starter stub's answer) comes back as itself."""
        if (not keep and not drop) or result is None:
            return result
        if type(result) not in (tuple, list):
            raise StudentError(
                "unsupported",
                "TypeError",
                f"expected a tuple of values, got {describe_type(result)}",
            )
        items = list(result)
        for index in [*keep, *drop]:
            if index >= len(items):
                raise StudentError(
                    "unsupported",
                    "TypeError",
                    f"expected a tuple of at least {index + 1} values, got {len(items)}",
                )
        for index in keep:
            self.handles[self.next_handle] = items[index]
            items[index] = Handle(self.next_handle)
            self.next_handle += 1
        for index in drop:
            items[index] = None
        return tuple(items)

    def invoke(self, request: dict) -> object:
        function = self.function(request["module"], request["function"])
        args = self.resolve(request["args"])
        kwargs = self.resolve(request.get("kwargs") or {})
        try:
            result = function(*args, **kwargs)
        except BaseException as error:  # noqa: BLE001 - sys.exit in student code fails the call
            raise self.describe_exception("exception", error) from None
        reply = {"value": self.keep(result, request.get("keep") or [], request.get("drop") or [])}
        if request.get("return_args"):
            sent = [request["args"], request.get("kwargs") or {}]
            reply["args_after"] = restore_handles(sent, [args, kwargs])
        return reply

    def invoke_many(self, request: dict) -> object:
        function = self.function(request["module"], request["function"])
        select = request.get("select")
        values = []
        for args in request["arg_list"]:
            try:
                result = function(*self.resolve(args))
            except BaseException as error:  # noqa: BLE001
                raise self.describe_exception("exception", error) from None
            if select is not None:
                if type(result) not in (tuple, list) or len(result) <= select:
                    raise StudentError(
                        "unsupported",
                        "TypeError",
                        f"expected a tuple of values, got {describe_type(result)}",
                    )
                result = result[select]
            values.append(result)
        return {"value": values}

    def drive(self, request: dict) -> dict:
        """Run a torch procedure (torch_driver.py, imported on first use) on the student's
        objects; `keep` leaves its result here behind a handle (a prepared workload)."""
        import torch_driver

        procedure = torch_driver.PROCEDURES.get(request.get("procedure"))
        if procedure is None:
            raise StudentError("protocol", "ValueError", "unknown torch procedure")
        args = self.resolve(request.get("args") or {})
        try:
            result = procedure(self, **args)
        except StudentError:
            raise
        except BaseException as error:  # noqa: BLE001 - student code failed inside the procedure
            raise self.describe_exception("exception", error) from None
        if request.get("keep"):
            self.handles[self.next_handle] = result
            result = Handle(self.next_handle)
            self.next_handle += 1
        return {"value": result}

    def handle(self, request: dict) -> dict:
        self.keep_house(request.get("before") or ())
        op = request.get("op")
        if op == "drive":
            return self.drive(request)
        if op == "call":
            return self.invoke(request)
        if op == "call_many":
            return self.invoke_many(request)
        if op == "import":
            self.module(request["module"])
            return {"value": self.cell_failures.get(request["module"], [])}
        raise StudentError("protocol", "ValueError", f"unknown op {op!r}")

    def keep_house(self, steps: object) -> None:
        """The releases and reseeds the grader asked for since its last request, in order.
        Student code can make them fail (a `__del__`, a monkeypatched np.random.seed): the
        grader then starts a new worker for the request."""
        try:
            for step in steps:
                if step["op"] == "release":
                    ids = step.get("ids")
                    if ids is None:
                        self.handles.clear()
                    for handle in ids or ():
                        self.handles.pop(handle, None)
                elif step["op"] == "reseed":
                    seed_global_generators(int(step["seed"]))
                else:
                    raise ValueError(f"unknown housekeeping {step['op']!r}")
        except BaseException as error:  # noqa: BLE001 - whatever student code raised, a time-out too
            raise StudentError("housekeeping", type(error).__name__, "") from None


def restore_handles(sent: object, after: object) -> object:
    """The arguments after a call, with the objects that came as handles sent back as
    those handles (the grader compares everything else with what it sent)."""
    if type(sent) in (Handle, RngSeed):
        return sent
    if type(sent) in (list, tuple) and type(after) is type(sent) and len(after) == len(sent):
        return type(sent)(restore_handles(s, a) for s, a in zip(sent, after, strict=True))
    if type(sent) is dict and type(after) is dict:
        return {key: restore_handles(sent.get(key), value) for key, value in after.items()}
    return after


def seed_global_generators(seed: int) -> None:
    """Student code that draws from numpy's or Python's global generator (dropout without
    a seed, say) still gives the same result on every grading."""
    random.seed(seed)
    np.random.seed(seed)


def limit_resources(memory_bytes: int) -> None:
    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    file_cap = 256 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_cap, file_cap))


def serve(request_fd: int, reply_fd: int, worker: Worker) -> None:
    real_stdout, real_stderr = sys.stdout, sys.stderr
    while True:
        try:
            request = decode(read_frame(request_fd))
        except EOFError:
            return
        captured = CappedOutput()
        sys.stdout = sys.stderr = captured
        try:
            with time_limit(request.get("budget") if type(request) is dict else None):
                reply = {"ok": True, **worker.handle(request)}
        except StudentError as error:
            reply = {"ok": False, "error": error.payload}
        except OutOfTime:  # the time ran out outside student code (or as it returned)
            reply = {"ok": False, "error": StudentError("timeout", "Timeout", "").payload}
        finally:
            sys.stdout, sys.stderr = real_stdout, real_stderr
        try:
            payload = encode({**reply, "stdout": captured.text()})
        except UnsupportedValue as error:
            failure = StudentError(
                "unsupported", "UnsupportedValue", f"unsupported return value: {error}"
            )
            payload = encode({"ok": False, "error": failure.payload, "stdout": captured.text()})
        write_frame(reply_fd, payload)


def start(request_fd: int, reply_fd: int, sealing: str) -> Worker:
    """The grader's first request names the submission folder (relative to the scratch
    folder), the seed and the libraries to load before any student code (within the start's
    time, not a student call's); the reply says how the worker is sealed."""
    request = decode(read_frame(request_fd))
    submission_dir = os.path.abspath(request["submission"])
    os.environ["HOME"] = os.path.dirname(submission_dir)
    for library in request.get("preload", ()):
        with contextlib.suppress(ImportError):  # the student's own import will say it
            importlib.import_module(library)
    sys.path.insert(0, submission_dir)
    os.chdir(submission_dir)
    seed_global_generators(int(request["seed"]))
    write_frame(reply_fd, encode({"ok": True, "value": sealing, "stdout": ""}))
    return Worker(submission_dir)


def main() -> None:
    sealing = seal.seal(private=sys.argv[4] == "private")
    request_fd, reply_fd, memory_bytes = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    limit_resources(memory_bytes)
    serve(request_fd, reply_fd, start(request_fd, reply_fd, sealing))


if __name__ == "__main__":
    main()
