"""Regrades that explain themselves: two gradings of a student compared (scores, the
checks that flipped, a note in plain words), and a class regraded after a deliberate
change to the course pack, where `grader diff` lists exactly the students it flipped."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT
from rich.console import Console
from typer.testing import CliRunner

from grader import cli, course
from grader.batch import Controls, read_history, run_batch, upgrade
from grader.grading import GradeOptions
from grader.regrade import DOWN, UNCHANGED, UP, Grading, Setting, compare, regrade_markdown
from grader.report.json_report import envelope
from grader.report.mdsyntax import fenced

BEFORE = Setting("0.1.0", "layers", 0, "{}", "c" * 64)
AFTER = Setting("0.1.0", "layers", 0, "{}", "d" * 64)


def made_test(
    name: str, score: float, passed: bool, feedback: str = "", hidden: bool = False
) -> dict:
    """A results.json test as the JSON report writes it (multi-line feedback fenced)."""
    multiline = "\n" in feedback
    return {
        "name": name,
        "score": score,
        "max_score": 2.0,
        "status": "passed" if passed else "failed",
        "output": "\n".join(fenced(feedback)) if multiline else feedback,
        "output_format": "md" if multiline else "text",
        "visibility": "hidden" if hidden else "visible",
    }


def grading(student: str, setting: Setting, *tests: dict, status: str = "graded") -> Grading:
    score = sum(t["score"] for t in tests)
    report = json.dumps(envelope(score, "", list(tests), {}))
    return Grading(student, "a" * 64, setting, status, score, 4.0, "why not", report)


PASS_A, PASS_B = made_test("f: check a", 2.0, True), made_test("f: check b", 2.0, True)
FAIL_A = made_test("f: check a", 0.0, False, "On input 1: x=[1, 2]\nexpected 3, got 4")
FAIL_B_HIDDEN = made_test("f: check b", 0.0, False, "secret input", hidden=True)
HISTORY = [
    grading("ana", BEFORE, PASS_A, PASS_B),
    grading("bob", BEFORE, FAIL_A, PASS_B),
    grading("cem", BEFORE, PASS_A, PASS_B),
    grading("dee", AFTER, PASS_A, PASS_B),  # graded once
    grading("ana", AFTER, FAIL_A, FAIL_B_HIDDEN),  # down: a flipped, b (hidden) flipped
    grading("bob", AFTER, PASS_A, PASS_B),  # up
    grading("cem", AFTER, PASS_A, PASS_B),  # unchanged
]


def test_the_diff_lists_flipped_checks_down_first_then_up() -> None:
    comparison = compare(HISTORY)
    kinds = {change.student: change.kind for change in comparison.changes}
    assert kinds == {"ana": DOWN, "bob": UP, "cem": UNCHANGED}
    assert comparison.first_only == ("dee",)
    (ana,) = [change for change in comparison.changes if change.student == "ana"]
    assert [(f.name, f.old.score, f.new.score, f.new.passed) for f in ana.flips] == [
        ("f: check a", 2.0, 0.0, False),
        ("f: check b", 2.0, 0.0, False),
    ]
    text = regrade_markdown(comparison)
    assert text.index("### ana: 4 → 0") < text.index("### bob: 2 → 4") < text.index("Unchanged: 1")
    assert "### cem" not in text and "Graded once (nothing to compare): 1 students." in text
    assert "| f: check a | 2 → 0 | passed → failed | On input 1: x=[1, 2] |" in text
    assert "Why: course pack cccccccc → dddddddd" in text
    note = next(line for line in text.splitlines() if line.startswith("> Note to ana"))
    assert note == (
        "> Note to ana: Your score for layers changed from 4 to 0 (out of 4) because the course "
        "staff regraded it: check 'f: check a' now fails: On input 1: x=[1, 2]; a hidden check "
        "of f now fails."
    )
    assert "secret input" not in note


def test_settings_pick_the_gradings_compared() -> None:
    erred = grading("cem", BEFORE, status="error")
    history = [*HISTORY[:3], erred, *HISTORY[3:]]
    both = compare(history, old=BEFORE.id, new=AFTER.id)
    (cem,) = [change for change in both.changes if change.student == "cem"]
    assert cem.old is erred and cem.kind == UP  # not graded before: up, with the reason
    assert "before, it could not be graded: why not" in regrade_markdown(both)
    backwards = compare(history, old=AFTER.id, new=BEFORE.id)
    assert {c.student: c.kind for c in backwards.changes} == {"ana": UP, "bob": DOWN, "cem": DOWN}
    with pytest.raises(ValueError, match="no setting nope .*known: "):
        compare(history, new="nope")


def test_an_old_gradebook_gets_the_course_column(tmp_path: Path) -> None:
    """A gradebook written before the course pack was keyed: readable as it is, then
    upgraded in place by the next batch, its rows kept with an unrecorded course."""
    path = tmp_path / "gradebook.sqlite"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE gradings (student TEXT, sha256 TEXT, grader_version TEXT, assignment"
            " TEXT, seed INTEGER, options TEXT, graded_at TEXT, seconds REAL, status TEXT,"
            " score REAL, max_score REAL, functions TEXT, message TEXT, report_json TEXT,"
            " report_text TEXT, PRIMARY KEY (student, sha256, grader_version, assignment,"
            " seed, options))"
        )
        db.execute(
            "INSERT INTO gradings VALUES ('ana', 'h', '0.1.0', 'layers', 0, '{}', 't', 1.0,"
            " 'graded', 1.0, 2.0, '{}', '', '{\"tests\": []}', '')"
        )
    (old,) = read_history(path)
    with sqlite3.connect(path) as db:
        upgrade(db)
    assert read_history(path) == [old] and old.setting.course == ""


# --- end to end: a deliberate change to the course pack, the class graded again ---

LEAKY = '''

def relu_forward(x):
    """The course staff's change: a leaky slope for negative inputs."""
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, x, 0.01 * x), x
'''


@pytest.fixture
def course_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the course pack, graded from in this test only (the pool processes read
    it from the environment; this process has the original's modules imported already)."""
    root = tmp_path / "course"
    for part in ("reference", "assignments"):
        shutil.copytree(ROOT / part, root / part, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setenv(course.ENV_VAR, str(root))
    monkeypatch.setattr(sys, "path", list(sys.path))  # the pack's folder, put there, goes
    course.course_root.cache_clear()
    yield root
    course.course_root.cache_clear()


def relu_class(directory: Path) -> Path:
    """A correct submission, one that modifies its input (matches the reference), one
    that reduces with np.max (fails the reference before and after the change)."""
    directory.mkdir()
    correct = (CORPUS / "correct_alt" / "layers.py").read_text()
    bugs = CORPUS / "bugs" / "relu_forward"
    (directory / "good.py").write_text(correct)
    (directory / "inplace.py").write_text(correct + (bugs / "modifies_input.py").read_text())
    (directory / "npmax.py").write_text(
        correct + (bugs / "np_max_instead_of_maximum.py").read_text()
    )
    return directory


def test_a_regrade_after_a_course_change_lists_exactly_the_flipped(
    course_copy: Path, tmp_path: Path
) -> None:
    submissions, out = relu_class(tmp_path / "class"), tmp_path / "out"
    options = GradeOptions(timeout=5.0, only=("relu_forward",))
    quiet = Console(file=io.StringIO())
    first = run_batch("layers", submissions, out, 2, options, console=quiet)
    assert first.graded == ("good", "inplace", "npmax") and not first.regrade.exists()
    with (course_copy / "reference" / "layers.py").open("a") as module:
        module.write(LEAKY)
    html = Controls(formats=("json", "html"))
    again = run_batch("layers", submissions, out, 2, options, console=quiet, controls=html)
    assert again.graded == first.graded  # the course pack is part of a grading's key

    history = read_history(out / "gradebook.sqlite")
    comparison = compare(history)
    kinds = {change.student: change.kind for change in comparison.changes}
    assert kinds == {"good": DOWN, "inplace": DOWN, "npmax": UNCHANGED}
    for change in comparison.changes:
        flipped = {flip.name for flip in change.flips}
        reference = {"relu_forward: matches the reference"}
        assert reference <= flipped if change.kind == DOWN else not flipped
    this_run = compare(history, new=comparison.settings[-1].id)
    assert again.regrade.read_text() == regrade_markdown(this_run)

    result = CliRunner().invoke(cli.app, ["diff", str(out), "--out", str(tmp_path / "d.md")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "d.md").read_text() == regrade_markdown(comparison)
    refused = CliRunner().invoke(cli.app, ["diff", str(out), "--old", "nope"])
    assert refused.exit_code == 2 and "no setting nope" in refused.output
    reports = out / "reports"
    assert (reports / "good.html").is_file() and not (reports / "good.txt").exists()
