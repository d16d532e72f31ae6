"""What every check receives, and what it gives back."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from grader.assignments.spec import AssignmentSpec, Case, CaseGenerator, FunctionSpec
from grader.checks.implementations import ReferenceImplementation, StudentImplementation
from grader.checks.procedures import MalformedResult, run
from grader.checks.recording import ReferenceSource
from grader.report.model import Attachments
from grader.sandbox.client import CallError, StudentCallFailed, Worker


@dataclass(frozen=True)
class Outcome:
    passed: bool
    feedback: str = ""
    description: str = ""  # overrides the check's default description when set
    attachments: Attachments = Attachments()  # tables and plots, reported, never scored
    credit: float | None = None  # partial credit (share of the points) of a failed check

    @property
    def share(self) -> float:
        return 1.0 if self.passed else (self.credit or 0.0)


@dataclass
class CheckContext:
    assignment: AssignmentSpec
    function: FunctionSpec
    student: StudentImplementation
    reference: ReferenceImplementation
    rng: np.random.Generator
    seed: int
    cifar_dir: Path | None = None
    reference_worker: Worker | None = None  # the reference's own worker (torch objects)
    device: str = "cpu"  # where torch objects run: cpu or cuda
    device_name: str = "CPU"
    source: ReferenceSource = field(default_factory=ReferenceSource)

    @property
    def forward(self) -> FunctionSpec | None:
        if self.function.forward is None:
            return None
        return self.assignment.function(self.function.forward)

    @property
    def arg_names(self) -> tuple[str, ...]:
        """Parameter names of the called function (the forward, for a backward)."""
        return self.reference.parameters(self.function.forward or self.function.name)

    def cases(self, count: int | None = None, inputs: CaseGenerator | None = None) -> list[Case]:
        """Inputs for this check: its own (`inputs`), the function's, or its forward's; a
        backward's cases get a dout of the forward output's shape."""
        forward = self.forward
        generator = inputs or self.function.cases or (forward and forward.cases)
        cases = self.source.cases(lambda rng: generator(rng)[:count], self.rng)
        if self.function.kind != "backward":
            return cases
        with_dout = []
        for case in cases:
            out = self.expected(case, forward)["out"]
            dout = self.rng.standard_normal(np.shape(out))
            with_dout.append(Case(case.args, case.kwargs, dout, case.note))
        return with_dout

    def expected(self, case: Case, spec: FunctionSpec | None = None) -> dict[str, object]:
        return run(spec or self.function, self.reference, case, self.arg_names, self.forward)

    def got(self, case: Case) -> dict[str, object]:
        return run(self.function, self.student, case, self.arg_names, self.forward)


STUDENT_FAILURES = (StudentCallFailed, MalformedResult)
OUTPUT_LINES = 8


def explain_failure(function: str, error: Exception) -> str:
    """The one wording of a failed student call, for every check: what went wrong, where in
    the student's files, and the start of what the code printed. `function` is the student
    function the check called; a failure inside a call made on its behalf (a backward's
    forward, a network's layer) names that call instead."""
    if isinstance(error, StudentCallFailed):
        text = _call_failure(error.function or function, error.module, error.error)
    else:  # MalformedResult (its message names the function) or a value numpy refused
        text = str(error)
    return text + _printed(getattr(error, "stdout", ""))


def _call_failure(function: str, module: str, error: CallError) -> str:
    """The call named once, as the subject; the worker's missing-name messages already name
    what is missing and where it looked, so they stand alone."""
    if error.kind == "missing":
        if error.type == "ModuleNotFound":
            return f"{function} was not found: {error.message}"
        return error.message
    if error.kind == "timeout":  # `where`: the line that was running when time ran out
        text = f"{function} {error.message}"
        return f"{text}\n  it was running {error.where}" if error.where else text
    if error.kind not in ("exception", "import"):  # crash, unsupported value, protocol
        return f"{function}: {error.message}"
    raised = f"raised {error.type}: {error.message}".rstrip(": ")
    if error.kind == "import":
        text = f"{function} could not be called: importing {module}.py {raised}"
    elif error.type == "NotImplementedError":  # where it raised tells nothing more
        return not_implemented(function, raised)
    else:
        text = f"{function} {raised}"
    return f"{text}\n  at {error.where}" if error.where else text


def not_implemented(function: str, how: str) -> str:
    """The one wording of a function left as a stub (`how`: what it did)."""
    return f"{function} is not implemented yet: it {how}"


def _printed(stdout: str) -> str:
    """The first OUTPUT_LINES lines the student's code printed before failing, if any."""
    lines = stdout.strip().splitlines()
    if not lines:
        return ""
    shown = "\n    ".join(lines[:OUTPUT_LINES])
    more = (
        f"\n    [... {len(lines) - OUTPUT_LINES} more lines]" if len(lines) > OUTPUT_LINES else ""
    )
    return f"\n  your code printed:\n    {shown}{more}"


def not_graded(reason: str) -> str:
    """The feedback of a check that a problem reported once at the top of the report
    (a module that failed to import, a function not implemented yet) kept from grading."""
    return f"not graded: {reason} (see the top of the report)"


MAIN_GUARD = 'if __name__ == "__main__":'


def import_hint(error: CallError, file: str, cell: int = 0) -> str:
    """What the student can do about `file` (a module, or the notebook it came from)
    failing as the grader imported it; `cell` is the notebook cell that failed, if any."""
    missing = re.fullmatch(r"No module named '([\w.]+)'", error.message)
    if error.kind == "missing":
        return f"hand in {file} with the functions the assignment asks for"
    if error.kind == "timeout":
        return (
            f"importing {file} did not finish: code at its top level (training, a long "
            f"loop) runs when it is graded; move it into a function or under `{MAIN_GUARD}`"
        )
    if error.type == "ModuleNotFoundError" and missing:
        package = missing.group(1).split(".")[0]
        return (
            f"{package} is neither part of your submission nor installed where it is graded: "
            f"put the code you use from it into {file}, or hand in the {package} package "
            f"folder with your files"
        )
    if error.type == "ImportError" and "relative import" in error.message:
        return "import your other modules by name (`from layers import ...`), not relatively"
    if error.type == "SyntaxError":
        return f"none of {file} can run until it parses: fix the syntax error"
    if cell and error.type == "FileNotFoundError":
        return (
            f"cell {cell} reads a file that was not handed in; the other cells were graded. "
            f"Leave such cells out of the notebook you hand in, or hand in the file"
        )
    if cell:
        return (
            f"cell {cell} fails when the notebook runs from the top; the other cells were "
            f"graded, but what cell {cell} defines after the failing line is missing"
        )
    return (
        f"the top level of {file} runs when it is graded: move code that explores or "
        f"loads data into a function or under `{MAIN_GUARD}`"
    )
