"""What a grading produced, independent of any output format.

Depends on nothing else in the package, so checks build their tables and plots with these
types without importing a renderer."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol


def add_scores(scores: Iterable[float]) -> float:
    """Scores added without float drift: an exactly rounded sum, then to 6 decimals (far
    finer than any share a check gives), so 79.85 never comes out as 79.84999999999999."""
    return round(math.fsum(scores), 6)


def format_points(points: float) -> str:
    """Points as every report and listing prints them: at most 4 decimals (a quarter of a
    0.05 share), no trailing zeros: 109.5, 0.45, 3."""
    return f"{points:.4f}".rstrip("0").rstrip(".")


class Scored(Protocol):
    """A check's result, a function's total or a whole report."""

    @property
    def score(self) -> float: ...

    @property
    def max_score(self) -> float: ...


def format_score(scored: Scored) -> str:
    return f"{format_points(scored.score)}/{format_points(scored.max_score)}"


Cell = str | int | float


@dataclass(frozen=True)
class Table:
    """A table a check attaches to its result (activation std per layer, the first steps of
    a training run, timings): reported by every format, never scored."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Series:
    """One curve of a plot; None where it has no value (a training run that stopped early)."""

    label: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Band:
    """The range the reference falls in at each x, shaded behind the curves."""

    low: tuple[float, ...]
    high: tuple[float, ...]


@dataclass(frozen=True)
class Plot:
    """Curves a check attaches to its result, drawn by the formats that embed images."""

    title: str
    x_label: str
    x: tuple[float, ...]
    series: tuple[Series, ...]
    band: Band | None = None
    log_y: bool = False


@dataclass(frozen=True)
class Attachments:
    """What a check shows beside its verdict; every renderer reads it through this type, so
    the formats cannot disagree on what a result carries."""

    tables: tuple[Table, ...] = ()
    plots: tuple[Plot, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.tables or self.plots)


@dataclass(frozen=True)
class CheckResult:
    function: str
    description: str
    kind: str
    score: float
    max_score: float
    passed: bool
    feedback: str
    visibility: str
    duration: float = 0.0
    attachments: Attachments = Attachments()

    @property
    def name(self) -> str:
        return f"{self.function}: {self.description}"


@dataclass(frozen=True)
class FunctionTotal:
    function: str
    score: float
    max_score: float
    checks_failed: int


@dataclass(frozen=True)
class Report:
    assignment: str
    title: str
    results: tuple[CheckResult, ...]
    seed: int
    submission_sha256: str
    isolation: str
    device: str
    grader_version: str
    execution_time: float
    notes: tuple[str, ...] = ()
    hidden_not_run: int = 0  # hidden checks a public-only grading left out
    timings: Mapping[str, float] = field(default_factory=dict)  # profiling, never rendered
    deadline_note: str = ""  # set when the grading's deadline left checks unrun: shown first

    @property
    def score(self) -> float:
        return add_scores(result.score for result in self.results)

    @property
    def max_score(self) -> float:
        return add_scores(result.max_score for result in self.results)

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 100.0

    def attached(self) -> list[CheckResult]:
        """The results that carry a table or a plot, in report order: what every format
        shows in its tables-and-plots part."""
        return [result for result in self.results if result.attachments]

    def functions(self) -> list[FunctionTotal]:
        """Per-function totals, in the order the functions were graded."""
        by_function: dict[str, list[CheckResult]] = {}
        for result in self.results:
            by_function.setdefault(result.function, []).append(result)
        return [
            FunctionTotal(
                name,
                add_scores(result.score for result in results),
                add_scores(result.max_score for result in results),
                sum(not result.passed for result in results),
            )
            for name, results in by_function.items()
        ]
