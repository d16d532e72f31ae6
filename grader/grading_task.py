"""One student's grading as a class run ships it: the task (plain data a pool process or
a cluster worker needs), the gradebook row it produces (`Outcome`), and `grade_task`, which
turns every failure into a row. `outcome_json`/`outcome_from_json` carry a row between
machines as plain JSON: the coordinator never unpickles what a worker sends back."""

from __future__ import annotations

import base64
import contextlib
import json
import multiprocessing.util
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from grader import __version__
from grader.classbook import CRASHED, ERROR, GRADED
from grader.feedback import chosen_formats, rendered_files
from grader.grading import GradeOptions, grade, reference_workers_kept
from grader.late import LateVerdict
from grader.report.json_report import failure_results, render_json
from grader.report.text import render_text
from grader.submission import SubmissionError


@dataclass(frozen=True)
class GradeTask:
    """Everything a pool process needs to grade one entry (picklable plain data)."""

    assignment: str
    student: str
    path: Path
    sha256: str
    options: GradeOptions
    max_score: float
    formats: tuple[str, ...] = chosen_formats(())
    late: LateVerdict | None = None  # what the submission time costs under the late policy


@dataclass(frozen=True)
class Outcome:
    """One gradebook row: what a grading produced, as plain data."""

    student: str
    sha256: str
    status: str
    score: float
    max_score: float
    functions: dict[str, tuple[float, float]]
    message: str
    report_json: str
    report_text: str
    seconds: float = 0.0
    late: LateVerdict | None = None
    files: dict[str, bytes] = field(default_factory=dict)  # md/html feedback, by file name

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 0.0


def failure(task: GradeTask, status: str, message: str) -> Outcome:
    """A zero-score row, with a Gradescope-shaped JSON report that says why."""
    results = failure_results(
        message,
        {
            "assignment": task.assignment,
            "max_score": task.max_score,
            "grader_version": __version__,
            "submission_sha256": task.sha256,
            "seed": task.options.seed,
            "status": status,
        },
    )
    text = f"{task.student}: {status}, not graded\n{message}\n"
    report = json.dumps(results, indent=2) + "\n"
    return Outcome(
        task.student, task.sha256, status, 0.0, task.max_score, {}, message, report, text
    )


def grade_task(task: GradeTask) -> Outcome:
    """Grade one entry; every failure becomes an outcome, so only a dead process raises."""
    began = time.perf_counter()
    try:
        report = grade(task.assignment, task.path, task.options)
    except SubmissionError as error:
        return failure(task, ERROR, str(error))
    except Exception as error:  # WorkerStartError or a grader bug: retried next run
        return failure(task, CRASHED, f"{type(error).__name__}: {error}")
    if task.late is not None:
        report = task.late.applied(report)
    return Outcome(
        student=task.student,
        sha256=report.submission_sha256,
        status=GRADED,
        score=report.score,
        max_score=report.max_score,
        functions={total.function: (total.score, total.max_score) for total in report.functions()},
        message="; ".join(filter(None, (report.deadline_note, *report.notes))),
        report_json=render_json(report),
        report_text=render_text(report),
        seconds=time.perf_counter() - began,
        late=task.late,
        files=rendered_files(report, task.student, task.formats),
    )


def keep_reference_workers() -> None:
    """Each grading process keeps its reference workers for the whole batch, so a class
    costs one start of each, not one per student. They are closed when the process exits:
    a multiprocessing finalizer runs then in a pool process, forked ones included (which
    skip atexit), and in a main process (a Dask worker's) alike."""
    keeper = contextlib.ExitStack()
    keeper.enter_context(reference_workers_kept())
    multiprocessing.util.Finalize(None, keeper.close, exitpriority=0)


def outcome_json(outcome: Outcome) -> str:
    """The row as JSON (feedback files base64-encoded)."""
    plain = asdict(outcome)
    plain["files"] = {name: base64.b64encode(data).decode() for name, data in outcome.files.items()}
    return json.dumps(plain)


def outcome_from_json(text: str) -> Outcome:
    """The row `outcome_json` wrote."""
    plain = json.loads(text)
    late = plain.pop("late")
    return Outcome(
        **{
            **plain,
            "functions": {name: tuple(pair) for name, pair in plain["functions"].items()},
            "files": {name: base64.b64decode(data) for name, data in plain["files"].items()},
            "late": LateVerdict(**late) if late else None,
        }
    )
