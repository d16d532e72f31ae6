"""What every check receives, and what it gives back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from grader.assignments.spec import AssignmentSpec, Case, FunctionSpec
from grader.checks.implementations import ReferenceImplementation, StudentImplementation
from grader.checks.procedures import MalformedResult, run
from grader.checks.recording import ReferenceSource
from grader.sandbox.client import StudentCallFailed, Worker


@dataclass(frozen=True)
class Outcome:
    passed: bool
    feedback: str = ""
    description: str = ""  # overrides the check's default description when set
    data: Mapping[str, Any] = field(default_factory=dict)  # for plots and tables
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
    options: Mapping[str, Any]
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

    def cases(self, count: int | None = None) -> list[Case]:
        """Inputs for this check: the check's own, the function's, or its forward's; a
        backward's cases get a dout of the forward output's shape."""
        forward = self.forward
        generator = self.options.get("inputs") or self.function.cases or (forward and forward.cases)
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


def explain_failure(error: Exception) -> str:
    """A student call that failed, in words, with the start of what it printed."""
    text = error.error.describe() if isinstance(error, StudentCallFailed) else str(error)
    stdout = getattr(error, "stdout", "")
    if stdout.strip():
        lines = stdout.strip().splitlines()
        shown = "\n    ".join(lines[:OUTPUT_LINES])
        more = (
            f"\n    [... {len(lines) - OUTPUT_LINES} more lines]"
            if len(lines) > OUTPUT_LINES
            else ""
        )
        text += f"\n  your code printed:\n    {shown}{more}"
    return text
