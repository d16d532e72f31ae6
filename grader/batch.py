"""Grade a whole class: one entry of a folder per student, in parallel, into a gradebook.

The gradebook (`DIR/gradebook.sqlite`) is the only state, written by this process alone,
one transaction per student, after the student's report files are in place. A run skips
every entry whose (student, submission hash, grader version, assignment, seed, options,
course pack) already has a final row (and its feedback files), so a run killed at any
moment is finished by starting it again; `grades.csv`, `summary.md`, `summary.html` and,
once a student has two gradings, `regrade.md` are regenerated from the gradebook at the end
of each run. Older gradings stay in the gradebook: a regrade is explained against them.

Entries named as LMS downloads are graded for the student id the LMS gives (`lms_entries`),
and that mapping, with the submission time, is kept in the gradebook's `lms_students` table;
with a late policy (`late`), the penalty each grading took is in `late_penalties`.

Run: grader batch ASSIGNMENT SUBMISSIONS_DIR --out DIR [--workers N] [--seed N]
     [--scheduler tcp://HOST:PORT | --cluster local:N]  (a Dask cluster: `cluster`)
"""

from __future__ import annotations

import collections
import contextlib
import csv
import hashlib
import io
import json
import math
import multiprocessing
import os
import sqlite3
import statistics
import tempfile
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from rich.console import Console
from rich.markdown import Markdown

from grader import __version__
from grader.assignments import load_assignment
from grader.assignments.spec import add_points
from grader.classbook import CRASHED, ERROR, FINAL_STATUSES, GRADED
from grader.cluster import ClusterTarget, grade_on_cluster
from grader.dashboard import (
    Groups,
    bin_counts,
    duplicate_groups,
    duplicates_markdown,
    failed_checks,
    summary_html,
)
from grader.feedback import chosen_formats, expected_files, remove_stale
from grader.grading import GradeOptions, selected_checks
from grader.grading_task import (
    GradeTask,
    Outcome,
    failure,
    grade_task,
    keep_reference_workers,
)
from grader.installed import require
from grader.late import LatePolicy, LateVerdict
from grader.lms_entries import Claim, claim_entries, stage
from grader.progress import progress
from grader.regrade import (
    Grading,
    RegradeError,
    Setting,
    compare,
    course_digest,
    regrade_markdown,
    tally,
)
from grader.report.model import format_score
from grader.submission import SKIPPED_PARTS, SOURCE_SUFFIXES, SubmissionError, load_submission

SUBMISSION_SUFFIXES = (".zip", ".py", ".ipynb")
BAR_WIDTH = 50

SCHEMA = """
CREATE TABLE IF NOT EXISTS gradings (
    student TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    grader_version TEXT NOT NULL,
    assignment TEXT NOT NULL,
    seed INTEGER NOT NULL,
    options TEXT NOT NULL,
    course TEXT NOT NULL,
    graded_at TEXT NOT NULL,
    seconds REAL NOT NULL,
    status TEXT NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    functions TEXT NOT NULL,
    message TEXT NOT NULL,
    report_json TEXT NOT NULL,
    report_text TEXT NOT NULL,
    PRIMARY KEY (student, sha256, grader_version, assignment, seed, options, course)
)
"""
LMS_SCHEMA = """
CREATE TABLE IF NOT EXISTS lms_students (
    student TEXT PRIMARY KEY,
    lms TEXT NOT NULL,
    lms_id TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    lms_late INTEGER NOT NULL,
    submitted_at TEXT NOT NULL,
    downloads TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS late_penalties (  -- keyed by its grading's key
    student TEXT NOT NULL, sha256 TEXT NOT NULL, grader_version TEXT NOT NULL,
    assignment TEXT NOT NULL, seed INTEGER NOT NULL, options TEXT NOT NULL,
    course TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    seconds_late REAL NOT NULL,
    percent REAL NOT NULL,
    rule TEXT NOT NULL,
    PRIMARY KEY (student, sha256, grader_version, assignment, seed, options, course)
);
"""
# a row of this run's setting (Gradebook.run), and of one student's submission in it
RUN_MATCH = "grader_version = ? AND assignment = ? AND seed = ? AND options = ? AND course = ?"
KEY_MATCH = f"student = ? AND sha256 = ? AND {RUN_MATCH}"
LMS_COLUMNS = ["lms", "lms_id", "lms_name", "lms_late", "submitted_at", "late_penalty"]
COLUMNS = [
    "student",
    "sha256",
    "grader_version",
    "assignment",
    "seed",
    "options",
    "course",
    "graded_at",
    "seconds",
    "status",
    "score",
    "max_score",
    "functions",
    "message",
    "report_json",
    "report_text",
]


@dataclass(frozen=True)
class Entry:
    """One student's submission as found in the class folder (several paths: a clash)."""

    student: str
    paths: tuple[Path, ...]
    sha256: str
    problem: str = ""  # why it cannot be graded; empty when it can
    claim: Claim | None = None  # whose it is, as the LMS says
    graded: Path | None = None  # what is graded: paths[0], or its copy under the original name


@dataclass(frozen=True)
class BatchResult:
    """What `run_batch` did: `graded` were written to the gradebook in this run (errors
    included), `skipped` were already there; `rows` are every entry's rows, by student."""

    out: Path
    graded: tuple[str, ...]
    skipped: tuple[str, ...]
    rows: tuple[Outcome, ...]

    @property
    def gradebook(self) -> Path:
        return self.out / "gradebook.sqlite"

    @property
    def grades_csv(self) -> Path:
        return self.out / "grades.csv"

    @property
    def summary(self) -> Path:
        return self.out / "summary.md"

    @property
    def dashboard(self) -> Path:
        return self.out / "summary.html"

    @property
    def regrade(self) -> Path:
        """Written once some student has two gradings."""
        return self.out / "regrade.md"


# --- discovering and hashing entries (no student code runs here) ---


def is_skipped(path: Path) -> bool:
    """Hidden files and archiver litter (`__MACOSX`) are nobody's submission."""
    return path.name.startswith(".") or path.name in SKIPPED_PARTS


def raw_hash(path: Path) -> str:
    """A hash of an entry that cannot be loaded: a file's bytes, a folder's listing, a
    link's target (never followed)."""
    digest = hashlib.sha256()
    if path.is_symlink():
        digest.update(os.readlink(path).encode())
    elif path.is_file():
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(2**20), b""):
                digest.update(block)
    else:
        for child in sorted(path.rglob("*")):
            digest.update(f"{child.relative_to(path)}\0{child.lstat().st_size}\0".encode())
    return digest.hexdigest()


def entry_problem(path: Path) -> str:
    """Why an entry is not even worth loading; empty when it is."""
    if path.is_symlink():
        return f"{path.name}: a symbolic link, not a submission"
    if not path.is_dir() and path.suffix not in SUBMISSION_SUFFIXES:
        return f"{path.name}: not a submission (expected a folder, .zip, .py or .ipynb)"
    return ""


def hash_entry(path: Path) -> tuple[str, str]:
    """(sha256, problem): the hash the report will carry, from the normalized files, or a
    raw hash and the reason (naming the entry, not where the class folder is) when the
    entry cannot be read."""
    if problem := entry_problem(path):
        return raw_hash(path), problem
    with tempfile.TemporaryDirectory(prefix="grader-batch-hash-") as scratch:
        try:
            return load_submission(path, Path(scratch) / "submission").sha256, ""
        except (SubmissionError, OSError) as error:
            return raw_hash(path), str(error).replace(str(path), path.name)


def content_digest(entry: Entry) -> str:
    """What identical work shares: a single file's bytes whatever its name (LMS downloads
    name each file after its student), else the submission's hash."""
    path = entry.paths[0]
    if len(entry.paths) == 1 and path.is_file() and path.suffix in SOURCE_SUFFIXES:
        return raw_hash(path)
    return entry.sha256


def clash(claim: Claim) -> Entry:
    """Two entries for one student: we cannot tell which one counts, so neither is graded."""
    names = ", ".join(path.name for path in claim.paths)
    digest = hashlib.sha256("\0".join(hash_entry(path)[0] for path in claim.paths).encode())
    problem = f"several entries for student {claim.student}: {names} (keep exactly one)"
    return Entry(claim.student, claim.paths, digest.hexdigest(), problem, claim, claim.paths[0])


def discover(submissions: Path, exclude: Path, staging: Path) -> list[Entry]:
    """The class folder's entries by student id (`lms_entries.claim_entries`), skipping
    hidden ones and `exclude`; files an LMS renamed are staged in `staging` under the names
    the student gave them."""
    paths = [
        path
        for path in sorted(submissions.iterdir())
        if not is_skipped(path) and path.resolve() != exclude.resolve()
    ]
    entries = []
    for claim in claim_entries(submissions, paths):
        if len(claim.paths) > 1 and not claim.combined:
            entries.append(clash(claim))
        else:
            graded = stage(claim, staging)
            entries.append(Entry(claim.student, claim.paths, *hash_entry(graded), claim, graded))
    return entries


def late_verdict(entry: Entry, policy: LatePolicy | None) -> LateVerdict | None:
    """What `entry`'s submission time costs; None without a policy, or when the LMS itself
    says the work is on time."""
    if policy is None or entry.claim is None or entry.claim.on_time_by_lms:
        return None
    return policy.verdict(entry.claim.submitted_at)


def function_maxima(assignment: str, public_only: bool) -> dict[str, float]:
    """Points available per function, in grading order (the columns of grades.csv)."""
    maxima: dict[str, float] = {}
    for spec in load_assignment(assignment):
        for function in spec.functions:
            checks = selected_checks(function, public_only)
            if checks:
                maxima[function.name] = add_points(check.points for _, check in checks)
    return maxima


# --- grading many entries in parallel ---


def drain(
    pool: ProcessPoolExecutor,
    queue: collections.deque[GradeTask],
    limit: int,
    work: Callable[[GradeTask], Outcome],
    on_done: Callable[[Outcome], None],
) -> list[GradeTask]:
    """Run `queue` with at most `limit` tasks in flight until it is empty or the pool
    breaks; returns the tasks that were in flight when a pool process died."""
    running: dict[Future[Outcome], GradeTask] = {}
    broken: list[GradeTask] = []
    while running or (queue and not broken):
        while queue and not broken and len(running) < limit:
            task = queue.popleft()
            try:
                running[pool.submit(work, task)] = task
            except BrokenProcessPool:  # a process died before we saw any future fail
                broken.append(task)
        if not running:
            break
        finished, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in finished:
            task = running.pop(future)
            try:
                outcome = future.result()
            except BrokenProcessPool:
                broken.append(task)
                continue
            except Exception as error:  # e.g. a result that could not be sent back
                outcome = failure(task, CRASHED, f"{type(error).__name__}: {error}")
            on_done(outcome)
    return broken


def start_grading_process(environment: dict[str, str]) -> None:
    """A pool process's start: the environment of the batch that made the pool (a fork
    server's children get the server's, from this process's first pool: a course pack or
    setting chosen since would be missed), then its kept reference workers."""
    os.environ.clear()
    os.environ.update(environment)
    keep_reference_workers()


def new_pool(workers: int) -> ProcessPoolExecutor:
    """Processes forked from a fork server that has already imported the grading code (a
    second of imports per process otherwise, paid again by every replacement of a crashed
    one), not from this process: it has threads (the progress bar) and open databases."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([grade_task.__module__])
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=start_grading_process,
        initargs=(dict(os.environ),),
    )


def grade_all(
    tasks: Iterable[GradeTask],
    workers: int,
    on_done: Callable[[Outcome], None],
    work: Callable[[GradeTask], Outcome] = grade_task,
) -> None:
    """Grade every task in `workers` processes. When a process dies, the tasks that were
    in flight are re-run one at a time, so only the one that kills its process again is
    recorded as crashed and the others are graded."""
    queue = collections.deque(tasks)
    while queue:
        with new_pool(workers) as pool:
            suspects = drain(pool, queue, workers, work, on_done)
        for task in suspects:
            with new_pool(1) as pool:
                if drain(pool, collections.deque([task]), 1, work, on_done):
                    on_done(failure(task, CRASHED, "the grading process died"))


Runner = Callable[[list[GradeTask], Callable[[Outcome], None]], None]


def local_pool(workers: int) -> Runner:
    """`grade_all` in at most `workers` processes, and no more processes than tasks."""

    def run(tasks: list[GradeTask], on_done: Callable[[Outcome], None]) -> None:
        grade_all(tasks, max(1, min(workers, len(tasks))), on_done)

    return run


def grade_with_progress(
    tasks: list[GradeTask], run: Runner, on_done: Callable[[Outcome], None]
) -> None:
    """Grade the tasks with `run` (a local pool, a cluster), the progress on stderr."""
    with progress(len(tasks), "grading") as advance:

        def done(outcome: Outcome) -> None:
            on_done(outcome)
            scored = format_score(outcome) if outcome.status == GRADED else outcome.status
            advance(f"{outcome.student}: {scored}")

        run(tasks, done)


# --- the gradebook ---


def options_key(options: GradeOptions, late: LatePolicy | None = None) -> str:
    """The options besides the seed that change a report, so other options re-grade (a
    late policy too: its penalties are in the reports)."""
    fields = asdict(options)
    del fields["seed"]
    if late is not None:
        fields["late"] = late.key()
    return json.dumps(fields, sort_keys=True, default=str)


def columns(connection: sqlite3.Connection) -> list[str]:
    return [row[1] for row in connection.execute("PRAGMA table_info(gradings)")]


def upgrade(connection: sqlite3.Connection) -> None:
    """A gradebook written before the course pack was part of a grading's key gets the
    column (empty: unrecorded), its rows kept in their order."""
    if "course" in columns(connection):
        return
    kept = ", ".join(name for name in COLUMNS if name != "course")
    connection.executescript(  # one transaction: a run killed here leaves the old table
        "BEGIN; ALTER TABLE gradings RENAME TO gradings_before_course;"
        f"{SCHEMA};"
        f"INSERT INTO gradings ({kept}, course) SELECT {kept}, '' FROM gradings_before_course"
        " ORDER BY rowid; DROP TABLE gradings_before_course; COMMIT;"
    )


class Gradebook:
    """The SQLite record of every grading; one transaction per student."""

    def __init__(
        self,
        path: Path,
        assignment: str,
        options: GradeOptions,
        late: LatePolicy | None = None,
    ) -> None:
        self.connection = sqlite3.connect(path)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute(SCHEMA)
        self.connection.executescript(LMS_SCHEMA)
        upgrade(self.connection)
        self.run = (
            __version__,
            assignment,
            options.seed,
            options_key(options, late),
            course_digest(),
        )

    def close(self) -> None:
        self.connection.close()

    def finished(self) -> dict[tuple[str, str], str]:
        """(student, sha256) -> status of the final rows for this grader version,
        assignment, seed, options and course pack: what a run skips."""
        rows = self.connection.execute(
            f"SELECT student, sha256, status FROM gradings WHERE {RUN_MATCH} AND status IN (?, ?)",
            (*self.run, *FINAL_STATUSES),
        )
        return {(student, sha256): status for student, sha256, status in rows}

    def record(self, outcome: Outcome) -> None:
        """Commit one row (a crashed row of the same key is replaced)."""
        graded_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        values = (
            outcome.student,
            outcome.sha256,
            *self.run,
            graded_at,
            outcome.seconds,
            outcome.status,
            outcome.score,
            outcome.max_score,
            json.dumps(outcome.functions),
            outcome.message,
            outcome.report_json,
            outcome.report_text,
        )
        with self.connection:
            self.connection.execute(
                f"INSERT OR REPLACE INTO gradings ({', '.join(COLUMNS)})"
                f" VALUES ({', '.join('?' * len(COLUMNS))})",
                values,
            )
            self.connection.execute(
                f"DELETE FROM late_penalties WHERE {KEY_MATCH}", (*values[:2], *self.run)
            )
            if outcome.late is not None:
                late = outcome.late
                self.connection.execute(
                    f"INSERT INTO late_penalties VALUES ({', '.join('?' * 11)})",
                    (*values[:2], *self.run, late.submitted_at, late.seconds_late)
                    + (late.percent, late.rule),
                )

    def late_verdicts(self) -> dict[tuple[str, str], LateVerdict]:
        """(student, sha256) -> the late verdict recorded with its grading in this setting:
        a submission time read differently since (a new download) means grading again."""
        rows = self.connection.execute(
            "SELECT student, sha256, submitted_at, seconds_late, percent, rule"
            f" FROM late_penalties WHERE {RUN_MATCH}",
            self.run,
        )
        return {(student, sha256): LateVerdict(*rest) for student, sha256, *rest in rows}

    def record_students(self, entries: list[Entry]) -> None:
        """Who each entry is as the LMS knows them, and when it was submitted (replacing
        what an earlier run recorded: the class folder as it is now)."""
        rows = [student_row(entry) for entry in entries]
        with self.connection:
            self.connection.executemany(
                "INSERT OR REPLACE INTO lms_students VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows
            )

    def students(self) -> dict[str, tuple[str, ...]]:
        """Student -> the LMS_COLUMNS but the penalty, as grades.csv shows them."""
        rows = self.connection.execute(
            "SELECT student, lms, lms_id, name, lms_late, submitted_at FROM lms_students"
        )
        return {
            student: (lms, lms_id, name, "late" if late else "", submitted_at)
            for student, lms, lms_id, name, late, submitted_at in rows
        }

    def load(self, keys: dict[str, str]) -> list[Outcome]:
        """The rows of these (student: sha256) for this run's version, assignment, seed,
        options and course pack, by student."""
        rows = []
        for student, sha256 in sorted(keys.items()):
            key = (student, sha256, *self.run)
            row = self.connection.execute(
                "SELECT status, score, max_score, functions, message, report_json, report_text,"
                f" seconds FROM gradings WHERE {KEY_MATCH}",
                key,
            ).fetchone()
            if row is not None:
                status, score, maximum, functions, *rest = row
                totals = {name: tuple(pair) for name, pair in json.loads(functions).items()}
                late = self.connection.execute(
                    "SELECT submitted_at, seconds_late, percent, rule FROM late_penalties"
                    f" WHERE {KEY_MATCH}",
                    key,
                ).fetchone()
                verdict = LateVerdict(*late) if late else None
                rows.append(
                    Outcome(student, sha256, status, score, maximum, totals, *rest, late=verdict)
                )
        return rows


def student_row(entry: Entry) -> tuple:
    """An `lms_students` row: the LMS's identity of the entry (blank for a plain name)."""
    claim = entry.claim
    identity = claim.identity if claim else None
    submitted_at = claim.submitted_at.isoformat() if claim else ""
    downloads = "\0".join(path.name for path in entry.paths)
    if identity is None:
        return (entry.student, "", "", "", "", 0, submitted_at, downloads)
    return (
        entry.student,
        identity.lms,
        identity.lms_id,
        identity.name,
        identity.email,
        int(identity.late),
        submitted_at,
        downloads,
    )


def read_history(path: Path) -> list[Grading]:
    """Every grading the gradebook at `path` holds, oldest first (a row recorded before
    the course pack was keyed has an empty course). Only reads."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        course = "course" if "course" in columns(connection) else "''"
        rows = connection.execute(
            f"SELECT student, sha256, grader_version, assignment, seed, options, {course},"
            " status, score, max_score, message, report_json FROM gradings"
            " ORDER BY graded_at, rowid"
        ).fetchall()
    return [Grading(row[0], row[1], Setting(*row[2:7]), *row[7:]) for row in rows]


@dataclass
class Recorder:
    """Stores each outcome: report files first, then the gradebook row, so a run killed in
    between costs a re-grade, never a row without its files."""

    reports: Path
    book: Gradebook
    keys: dict[str, str]  # student -> sha256 of the rows grades.csv shows
    formats: tuple[str, ...] = chosen_formats(())
    graded: list[str] = field(default_factory=list)

    def __call__(self, outcome: Outcome) -> None:
        write_reports(self.reports, outcome, self.formats)
        self.book.record(outcome)
        self.keys[outcome.student] = outcome.sha256
        self.graded.append(outcome.student)


# --- files: reports, grades.csv, summary.md ---


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write a temporary file next to `path` and rename it over: readers (and a run killed
    half-way) see the old file or the new one, never a part."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as handle:
        handle.write(content.encode("utf-8") if isinstance(content, str) else content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def remove_temporaries(directory: Path) -> None:
    """Left behind by a run killed while writing; never read."""
    for path in directory.glob(".*.tmp"):
        path.unlink(missing_ok=True)


def write_reports(reports: Path, outcome: Outcome, formats: tuple[str, ...]) -> None:
    """A student's JSON report and the feedback files of `formats`, stale ones removed."""
    remove_stale(reports, outcome.student, formats)
    write_atomic(reports / f"{outcome.student}.json", outcome.report_json)
    if "txt" in formats:
        write_atomic(reports / f"{outcome.student}.txt", outcome.report_text)
    for name, content in sorted(outcome.files.items()):
        (reports / name).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(reports / name, content)


def points(value: float) -> str:
    """Fixed decimals, so grades.csv is byte-identical across runs."""
    return f"{value:.2f}"


def late_penalty(row: Outcome) -> str:
    """The percent a late submission lost; blank when it was not late (or no policy)."""
    return points(row.late.percent) if row.late and row.late.seconds_late > 0 else ""


def grades_csv(
    rows: list[Outcome],
    maxima: dict[str, float],
    students: Mapping[str, tuple[str, ...]] | None = None,
) -> str:
    """One line per student: totals (after any late penalty), status, points per function,
    any message, then who the LMS says the student is and the late penalty; an entry that
    could not be graded has blank scores (no grade, not a zero)."""
    students = students or {}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = ["student", "score", "max_score", "percent", "status", *maxima, "message"]
    writer.writerow([*header, *LMS_COLUMNS])
    for row in rows:
        functions = [
            points(row.functions[name][0]) if name in row.functions else "" for name in maxima
        ]
        graded = row.status == GRADED
        writer.writerow(
            [
                row.student,
                points(row.score) if graded else "",
                points(row.max_score),
                points(row.percent) if graded else "",
                row.status,
                *functions,
                row.message,
                *students.get(row.student, ("",) * (len(LMS_COLUMNS) - 1)),
                late_penalty(row),
            ]
        )
    return buffer.getvalue()


def histogram(percents: list[float]) -> list[str]:
    """How many students fall in each 10% bin (100% in the last), with a bar scaled to
    at most BAR_WIDTH characters."""
    counts = bin_counts(percents)
    largest = max(counts) or 1
    lines = []
    for bin_ in range(10):
        upper = "]" if bin_ == 9 else ")"
        bar = "#" * math.ceil(BAR_WIDTH * counts[bin_] / largest)
        lines.append(
            f"[{bin_ * 10:3d}, {bin_ * 10 + 10:3d}{upper} {counts[bin_]:4d} {bar}".rstrip()
        )
    return lines


def summary_markdown(assignment: str, rows: list[Outcome], duplicates: Groups = ()) -> str:
    """The class at a glance: statuses, percent statistics and histogram over the graded
    students, the checks failed most often, and identical submissions."""
    graded = [row for row in rows if row.status == GRADED]
    percents = [row.percent for row in graded]
    statuses = collections.Counter(row.status for row in rows)
    lines = [f"# Class summary: {assignment}", ""]
    lines.append(
        f"- students: {len(rows)} ("
        + ", ".join(f"{status} {count}" for status, count in sorted(statuses.items()))
        + ")"
    )
    if percents:
        lines.append(
            f"- percent (graded only): mean {statistics.mean(percents):.2f}, "
            f"median {statistics.median(percents):.2f}, min {min(percents):.2f}, "
            f"max {max(percents):.2f}"
        )
    lines += ["", "## Score distribution (percent)", "", "```", *histogram(percents), "```", ""]
    lines += ["## Checks failed most often", "", "| check | students |", "|---|---:|"]
    for check in failed_checks(graded):
        escaped = check.name.replace("|", "\\|")
        lines.append(f"| {escaped} | {check.students} |")
    errors = [row for row in rows if row.status != GRADED]
    if errors:
        lines += ["", "## Not graded", ""]
        lines += [f"- {row.student} ({row.status}): {row.message}" for row in errors]
    lines += duplicates_markdown(duplicates)
    return "\n".join(lines) + "\n"


# --- the entry point ---


class UnknownStudent(ValueError):
    """--only names a student the class folder has no entry for (a usage error)."""


@dataclass(frozen=True)
class Controls:
    """Which entries a run grades and what it writes per student: `force` grades again
    those the gradebook already has, `only` limits the run to these students (the others
    stay as they are in grades.csv), `retry_errors` grades again those whose grading was
    an error; `formats` are the files written per student (`feedback.chosen_formats`)."""

    force: bool = False
    only: tuple[str, ...] = ()
    retry_errors: bool = False
    formats: tuple[str, ...] = chosen_formats(())

    def check_students(self, entries: list[Entry]) -> None:
        known = {entry.student for entry in entries}
        for student in self.only:
            if student not in known:
                raise UnknownStudent(f"--only {student}: no entry for this student")

    def grades(
        self,
        entry: Entry,
        finished: dict[tuple[str, str], str],
        reports: Path,
        late_changed: bool = False,
    ) -> bool:
        """Whether this run grades `entry`: not yet graded in this setting (or its feedback
        files are missing, or its late verdict is not the one recorded: the submission time
        was read differently), or forced, or an error to retry; and chosen by --only."""
        if self.only and entry.student not in self.only:
            return False
        status = finished.get((entry.student, entry.sha256))
        if status is None or self.force or (self.retry_errors and status == ERROR):
            return True
        if status == GRADED and late_changed:
            return True
        needed = expected_files(entry.student, self.formats, graded=status == GRADED)
        return not all((reports / name).is_file() for name in needed)


def write_regrade(out: Path, setting: Setting, students: set[str], console: Console) -> None:
    """regrade.md: each student's grading in this setting against their previous one,
    once some student has two (none: no file)."""
    history = [g for g in read_history(out / "gradebook.sqlite") if g.student in students]
    try:
        comparison = compare(history, setting.assignment, new=setting.id)
    except RegradeError:  # no final grading in this setting: an empty class, all crashed
        comparison = None
    target = out / "regrade.md"
    if comparison is None or not comparison.changes:
        target.unlink(missing_ok=True)
        return
    write_atomic(target, regrade_markdown(comparison))
    console.print(f"{target.name}: {tally(comparison)}", highlight=False)


def run_batch(
    assignment: str,
    submissions: Path,
    out: Path,
    workers: int | None,
    options: GradeOptions,
    *,
    console: Console | None = None,
    late: LatePolicy | None = None,
    controls: Controls = Controls(),
    cluster: ClusterTarget | None = None,
) -> BatchResult:
    """Grade every entry of `submissions` not yet in `out`'s gradebook (as `controls` say),
    then regenerate grades.csv, summary.md, summary.html and regrade.md and print the
    summary (on `console`, default stdout). With a `late` policy each score is the points
    less the penalty its submission time costs. With a `cluster` the gradings run on its
    Dask workers (`cluster.grade_on_cluster`), else in `workers` local processes.

    Raises UnknownAssignment, SubmissionError when `submissions` is not a folder,
    UnknownStudent for an --only student without an entry, and MissingPackages, all before
    any student is graded; ClusterError when the cluster cannot be used.
    """
    maxima = function_maxima(assignment, options.public_only)
    require(load_assignment(assignment))
    if not Path(submissions).is_dir():
        raise SubmissionError(f"{submissions}: not a folder of submissions")
    out, reports = Path(out), Path(out) / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    remove_temporaries(out)
    remove_temporaries(reports)
    max_score = sum(maxima.values())
    shown = console or Console()
    if cluster is None:
        run = local_pool(workers or os.cpu_count() or 1)
    else:

        def run(tasks: list[GradeTask], on_done: Callable[[Outcome], None]) -> None:
            grade_on_cluster(cluster, tasks, on_done, shown)

    book = Gradebook(out / "gradebook.sqlite", assignment, options, late)
    staging = tempfile.TemporaryDirectory(prefix="grader-batch-staging-")
    with contextlib.closing(book), staging:
        entries = discover(Path(submissions), exclude=out, staging=Path(staging.name))
        controls.check_students(entries)
        book.record_students(entries)
        finished = book.finished()
        recorded = book.late_verdicts()
        verdicts = {entry.student: late_verdict(entry, late) for entry in entries}

        def task(entry: Entry) -> GradeTask:
            return GradeTask(
                assignment,
                entry.student,
                entry.graded or entry.paths[0],
                entry.sha256,
                options,
                max_score,
                controls.formats,
                verdicts[entry.student],
            )

        todo = [
            entry
            for entry in entries
            if controls.grades(
                entry,
                finished,
                reports,
                recorded.get((entry.student, entry.sha256)) != verdicts[entry.student],
            )
        ]
        keys = {entry.student: entry.sha256 for entry in entries}
        record = Recorder(reports, book, keys, controls.formats)
        for entry in todo:
            if entry.problem:
                record(failure(task(entry), ERROR, entry.problem))
        tasks = [task(entry) for entry in todo if not entry.problem]
        grade_with_progress(tasks, run, record)
        rows = book.load(record.keys)
        students = book.students()
        setting = Setting(*book.run)
    write_atomic(out / "grades.csv", grades_csv(rows, maxima, students))
    duplicates = duplicate_groups({entry.student: content_digest(entry) for entry in entries})
    summary = summary_markdown(assignment, rows, duplicates)
    write_atomic(out / "summary.md", summary)
    dashboard = summary_html(assignment, rows, list(maxima), duplicates)
    write_atomic(out / "summary.html", dashboard)
    shown.print(Markdown(summary))
    write_regrade(out, setting, set(keys), shown)
    done = set(record.graded)
    skipped = tuple(entry.student for entry in entries if entry.student not in done)
    return BatchResult(out, tuple(sorted(done)), skipped, tuple(rows))
