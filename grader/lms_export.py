"""A batch gradebook as an LMS imports it: Canvas's gradebook CSV, Moodle's grade import.

The score of each student is the gradebook's latest grading of them (after any late
penalty); a student without a gradable submission, or whose entry was broken or could not
be graded, gets a blank, never a zero: an error is not a grade. Students are matched to the
roster by the LMS id their download name carried (`lms_students`), else by their batch id
against the roster's own ids; those the roster lacks are returned, for the caller to report.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from grader.late import LateVerdict
from grader.lms_names import CANVAS, MOODLE

GRADEBOOK = "gradebook.sqlite"
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
POINTS_POSSIBLE = "Points Possible"
MOODLE_ID_COLUMNS = ("Email address", "ID number")
GRADED = "graded"
_ASSIGNMENT_COLUMN = re.compile(r"(?P<name>.*\S)\s*\((?P<id>\d+)\)")


class ExportError(ValueError):
    """The gradebook or the roster cannot be read as an export needs (a usage error)."""


@dataclass(frozen=True)
class ClassGrade:
    """One student's latest grading, as an export shows it."""

    student: str
    status: str
    score: float
    max_score: float
    lms: str = ""
    lms_id: str = ""
    name: str = ""
    email: str = ""
    late_note: str = ""

    @property
    def grade(self) -> str:
        """The points with two decimals; blank unless graded."""
        return f"{self.score:.2f}" if self.status == GRADED else ""


@dataclass(frozen=True)
class ClassGrades:
    assignment: str
    max_score: float
    students: tuple[ClassGrade, ...]


@dataclass(frozen=True)
class Export:
    """The CSV text, and the gradebook's students the roster does not have."""

    text: str
    unmatched: tuple[str, ...]


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    return db.execute(query, (name,)).fetchone() is not None


def _late_notes(db: sqlite3.Connection) -> dict[tuple[str, str], str]:
    """(student, sha256) -> the words of the penalty taken (gradebooks before late
    policies have none)."""
    if not _has_table(db, "late_penalties"):
        return {}
    rows = db.execute(
        "SELECT student, sha256, submitted_at, seconds_late, percent, rule FROM late_penalties"
        " WHERE seconds_late > 0"
    )
    return {(student, sha): LateVerdict(*rest).note for student, sha, *rest in rows}


def read_gradebook(directory: Path) -> ClassGrades:
    """The latest grading of every student in `directory`'s gradebook, by student."""
    path = Path(directory) / GRADEBOOK
    if not Path(directory).is_dir():
        raise ExportError(f"{directory}: not a folder (give the --out folder of grader batch)")
    if not path.is_file():
        raise ExportError(
            f"{directory}: no {GRADEBOOK} here (give the --out folder of grader batch)"
        )
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        try:
            rows = db.execute(
                "SELECT student, sha256, assignment, status, score, max_score FROM gradings g"
                " WHERE rowid = (SELECT MAX(rowid) FROM gradings h WHERE h.student = g.student)"
                " ORDER BY student"
            ).fetchall()
        except sqlite3.DatabaseError as error:
            raise ExportError(f"{path}: not a grader gradebook ({error})") from None
        people = {}
        if _has_table(db, "lms_students"):
            people = {
                row[0]: row[1:]
                for row in db.execute("SELECT student, lms, lms_id, name, email FROM lms_students")
            }
        notes = _late_notes(db)
    assignments = sorted({row[2] for row in rows})
    if len(assignments) != 1:
        found = ", ".join(assignments) or "none"
        raise ExportError(f"{path}: expected the gradings of one assignment, found {found}")
    students = tuple(
        ClassGrade(
            student,
            status,
            score,
            max_score,
            *people.get(student, ()),
            late_note=notes.get((student, sha), ""),
        )
        for student, sha, _, status, score, max_score in rows
    )
    graded = [grade.max_score for grade in students if grade.status == GRADED]
    return ClassGrades(assignments[0], max(graded or [row[5] for row in rows]), students)


def read_roster(
    path: Path, required: Iterable[str], what: str
) -> tuple[list[str], list[list[str]]]:
    """A roster CSV's header and rows; refused when it lacks a `required` column."""
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as handle:
            rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ExportError(f"roster {path}: cannot be read ({error})") from None
    header = [cell.strip() for cell in rows[0]] if rows else []
    missing = [column for column in required if column not in header]
    if missing:
        raise ExportError(
            f"roster {path}: no {', '.join(missing)} column "
            f"(expected {what}, with {', '.join(required)})"
        )
    width = len(header)
    return header, [row + [""] * (width - len(row)) for row in rows[1:]]


def _write(rows: Iterable[Iterable[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def assignment_column(header: list[str], names: Iterable[str], column: str | None) -> str:
    """The roster's column for this assignment: `column` when given, else the one named like
    the assignment (`Layers (123)` for `layers`), else the assignment's name (Canvas then
    makes a new assignment)."""
    if column:
        return column
    wanted = {name.casefold() for name in names if name}
    found = [
        name
        for name in header[len(CANVAS_COLUMNS) :]
        if (match := _ASSIGNMENT_COLUMN.fullmatch(name))
        and match["name"].casefold() in wanted
        or name.casefold() in wanted
    ]
    if len(found) > 1:
        raise ExportError(f"the roster has several columns for this assignment: {', '.join(found)}")
    return found[0] if found else next(name for name in names if name)


def roster_index(keys: list[dict[str, str]]) -> dict[tuple[str, str], int]:
    """(column, value) -> the roster row holding it; a value two rows share names neither."""
    index: dict[tuple[str, str], int] = {}
    shared = set()
    for position, row in enumerate(keys):
        for column, value in row.items():
            key = (column, value.strip().casefold())
            if key[1] and index.setdefault(key, position) != position:
                shared.add(key)
    return {key: position for key, position in index.items() if key not in shared}


def match_students(
    grades: ClassGrades, keys: list[dict[str, str]], lms: str, own: dict[str, str]
) -> tuple[dict[int, ClassGrade], tuple[str, ...]]:
    """Roster row index -> its student's grade, and the students no roster row has (or
    that share a row with another student: neither is exported there). A student whose
    download named them in this LMS is looked up by that (`own`: roster column -> the
    ClassGrade field); any other by their batch id or email in every column of `keys`."""
    index = roster_index(keys)
    columns = list(keys[0]) if keys else []
    claimed: dict[int, list[ClassGrade]] = {}
    unmatched = []
    for grade in grades.students:
        if grade.lms == lms:
            lookups = [(column, getattr(grade, field)) for column, field in own.items()]
        else:
            values = (grade.student, grade.email)
            lookups = [(column, value) for column in columns for value in values]
        found = [index.get((column, value.casefold())) for column, value in lookups if value]
        position = next((position for position in found if position is not None), None)
        if position is None:
            unmatched.append(grade.student)
        else:
            claimed.setdefault(position, []).append(grade)
    matched = {}
    for position, found in claimed.items():
        if len(found) == 1:
            matched[position] = found[0]
        else:
            unmatched += [f"{grade.student} (shares a roster row)" for grade in found]
    return matched, tuple(sorted(unmatched))


def canvas_csv(
    grades: ClassGrades, roster: Path, names: Iterable[str] = (), column: str | None = None
) -> Export:
    """Canvas's gradebook import: the roster's five student columns, then this assignment's
    column; the roster's `Points Possible` row kept; one row per roster student, in order."""
    header, rows = read_roster(roster, CANVAS_COLUMNS, "Canvas's gradebook export")
    positions = [header.index(name) for name in CANVAS_COLUMNS]
    title = assignment_column(header, [*names, grades.assignment], column)
    students = [row for row in rows if row[positions[1]].strip()]
    keys = [{name: row[header.index(name)] for name in CANVAS_COLUMNS[1:4]} for row in students]
    matched, unmatched = match_students(grades, keys, CANVAS, {"ID": "lms_id"})
    out = [[*CANVAS_COLUMNS, title]]
    for row in rows:
        if row[positions[0]].strip() == POINTS_POSSIBLE:
            out.append([row[positions[0]], "", "", "", "", f"{grades.max_score:.2f}"])
    for position, row in enumerate(students):
        grade = matched.get(position)
        out.append([row[p] for p in positions] + [grade.grade if grade else ""])
    return Export(_write(out), unmatched)


def moodle_csv(grades: ClassGrades, roster: Path | None = None) -> Export:
    """What Moodle's grade import maps: an identifier column (the roster's email address or
    ID number; without a roster the Moodle participant id where the download named one, else
    the batch id), the name, the grade and feedback (the late penalty, if any)."""
    if roster is None:
        out = [["Identifier", "Full name", "Email address", "Grade", "Feedback"]]
        for grade in grades.students:
            identifier = grade.lms_id if grade.lms == MOODLE else grade.student
            out.append([identifier, grade.name, grade.email, grade.grade, grade.late_note])
        return Export(_write(out), ())
    header, rows = read_roster(roster, (), "")
    identifiers = [name for name in MOODLE_ID_COLUMNS if name in header]
    if not identifiers:
        raise ExportError(
            f"roster {roster}: no {' or '.join(MOODLE_ID_COLUMNS)} column (expected Moodle's "
            "grade export)"
        )
    names = [header.index(name) for name in ("First name", "Last name") if name in header]
    keys = [
        {name: row[header.index(name)] for name in identifiers}
        | {"Full name": " ".join(row[index].strip() for index in names)}
        for row in rows
    ]
    # a Moodle download names the student, not their email or ID number
    matched, unmatched = match_students(grades, keys, MOODLE, {"Full name": "name"})
    out = [[identifiers[0], "Full name", "Grade", "Feedback"]]
    for position, key in enumerate(keys):
        grade = matched.get(position)
        values = [grade.grade, grade.late_note] if grade else ["", ""]
        out.append([key[identifiers[0]].strip(), key["Full name"], *values])
    return Export(_write(out), unmatched)
