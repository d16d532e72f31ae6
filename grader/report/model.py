"""What a grading produced, independent of any output format."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


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
    data: Mapping[str, Any] = field(default_factory=dict)

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

    @property
    def score(self) -> float:
        return add_scores(result.score for result in self.results)

    @property
    def max_score(self) -> float:
        return add_scores(result.max_score for result in self.results)

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 100.0

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
