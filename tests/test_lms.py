"""LMS downloads, late penalties and gradebook exports: the pure parts on many inputs, and
one class of Canvas-named submissions batched, penalized and exported as Canvas imports it."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from conftest import CORPUS
from made import made_report
from rich.console import Console
from typer.testing import CliRunner

from grader.batch import SCHEMA, BatchResult, Gradebook, Outcome, run_batch
from grader.cli import app
from grader.gradescope import run_script
from grader.grading import GradeOptions
from grader.late import (
    LatePolicy,
    LatePolicyError,
    PenaltyRule,
    duration_words,
    gradescope_verdict,
    parse_rule,
    parse_time,
)
from grader.lms_entries import claim_entries, stage
from grader.lms_export import ExportError, canvas_csv, moodle_csv, read_gradebook
from grader.lms_names import CANVAS, GRADESCOPE, MOODLE, gradescope_submitters, parse_download_name
from grader.report.json_report import to_results
from grader.report.model import CheckResult

# --- download names ---

LMS_NAMES = [
    ("doejane_1001_5001_layers.py", CANVAS, "1001", "doejane", False, "layers.py"),
    ("doejane_LATE_1001_5001_layers.py", CANVAS, "1001", "doejane", True, "layers.py"),
    ("doejane_late_1001_5001_layers.py", CANVAS, "1001", "doejane", True, "layers.py"),
    ("vanderberg-smith2_77_123456_my_layers-1.py", CANVAS, "77", "vanderberg-smith2", False,
     "my_layers-1.py"),
    ("doejane_1001_5001_submission.zip", CANVAS, "1001", "doejane", False, "submission.zip"),
    ("doejane_1001_5001_assignment2.ipynb", CANVAS, "1001", "doejane", False, "assignment2.ipynb"),
    ("Jane Doe_12345_assignsubmission_file_", MOODLE, "12345", "Jane Doe", False, ""),
    ("Jane Doe_12345_assignsubmission_file_layers.py", MOODLE, "12345", "Jane Doe", False,
     "layers.py"),
    ("José María O'Neil-Ruiz_9_assignsubmission_file_", MOODLE, "9", "José María O'Neil-Ruiz",
     False, ""),
    ("Ann_Lee_3_assignsubmission_onlinetext_onlinetext.html", MOODLE, "3", "Ann_Lee", False,
     "onlinetext.html"),
]  # fmt: skip
NOT_LMS_NAMES = [
    "ana.py",
    "ana",
    "s00_affine_forward_bug.py",
    "cs231n.py",
    "Jane Doe_1234",  # a wrapping folder, not Moodle's
    "doejane_1001_layers.py",  # one number: not Canvas
    "doejane_1001_5001_README",  # Canvas keeps a file's suffix
    "doe jane_1001_5001_layers.py",  # Canvas's login part has no spaces
    "submission_123456",  # Gradescope: needs the export's metadata
    "layers (1).py",
]


@pytest.mark.parametrize(("name", "lms", "lms_id", "who", "late", "original"), LMS_NAMES)
def test_lms_download_names_give_the_lms_id(
    name: str, lms: str, lms_id: str, who: str, late: bool, original: str
) -> None:
    identity = parse_download_name(name)
    assert identity is not None
    assert (identity.lms, identity.lms_id, identity.name) == (lms, lms_id, who)
    assert (identity.late, identity.original) == (late, original)


@pytest.mark.parametrize("name", NOT_LMS_NAMES)
def test_other_names_are_not_lms_names(name: str) -> None:
    assert parse_download_name(name) is None


GRADESCOPE_YAML = """\
submission_111:
  :submitters:
  - :name: Solo Student
    :sid: '100'
    :email: solo@example.edu
  :created_at: 2026-12-02 10:00:00.123456789 -05:00
  :score:
submission_222:
  :submitters:
  - :name: Pair One
    :sid: ''
    :email: one@example.edu
  - :name: Pair Two
    :sid: '201'
    :email: two@example.edu
  :created_at: '2026-12-01T20:00:00Z'
notes: not a submission
"""


def test_gradescope_metadata_names_every_submitter() -> None:
    folders = gradescope_submitters(yaml.safe_load(GRADESCOPE_YAML))
    assert sorted(folders) == ["submission_111", "submission_222"]
    (solo,) = folders["submission_111"]
    assert (solo.lms, solo.lms_id, solo.name, solo.email) == (
        GRADESCOPE,
        "100",
        "Solo Student",
        "solo@example.edu",
    )
    assert solo.submitted_at == datetime(2026, 12, 2, 15, 0, 0, 123456, tzinfo=timezone.utc)
    assert [person.lms_id for person in folders["submission_222"]] == ["one@example.edu", "201"]


def test_class_folders_are_claimed_by_lms_id_and_staged_under_original_names(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("doejane_1001_5001_layers.py", "doejane_1001_5002_optim.py", "ana.py"):
        (folder / name).write_text(f"# {name}\n")
    os.utime(folder / "doejane_1001_5002_optim.py", (1e9, 1e9))
    moodle = folder / "Jane Roe_12345_assignsubmission_file_"
    moodle.mkdir()
    (moodle / "layers.py").write_text("x = 1\n")
    (folder / "submission_111").mkdir()
    (folder / "submission_111" / "layers.py").write_text("x = 2\n")
    (folder / "submission_222").mkdir()
    (folder / "submission_metadata.yml").write_text(GRADESCOPE_YAML)
    (folder / "bob_1_2_layers.py").write_text("x = 3\n")
    (folder / "bob_1_3_layers.py").write_text("x = 4\n")  # the same file twice: a clash
    claims = {claim.student: claim for claim in claim_entries(folder, sorted(folder.iterdir()))}
    assert sorted(claims) == ["1", "100", "1001", "12345", "201", "ana", "one@example.edu"]
    assert claims["1001"].combined and not claims["1"].combined
    assert claims["12345"].identity.lms == MOODLE and claims["ana"].identity is None
    assert claims["201"].paths == claims["one@example.edu"].paths == (folder / "submission_222",)
    assert claims["100"].submitted_at.isoformat() == "2026-12-02T10:00:00.123456-05:00"
    staged = stage(claims["1001"], tmp_path / "staging")
    assert sorted(path.name for path in staged.iterdir()) == ["layers.py", "optim.py"]
    assert (staged / "optim.py").stat().st_mtime == 1e9
    assert stage(claims["ana"], tmp_path / "staging") == folder / "ana.py"
    assert stage(claims["12345"], tmp_path / "staging") == moodle


# --- the late policy ---

DUE = parse_time("2026-12-01T23:59-05:00")


@pytest.mark.parametrize(
    ("rule", "late_by", "percent"),
    [
        ("10%/day", timedelta(0), 0),
        ("10%/day", timedelta(seconds=-3600), 0),
        ("10%/day", timedelta(seconds=1), 10),
        ("10%/day", timedelta(days=1), 10),
        ("10%/day", timedelta(days=1, seconds=1), 20),
        ("10%/day,max=50%", timedelta(days=9), 50),
        ("10%/day", timedelta(days=30), 100),
        ("2%/hour", timedelta(hours=5, minutes=1), 12),
        ("2.5%/hour", timedelta(hours=3), 7.5),
        ("0", timedelta(days=3), 0),
    ],
)
def test_penalty_per_started_unit_with_a_cap(rule: str, late_by: timedelta, percent: float) -> None:
    assert parse_rule(rule).percent(late_by) == percent
    assert LatePolicy(DUE, parse_rule(rule)).verdict(DUE + late_by).percent == percent


@pytest.mark.parametrize("text", ["10", "10%", "10%/week", "-5%/day", "150%/day", "10%/day,max=x"])
def test_a_bad_rule_is_refused(text: str) -> None:
    with pytest.raises(LatePolicyError, match="late penalty"):
        parse_rule(text)


def test_rules_read_back_as_written() -> None:
    assert str(parse_rule(" 10%/DAY, max=50% ")) == "10%/day,max=50%"
    assert str(parse_rule("none")) == "0" and parse_rule("0") == PenaltyRule()


def test_times_need_their_timezone() -> None:
    assert parse_time("2026-12-02T04:59Z") == DUE
    with pytest.raises(LatePolicyError, match="no timezone"):
        parse_time("2026-12-01T23:59")
    with pytest.raises(LatePolicyError, match="ISO 8601"):
        parse_time("1 December")


def test_a_late_report_says_why_and_takes_the_penalty() -> None:
    results = (
        CheckResult(
            "relu_forward", "matches", "matches_reference", 8.0, 10.0, False, "", "visible"
        ),
    )
    report = made_report("layers", "Layers", results)
    verdict = LatePolicy(DUE, parse_rule("10%/day")).verdict(DUE + timedelta(days=1, hours=3))
    late = verdict.applied(report)
    assert (late.points, late.score, late.max_score) == (8.0, 6.4, 10.0)
    assert late.notes == ("submitted 1 day 3 h late: −20% (rule 10%/day): 8 → 6.4 of 10 points",)
    results_json = to_results(late)
    assert results_json["score"] == 6.4 and "1 day 3 h late" in results_json["output"]
    assert results_json["extra_data"]["points_before_late_penalty"] == 8.0
    on_time = LatePolicy(DUE, parse_rule("10%/day")).verdict(DUE)
    assert on_time.applied(report) == report
    assert duration_words(timedelta(seconds=1)) == "1 s"
    assert duration_words(timedelta(days=2, minutes=5)) == "2 days"


def test_gradescope_metadata_gives_the_lateness() -> None:
    metadata = {
        "created_at": "2026-12-03T01:00:00.000000-05:00",
        "assignment": {"due_date": "2026-12-01T23:59:00.000000-05:00"},
        "users": [{"assignment": {"due_date": "2026-12-02T23:59:00.000000-05:00"}}],
    }
    verdict = gradescope_verdict(metadata, parse_rule("10%/day"))  # the extension counts
    assert verdict is not None and verdict.percent == 10 and verdict.seconds_late == 3660
    assert gradescope_verdict({"created_at": metadata["created_at"]}, parse_rule("10%/day")) is None
    script = run_script("layers", 540, parse_rule("10%/day,max=50%"))
    assert "--late-penalty 10%/day,max=50% --gradescope-metadata submission_metadata.json" in script
    assert "--late-penalty" not in run_script("layers", 540, parse_rule("0"))


# --- exports from a gradebook written by hand ---

ROSTER = """\
Student,ID,SIS User ID,SIS Login ID,Section,Layers (123),Other (124),Current Score
    Points Possible,,,,,109.5,10,
"Doe, Jane",1001,J1001,doejane,Section 1,,8,
"Smith, John",1002,J1002,smithjohn,Section 1,,9,
"Lee, Ann",1003,J1003,leeann,Section 2,,7,
"Bob, Broken",1004,J1004,brokenbob,Section 2,,5,
"Nobody, Nat",1005,J1005,nobodynat,Section 2,,,
"""
HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Layers (123)"]


def outcome(student: str, status: str, score: float) -> Outcome:
    return Outcome(student, "a" * 64, status, score, 10.0, {}, "", "{}", "")


def tiny_gradebook(directory: Path) -> Path:
    """Five gradings: a Canvas student twice (the later counts), an error, a student by
    SIS login, a student the roster does not have."""
    directory.mkdir()
    book = Gradebook(directory / "gradebook.sqlite", "layers", GradeOptions())
    for row in [
        outcome("1001", "graded", 3.0),
        outcome("1001", "graded", 7.5),
        outcome("1004", "error", 0.0),
        outcome("smithjohn", "graded", 10.0),
        outcome("stray", "graded", 1.0),
    ]:
        book.record(row)
    with book.connection:
        book.connection.executemany(
            "INSERT INTO lms_students VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                ("1001", CANVAS, "1001", "doejane", "", 0, "", ""),
                ("1004", CANVAS, "1004", "", "", 0, "", ""),
            ],
        )
    book.close()
    return directory


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_canvas_csv_has_one_row_per_roster_student(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    export = canvas_csv(read_gradebook(tiny_gradebook(tmp_path / "out")), roster)
    rows = rows_of(export.text)
    assert rows[0] == HEADER
    assert rows[1] == ["    Points Possible", "", "", "", "", "10.00"]
    assert [row[1] for row in rows[2:]] == ["1001", "1002", "1003", "1004", "1005"]
    assert [row[5] for row in rows[2:]] == ["7.50", "10.00", "", "", ""]
    assert export.unmatched == ("stray",)


def test_canvas_roster_problems_are_named(tmp_path: Path) -> None:
    grades = read_gradebook(tiny_gradebook(tmp_path / "out"))
    roster = tmp_path / "roster.csv"
    roster.write_text("Student,ID,Section\nx,1,s\n")
    with pytest.raises(ExportError, match="no SIS User ID, SIS Login ID column"):
        canvas_csv(grades, roster)
    roster.write_text(ROSTER.replace("Other (124)", "layers"))
    with pytest.raises(ExportError, match="several columns"):
        canvas_csv(grades, roster)
    assert rows_of(canvas_csv(grades, roster, column="Layers (123)").text)[0] == HEADER
    with pytest.raises(ExportError, match="no gradebook.sqlite"):
        read_gradebook(tmp_path)


def test_moodle_csv_identifies_students(tmp_path: Path) -> None:
    grades = read_gradebook(tiny_gradebook(tmp_path / "out"))
    rows = rows_of(moodle_csv(grades).text)
    assert rows[0] == ["Identifier", "Full name", "Email address", "Grade", "Feedback"]
    assert [(row[0], row[3]) for row in rows[1:]] == [
        ("1001", "7.50"),
        ("1004", ""),
        ("smithjohn", "10.00"),
        ("stray", "1.00"),
    ]
    roster = tmp_path / "moodle.csv"
    roster.write_text(
        "First name,Last name,ID number,Email address,Layers\n"
        "John,Smith,,smithjohn,\nAnn,Lee,,ann@example.edu,\n"
    )
    export = moodle_csv(grades, roster)
    assert rows_of(export.text) == [
        ["Email address", "Full name", "Grade", "Feedback"],
        ["smithjohn", "John Smith", "10.00", ""],
        ["ann@example.edu", "Ann Lee", "", ""],
    ]
    assert export.unmatched == ("1001", "1004", "stray")


def test_a_gradebook_from_before_lms_ids_is_still_exported(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    with sqlite3.connect(tmp_path / "out" / "gradebook.sqlite") as db:
        db.execute(SCHEMA)
        db.execute(
            "INSERT INTO gradings VALUES ('doejane', 'h', '0.1.0', 'layers', 0, '{}', '', 't', 1.0,"
            " 'graded', 5.0, 10.0, '{}', '', '{}', '')"
        )
    grades = read_gradebook(tmp_path / "out")
    assert [(grade.student, grade.grade, grade.lms) for grade in grades.students] == [
        ("doejane", "5.00", "")
    ]
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    assert rows_of(canvas_csv(grades, roster).text)[2][5] == "5.00"  # by SIS Login ID


# --- a class of Canvas downloads, batched and exported ---


def test_canvas_downloads_batched_penalized_and_exported(tmp_path: Path) -> None:
    """Four Canvas-named submissions (one late, one with a bug, one broken) and a roster
    with a student who handed in nothing: the CSV Canvas imports holds the gradebook's
    scores, the late one less 20%, blanks for the broken and the missing one. The late one
    was first downloaded on time: the later download is graded again, for its penalty."""
    subs = tmp_path / "subs"
    subs.mkdir()
    correct = CORPUS / "correct_cs231n_style.py"
    shutil.copyfile(correct, subs / "doejane_1001_5001_layers.py")
    shutil.copyfile(correct, subs / "smithjohn_LATE_1002_5002_layers.py")
    late_at = DUE + timedelta(days=1, hours=3)
    bug = sorted((CORPUS / "bugs" / "relu_forward").glob("*.py"))[0]
    (subs / "leeann_1003_5003_layers.py").write_text(
        (CORPUS / "correct_alt" / "layers.py").read_text() + "\n" + bug.read_text()
    )
    (subs / "brokenbob_1004_5004_submission.zip").write_bytes(b"PK but not a zip")
    options = GradeOptions(timeout=5.0, only=("relu_forward",))
    policy = LatePolicy(DUE, parse_rule("10%/day"))

    def batch() -> BatchResult:
        out = tmp_path / "out"
        return run_batch(
            "layers", subs, out, 2, options, console=Console(file=io.StringIO()), late=policy
        )

    on_time = DUE - timedelta(hours=1)
    os.utime(subs / "smithjohn_LATE_1002_5002_layers.py", (on_time.timestamp(),) * 2)
    assert batch().graded == ("1001", "1002", "1003", "1004")
    # a new download of the same file, later: graded again for its penalty, alone
    os.utime(subs / "smithjohn_LATE_1002_5002_layers.py", (late_at.timestamp(),) * 2)
    result = batch()
    assert result.graded == ("1002",)
    scores = {row.student: (row.status, row.score, row.max_score) for row in result.rows}
    assert scores["1001"] == ("graded", scores["1001"][2], scores["1001"][2])
    assert scores["1002"][1] == pytest.approx(0.8 * scores["1001"][1])
    assert scores["1003"][1] < scores["1001"][1] and scores["1004"][0] == "error"
    report = (tmp_path / "out" / "reports" / "1002.txt").read_text()
    assert "submitted 1 day 3 h late: −20% (rule 10%/day)" in report
    assert json.loads((tmp_path / "out" / "reports" / "1003.json").read_text())["tests"][0][
        "name"
    ].startswith("relu_forward")
    with (tmp_path / "out" / "grades.csv").open(newline="") as handle:
        grades = {row["student"]: row for row in csv.DictReader(handle)}
    assert (grades["1002"]["lms"], grades["1002"]["lms_name"], grades["1002"]["lms_late"]) == (
        "canvas",
        "smithjohn",
        "late",
    )
    assert grades["1002"]["late_penalty"] == "20.00" and grades["1001"]["late_penalty"] == ""

    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    out = tmp_path / "canvas.csv"
    command = [
        "export",
        "canvas",
        str(tmp_path / "out"),
        "--roster",
        str(roster),
        "--out",
        str(out),
    ]
    exported = CliRunner().invoke(app, command)
    assert exported.exit_code == 0, exported.output
    rows = rows_of(out.read_text())
    assert rows[0] == HEADER and rows[1][5] == f"{scores['1001'][2]:.2f}"
    by_id = {row[1]: row[5] for row in rows[2:]}
    assert list(by_id) == ["1001", "1002", "1003", "1004", "1005"]
    assert by_id == {
        "1001": f"{scores['1001'][1]:.2f}",
        "1002": f"{scores['1002'][1]:.2f}",
        "1003": f"{scores['1003'][1]:.2f}",
        "1004": "",
        "1005": "",
    }
    bad = CliRunner().invoke(app, [*command[:2], str(subs), *command[3:]])
    assert bad.exit_code == 2 and "no gradebook.sqlite" in bad.output


def test_grade_takes_gradescope_lateness(tmp_path: Path) -> None:
    """What run_autograder runs with a late rule: the score less the penalty, said in the
    output Gradescope shows."""
    metadata = tmp_path / "submission_metadata.json"
    metadata.write_text(
        json.dumps(
            {
                "created_at": "2026-12-03T01:00:00.000000-05:00",
                "assignment": {"due_date": "2026-12-01T23:59:00.000000-05:00"},
                "users": [],
            }
        )
    )
    results = tmp_path / "results.json"
    command = ["grade", "layers", str(CORPUS / "correct_cs231n_style.py"), "--only"]
    command += ["relu_forward", "--format", "json", "--out", str(results)]
    late = ["--late-penalty", "10%/day", "--gradescope-metadata", str(metadata)]
    graded = CliRunner().invoke(app, [*command, *late])
    assert graded.exit_code == 0, graded.output
    data = json.loads(results.read_text())
    assert data["score"] == pytest.approx(0.8 * data["extra_data"]["max_score"])
    assert "submitted 1 day 1 h late: −20% (rule 10%/day)" in data["output"]
    alone = CliRunner().invoke(app, [*command, *late[:2]])
    assert alone.exit_code == 2 and "go together" in alone.output
