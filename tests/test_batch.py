"""`grader batch`: a class graded in parallel into a gradebook that survives
kill -9, never grades anyone twice, and keeps grades.csv and the summary consistent."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from subprocess import PIPE

import pytest
from conftest import CORPUS, ROOT, copy_reference, submission_with
from gradebooks import gradebook_rows, graded_count, without_timings
from rich.console import Console

from grader.batch import (
    BatchResult,
    Controls,
    Entry,
    GradeTask,
    Outcome,
    UnknownStudent,
    grade_all,
    new_pool,
    run_batch,
)
from grader.grading import GradeOptions

OPTIONS = GradeOptions(timeout=5.0)
COMMAND_OPTIONS = ("--workers", "2", "--timeout", "5")
BUGS = sorted((CORPUS / "bugs").glob("*/*.py"))[::32]  # 3 mistakes across the functions
ATTACKS = ["segfault", "sys_exit_at_import", "forge_results"]  # each kind: test_adversarial
ERRORS = {"broken", "notes", "twice"}
WholeClass = tuple[dict[str, str], BatchResult]  # what each student should get, the run


def student_of(index: int, fragment: Path) -> str:
    return f"s{index:02d}_{fragment.stem}"


def place(student: str, fragment: Path, directory: Path, form: str) -> None:
    """A correct module with `fragment` appended, handed in as a folder, .py or .zip."""
    folder = submission_with(fragment, directory / student)
    if form == "folder":
        return
    module = folder / "layers.py"
    if form == "py":
        shutil.copyfile(module, directory / f"{student}.py")
    else:
        with zipfile.ZipFile(directory / f"{student}.zip", "w") as archive:
            archive.write(module, f"{student}/layers.py")
    shutil.rmtree(folder)


def add_errors(directory: Path) -> None:
    """A zip that is not a zip, a stray text file, one student handing in twice, and
    entries that are no submission at all (hidden, __MACOSX)."""
    (directory / "broken.zip").write_bytes(b"this is not a zip archive")
    (directory / "notes.txt").write_text("remember to grade on Friday\n")
    shutil.copyfile(CORPUS / "correct_cs231n_style.py", directory / "twice.py")
    with zipfile.ZipFile(directory / "twice.zip", "w") as archive:
        archive.write(CORPUS / "correct_cs231n_style.py", "layers.py")
    (directory / ".DS_Store").write_bytes(b"\0")
    (directory / "__MACOSX").mkdir()
    (directory / "__MACOSX" / "layers.py").write_text("x = 1\n")


def build_class(directory: Path) -> dict[str, str]:
    """11 entries: correct ones, 3 mistakes, hostile ones and broken ones; returns what
    each student should get (`full`, the function a mistake is in, an attack, `error`)."""
    directory.mkdir()
    copy_reference(directory / "reference")
    shutil.copyfile(CORPUS / "correct_cs231n_style.py", directory / "cs231n.py")
    expected = {"reference": "full", "cs231n": "full"}
    for index, fragment in enumerate(BUGS):
        student = student_of(index, fragment)
        place(student, fragment, directory, ("folder", "py", "zip")[index % 3])
        expected[student] = fragment.parent.name
    for attack in ATTACKS:
        place(attack, CORPUS / "adversarial" / f"{attack}.py", directory, "folder")
        expected[attack] = "attack"
    add_errors(directory)
    return expected | dict.fromkeys(ERRORS, "error")


def read_csv(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def batch(submissions: Path, out: Path) -> BatchResult:
    return run_batch("layers", submissions, out, 2, OPTIONS, console=Console(file=io.StringIO()))


@pytest.fixture(scope="module")
def whole_class(tmp_path_factory: pytest.TempPathFactory) -> WholeClass:
    root = tmp_path_factory.mktemp("class")
    expected = build_class(root / "submissions")
    return expected, batch(root / "submissions", root / "out")


def test_every_entry_has_one_row_with_the_right_status(whole_class: WholeClass) -> None:
    expected, result = whole_class
    grades = read_csv(result.grades_csv)
    assert sorted(grades) == sorted(expected)
    rows = gradebook_rows(result.out)
    assert sorted(row[0] for row in rows) == sorted(expected)
    for student, kind in expected.items():
        row = grades[student]
        assert row["status"] == ("error" if kind == "error" else "graded"), row
        assert (result.out / "reports" / f"{student}.json").is_file()
        assert (result.out / "reports" / f"{student}.txt").is_file()
        if kind == "full":
            assert row["score"] == row["max_score"] == "109.50" and row["percent"] == "100.00"
        elif kind not in ("attack", "error"):
            assert float(row[kind]) < float(grades["reference"][kind]), (student, kind)


def test_broken_entries_say_why(whole_class: WholeClass) -> None:
    _, result = whole_class
    grades = read_csv(result.grades_csv)
    assert grades["broken"]["message"].startswith("broken.zip: not a valid zip file")
    assert "not a submission" in grades["notes"]["message"]
    assert "twice.py, twice.zip" in grades["twice"]["message"]
    for student in ERRORS:  # no grade, not a zero
        assert grades[student]["score"] == grades[student]["percent"] == ""
        assert grades[student]["affine_forward"] == ""
    assert grades["sys_exit_at_import"]["score"] == "0.00"
    report = json.loads((result.out / "reports" / "broken.json").read_text())
    assert report["score"] == 0 and "not a valid zip file" in report["output"]


def test_summary_counts_the_class(whole_class: WholeClass) -> None:
    expected, result = whole_class
    summary = result.summary.read_text()
    graded = len(expected) - len(ERRORS)
    assert f"students: {len(expected)} (error {len(ERRORS)}, graded {graded})" in summary
    bins = [line for line in summary.splitlines() if line.startswith("[")]
    assert len(bins) == 10 and sum(int(line.split()[3]) for line in bins) == graded
    assert bins[-1].startswith("[ 90, 100] ") and bins[0].startswith("[  0,  10) ")
    failed: dict[str, int] = {}
    for student, kind in expected.items():
        if kind != "error":
            report = json.loads((result.out / "reports" / f"{student}.json").read_text())
            for test in report["tests"]:
                if test["status"] == "failed":
                    failed[test["name"]] = failed.get(test["name"], 0) + 1
    table = [line for line in summary.splitlines() if line.startswith("| ") and "check" not in line]
    assert len(table) == 10
    counts = [int(line.rsplit("|", 2)[1]) for line in table]
    assert counts == sorted(failed.values(), reverse=True)[:10]
    assert all(f"- {student} (error): " in summary for student in ERRORS)


def test_a_second_run_grades_nobody(whole_class: WholeClass) -> None:
    expected, result = whole_class
    before = result.grades_csv.read_bytes()
    again = batch(result.out.parent / "submissions", result.out)
    assert again.graded == () and sorted(again.skipped) == sorted(expected)
    assert result.grades_csv.read_bytes() == before
    assert len(gradebook_rows(result.out)) == len(expected)


def small_class(directory: Path) -> Path:
    """Five entries, one of them broken: enough to kill a run half-way."""
    directory.mkdir()
    copy_reference(directory / "reference")
    for index, fragment in enumerate(BUGS[:3]):
        place(student_of(index, fragment), fragment, directory, "folder")
    (directory / "broken.zip").write_bytes(b"PK but not really")
    return directory


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> BatchResult:
    root = tmp_path_factory.mktemp("small")
    return batch(small_class(root / "submissions"), root / "out")


def graded_times(out: Path) -> dict[str, str]:
    with contextlib.closing(sqlite3.connect(out / "gradebook.sqlite")) as db:
        return dict(db.execute("SELECT student, graded_at FROM gradings"))


def test_a_killed_run_finishes_where_it_stopped(small_run: BatchResult, tmp_path: Path) -> None:
    out = tmp_path / "out"
    submissions = small_run.out.parent / "submissions"
    command = [
        sys.executable,
        "-m",
        "grader",
        "batch",
        "layers",
        str(submissions),
        "--out",
        str(out),
    ]
    command += COMMAND_OPTIONS
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while graded_count(out) < 2 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert 2 <= graded_count(out) < len(small_run.rows) - 1, "the run was not killed half-way"
    before = graded_times(out)

    resumed = subprocess.run(
        command,
        cwd=ROOT,
        check=True,
        timeout=300,
        stdout=subprocess.DEVNULL,
        stderr=PIPE,
        text=True,
    )
    assert graded_times(out).items() >= before.items(), "a finished student was graded again"
    # not a terminal: a plain line per student as it is graded (the CI log fills as it goes)
    steps = re.findall(r"^grading \[(\d+)/(\d+)\] \S+: ", resumed.stderr, re.MULTILINE)
    assert steps and steps[-1][0] == steps[-1][1] == str(len(steps)), resumed.stderr
    assert (out / "grades.csv").read_bytes() == small_run.grades_csv.read_bytes()
    assert gradebook_rows(out) == gradebook_rows(small_run.out)
    for report in (small_run.out / "reports").iterdir():
        resumed = out / "reports" / report.name
        if report.suffix == ".txt":
            assert resumed.read_text() == report.read_text()
        else:
            assert without_timings(resumed.read_text()) == without_timings(report.read_text())
    assert sorted(path.name for path in (out / "reports").iterdir()) == sorted(
        path.name for path in (small_run.out / "reports").iterdir()
    )


def test_changing_one_file_regrades_that_student_only(
    small_run: BatchResult, tmp_path: Path
) -> None:
    submissions = shutil.copytree(small_run.out.parent / "submissions", tmp_path / "submissions")
    out = shutil.copytree(small_run.out, tmp_path / "out")
    changed = student_of(1, BUGS[1])
    module = submissions / changed / "layers.py"
    module.write_text(module.read_text() + "\n" + BUGS[2].read_text())
    result = batch(submissions, out)
    assert result.graded == (changed,)
    before, after = read_csv(small_run.grades_csv), read_csv(result.grades_csv)
    assert {s for s in before if before[s] != after[s]} == {changed}
    students = [row[0] for row in gradebook_rows(out)]
    assert students.count(changed) == 2 and len(students) == len(before) + 1


def exit_for_bob(task: GradeTask) -> Outcome:
    """Kills its own pool process for bob; grades anyone else with full marks."""
    if task.student == "bob":
        os._exit(3)
    return Outcome(task.student, task.sha256, "graded", 1.0, 1.0, {}, "", "{}", "")


def test_a_dying_grading_process_costs_only_its_own_student(tmp_path: Path) -> None:
    students = ["ana", "bob", "cem", "dee", "eve"]
    tasks = [GradeTask("layers", name, tmp_path, "0" * 64, OPTIONS, 1.0) for name in students]
    outcomes: list[Outcome] = []
    grade_all(tasks, 2, outcomes.append, work=exit_for_bob)
    assert sorted(outcome.student for outcome in outcomes) == students
    statuses = {outcome.student: outcome.status for outcome in outcomes}
    assert statuses == {name: "crashed" if name == "bob" else "graded" for name in students}


def test_controls_choose_who_is_graded(tmp_path: Path) -> None:
    """--force, --only, --retry-errors and --format, on what the gradebook holds: ana
    graded, bob an error, cem crashed (never final), dee new."""
    entries = {
        name: Entry(name, (tmp_path / f"{name}.py",), name * 4)
        for name in ["ana", "bob", "cem", "dee"]
    }
    finished = {("ana", "ana" * 4): "graded", ("bob", "bob" * 4): "error"}
    for name in ("ana.json", "ana.txt", "bob.json", "bob.txt"):
        (tmp_path / name).write_text("{}")

    def chosen(controls: Controls) -> list[str]:
        return [
            name for name, entry in entries.items() if controls.grades(entry, finished, tmp_path)
        ]

    assert chosen(Controls()) == ["cem", "dee"]
    assert chosen(Controls(retry_errors=True)) == ["bob", "cem", "dee"]
    assert chosen(Controls(force=True, only=("ana", "bob"))) == ["ana", "bob"]
    assert chosen(Controls(only=("ana",))) == []
    # an HTML report asked for where there is none: graded again (an error row has none)
    assert chosen(Controls(formats=("json", "html"))) == ["ana", "cem", "dee"]
    with pytest.raises(UnknownStudent, match="--only eve: no entry"):
        Controls(only=("eve",)).check_students(list(entries.values()))


def test_pool_processes_get_the_environment_of_their_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pool processes come from a fork server started with this process's first pool: a
    setting made since (a course pack in $GRADER_COURSE) must still reach them."""
    with new_pool(1) as pool:
        pool.submit(os.getenv, "HOME").result()
    monkeypatch.setenv("GRADER_TEST_SETTING", "chosen later")
    with new_pool(1) as pool:
        assert pool.submit(os.getenv, "GRADER_TEST_SETTING").result() == "chosen later"
