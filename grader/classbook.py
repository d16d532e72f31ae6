"""What a gradebook row is, as the class tools read it: `batch` writes the rows, `regrade`
and `dashboard` read them, and none of those two imports `batch`."""

from __future__ import annotations

from typing import Protocol

GRADED, ERROR, CRASHED = "graded", "error", "crashed"  # crashed rows are retried next run
FINAL_STATUSES = (GRADED, ERROR)


class ClassRow(Protocol):
    """One student's grading as the gradebook keeps it (`batch.Outcome`)."""

    @property
    def student(self) -> str: ...

    @property
    def status(self) -> str: ...

    @property
    def percent(self) -> float: ...

    @property
    def functions(self) -> dict[str, tuple[float, float]]: ...

    @property
    def report_json(self) -> str: ...

    @property
    def seconds(self) -> float: ...
