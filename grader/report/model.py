"""What a grading produced, independent of any output format.

Depends on nothing else in the package, so checks build their tables and plots with these
types without importing a renderer."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol


def add_scores(scores: Iterable[float]) -> float:
    """Scores added without float drift: an exactly rounded sum, then to 6 decimals (far
    finer than any share a check gives), so 79.85 never comes out as 79.84999999999999."""
    return round(math.fsum(scores), 6)


def after_penalty(points: float, percent: float) -> float:
    """`points` less `percent` of them (a late penalty)."""
    return round(points * (100.0 - percent) / 100.0, 6) if percent else points


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
    """One curve of a plot; None where it has no value (a training run that stopped early).
    The reference's curves are drawn beneath the student's, so the student's stays visible
    where the two agree."""

    label: str
    values: tuple[float | None, ...]
    reference: bool = False


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
    y_label: str = ""


@dataclass(frozen=True)
class Attachments:
    """What a check shows beside its verdict; every renderer reads it through this type, so
    the formats cannot disagree on what a result carries."""

    tables: tuple[Table, ...] = ()
    plots: tuple[Plot, ...] = ()
    # measurements (times) that no rerun reproduces: left out where two gradings of one
    # submission are compared (`json_report.stable_results`)
    measured: bool = False

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


class Status(Enum):
    """Where a function stands, worded as its row in every function table and its section
    say it."""

    OK = "ok"
    PARTIAL = "partial"  # some checks failed: the label counts them
    FAILED = "FAIL"
    NOT_IMPLEMENTED = "not implemented yet"  # a stub: the report's top says so
    WAITING = "waits for its forward"  # a backward not graded until its forward is written
    NOT_GRADED = "not graded (see above)"  # its module failed to import: the top says why

    def label(self, checks_failed: int) -> str:
        if self is Status.PARTIAL:
            return f"partial ({checks_failed} failed)"
        return self.value

    @property
    def accounted(self) -> bool:
        """Whether the report's top already says why this function lost its points, so its
        checks are not listed one by one."""
        return self in (Status.NOT_IMPLEMENTED, Status.WAITING, Status.NOT_GRADED)


@dataclass(frozen=True)
class Section:
    """One function's part of a report: its total, where it stands, and its checks in
    grading order."""

    total: FunctionTotal
    status: Status
    results: tuple[CheckResult, ...]

    @property
    def label(self) -> str:
        return self.status.label(self.total.checks_failed)

    @property
    def shown(self) -> tuple[CheckResult, ...]:
        """The checks shown one by one: the failed ones (unless the report's top accounts for
        the function) and those carrying a table or a plot."""
        failures = not self.status.accounted
        return tuple(r for r in self.results if (failures and not r.passed) or r.attachments)


@dataclass(frozen=True)
class ModuleProblem:
    """A file of the submission that went wrong as the grader imported it, reported once
    at the top of every report instead of in each check it fails. `kind`: "import" (the
    module could not be imported), "missing" (it was not handed in) or "cell" (a notebook
    cell failed; the other cells ran)."""

    file: str  # as the student knows it: layers.py, or the notebook it was made from
    kind: str
    exception: str  # the exception's type
    message: str
    failed_in: str = ""  # the file it failed in, when another than `file` (one it imports)
    line: int = 0  # the line it failed on, in that file or in the cell
    cell: int = 0  # the notebook cell, when that file is a notebook
    code: str = ""  # the source line that failed
    hint: str = ""  # what to do about it
    functions: tuple[str, ...] = ()  # the graded functions it leaves ungraded

    @property
    def place(self) -> str:
        """Where it happened: `layers.py, line 1`, `work.ipynb, cell 3, line 2`."""
        cell = f", cell {self.cell}" if self.cell else ""
        line = f", line {self.line}" if self.line else ""
        return f"{self.failed_in or self.file}{cell}{line}"


@dataclass(frozen=True)
class SourceLocation:
    """Where the student defined a graded function, as the student knows the file: CI
    annotations point there."""

    file: str  # relative to the submission's folder: layers.py, or the notebook work.ipynb
    line: int  # the `def` (or `class`) line, in the file or in the notebook cell
    cell: int = 0  # the notebook cell, when the file is a notebook


@dataclass(frozen=True)
class TableRow:
    """One row of a function table: a function's total, or the functions a module
    problem left ungraded, listed in one row (`problem` set)."""

    total: FunctionTotal
    status: Status
    problem: ModuleProblem | None = None

    @property
    def label(self) -> str:
        return self.status.label(self.total.checks_failed)


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
    problems: tuple[ModuleProblem, ...] = ()  # files that failed as they were imported
    not_implemented: tuple[str, ...] = ()  # functions that only answered as a stub does
    waiting: tuple[str, ...] = ()  # backwards not graded: their forward is not implemented
    timings: Mapping[str, float] = field(default_factory=dict)  # profiling, never rendered
    deadline_note: str = ""  # set when the grading's deadline left checks unrun: shown first
    locations: Mapping[str, SourceLocation] = field(default_factory=dict)  # function -> def
    late_penalty: float = 0.0  # percent of the points taken off for lateness (grader.late)

    @property
    def points(self) -> float:
        """What the checks earned, before any late penalty."""
        return add_scores(result.score for result in self.results)

    @property
    def score(self) -> float:
        """The grade: the points less the late penalty."""
        return after_penalty(self.points, self.late_penalty)

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

    def status(self, total: FunctionTotal) -> Status:
        if total.function in self.ungraded():
            return Status.NOT_GRADED
        if total.function in self.not_implemented:
            return Status.NOT_IMPLEMENTED
        if total.function in self.waiting:
            return Status.WAITING
        if total.score >= total.max_score:
            return Status.OK
        return Status.FAILED if total.score == 0 else Status.PARTIAL

    def sections(self) -> list[Section]:
        """One section per function, in the order the functions were graded."""
        return [
            Section(
                total,
                self.status(total),
                tuple(r for r in self.results if r.function == total.function),
            )
            for total in self.functions()
        ]

    def failed(self) -> list[CheckResult]:
        """The failed checks shown one by one, in report order: not those of a function the
        report's top already accounts for (its module failed to import, it is a stub)."""
        accounted = {s.total.function for s in self.sections() if s.status.accounted}
        return [r for r in self.results if not r.passed and r.function not in accounted]

    def ungraded(self) -> dict[str, ModuleProblem]:
        """The functions a module problem left ungraded, and that problem."""
        return {name: problem for problem in self.problems for name in problem.functions}

    def rows(self) -> list[TableRow]:
        """The function table: one row per function, except that the functions a module
        problem left ungraded share one row, where the first of them would be."""
        ungraded = self.ungraded()
        rows, grouped = [], {}
        for total in self.functions():
            problem = ungraded.get(total.function)
            if problem is None:
                rows.append(TableRow(total, self.status(total)))
                continue
            if problem.file not in grouped:
                grouped[problem.file] = len(rows)
                empty = FunctionTotal(problem.file, 0.0, 0.0, 0)
                rows.append(TableRow(empty, Status.NOT_GRADED, problem))
            index = grouped[problem.file]
            group = rows[index].total
            rows[index] = TableRow(
                FunctionTotal(
                    group.function,
                    add_scores((group.score, total.score)),
                    add_scores((group.max_score, total.max_score)),
                    group.checks_failed + total.checks_failed,
                ),
                Status.NOT_GRADED,
                problem,
            )
        return rows
