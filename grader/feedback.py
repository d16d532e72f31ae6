"""Per-student feedback files of a class grading (`grader batch --format`): what an
instructor hands back, rendered by the report renderers beside each student's JSON.

The JSON report is always written (it is the report of record); `txt`, `md` and `html`
when asked. A student graded again loses the files of formats no longer asked for, so no
stale feedback is ever handed back beside a new grading."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from grader.report.html import render_html
from grader.report.markdown import image_folder, markdown_files
from grader.report.model import Report

FEEDBACK_FORMATS = ("json", "txt", "md", "html")
DEFAULT_FORMATS = ("json", "txt")
RENDERED = ("md", "html")  # rendered from the report as it is graded (never from the gradebook)


def chosen_formats(asked: Iterable[str]) -> tuple[str, ...]:
    """The formats written per student: JSON always, then those asked for (the defaults
    when none), in a fixed order."""
    chosen = {"json", *(tuple(asked) or DEFAULT_FORMATS)}
    return tuple(fmt for fmt in FEEDBACK_FORMATS if fmt in chosen)


def feedback_name(student: str, fmt: str) -> str:
    return f"{student}.{fmt}"


def rendered_files(report: Report, student: str, formats: Iterable[str]) -> dict[str, bytes]:
    """The `md` and `html` feedback among `formats`, by path relative to the reports folder
    (a Markdown report's plots in a folder beside it)."""
    files: dict[str, bytes] = {}
    if "html" in formats:
        files[feedback_name(student, "html")] = render_html(report).encode("utf-8")
    if "md" in formats:
        files.update(markdown_files(report, feedback_name(student, "md")))
    return files


def expected_files(student: str, formats: Iterable[str], graded: bool) -> list[str]:
    """The files a student's row needs in the reports folder: a row that is not graded has
    no report to render, only its JSON and text."""
    kept = [fmt for fmt in formats if graded or fmt not in RENDERED]
    return [feedback_name(student, fmt) for fmt in kept]


def remove_stale(reports: Path, student: str, formats: Iterable[str]) -> None:
    """Before a student's new files are written: drop the feedback of formats not asked for
    now and the previous Markdown plots (a new grading may draw fewer)."""
    for fmt in FEEDBACK_FORMATS:
        if fmt not in formats and fmt != "json":
            (reports / feedback_name(student, fmt)).unlink(missing_ok=True)
    shutil.rmtree(reports / image_folder(Path(feedback_name(student, "md"))), ignore_errors=True)
