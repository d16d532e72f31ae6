"""Reading a batch's gradebook in tests: its rows without what no rerun reproduces (times),
and how far a running batch has got."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path


def gradebook_rows(out: Path) -> list[tuple]:
    """The gradebook without its timing columns (graded_at, seconds, report timings)."""
    with contextlib.closing(sqlite3.connect(out / "gradebook.sqlite")) as db:
        rows = db.execute(
            "SELECT student, sha256, grader_version, assignment, seed, options, status, score,"
            " max_score, functions, message, report_json, report_text FROM gradings"
            " ORDER BY student, sha256"
        ).fetchall()
    return [(*row[:-2], without_timings(row[-2]), row[-1]) for row in rows]


def without_timings(report: str) -> dict:
    data = json.loads(report)
    data.pop("execution_time", None)
    data["extra_data"].pop("duration_by_check", None)
    return data


def graded_count(out: Path) -> int:
    """Graded rows so far (0 while the run has not created its table yet)."""
    path = out / "gradebook.sqlite"
    if path.exists():
        with (
            contextlib.closing(sqlite3.connect(path)) as db,
            contextlib.suppress(sqlite3.OperationalError),
        ):
            return db.execute("SELECT COUNT(*) FROM gradings WHERE status = 'graded'").fetchone()[0]
    return 0
