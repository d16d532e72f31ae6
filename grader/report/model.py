"""What a grading produced, independent of any output format."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


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
        return round(sum(result.score for result in self.results), 6)

    @property
    def max_score(self) -> float:
        return round(sum(result.max_score for result in self.results), 6)

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 100.0

    def functions(self) -> list[FunctionTotal]:
        """Per-function totals, in the order the functions were graded."""
        totals: dict[str, list[float]] = {}
        for result in self.results:
            entry = totals.setdefault(result.function, [0.0, 0.0, 0])
            entry[0] += result.score
            entry[1] += result.max_score
            entry[2] += not result.passed
        return [
            FunctionTotal(name, round(score, 6), round(maximum, 6), int(failed))
            for name, (score, maximum, failed) in totals.items()
        ]
