"""`grader similarity`: which students' code is alike, beyond the starter code they all got.

In a stub-filling assignment every hand-in shares the stubs, so naive similarity flags the
whole class; here the released starter code is boilerplate and only what students wrote
is compared (`sources`: the files, `compare`: copydetect's fingerprints, `report`: the HTML
page, the CSV and the terminal lines). Student code is read as text, never run.

Run: grader similarity ASSIGNMENT SUBMISSIONS_DIR --out DIR
"""

from __future__ import annotations

from pathlib import Path

from grader.batch import BatchResult, write_atomic
from grader.similarity.compare import Thresholds, compare_class, copydetect
from grader.similarity.report import Findings, render_html, similarity_csv
from grader.similarity.sources import class_code, starter_code

HTML_FILE, CSV_FILE = "similarity.html", "similarity.csv"


class SimilarityError(Exception):
    """The class folder cannot be compared (a usage error, exit code 2)."""


def batch_output(folder: Path) -> bool:
    return BatchResult(folder, (), (), ()).gradebook.exists()


def grader_outputs(submissions: Path) -> set[Path]:
    """The folders in the class folder that grader batch or grader similarity wrote before:
    nobody's submission."""
    return {
        path.resolve()
        for path in submissions.iterdir()
        if path.is_dir() and (batch_output(path) or (path / CSV_FILE).is_file())
    }


def checked_folder(submissions: Path) -> None:
    """A folder of submissions, not a batch's output (its gradebook holds scores, no code)."""
    if not submissions.is_dir():
        raise SimilarityError(f"{submissions}: not a folder of submissions")
    if batch_output(submissions):
        raise SimilarityError(
            f"{submissions} is the output of grader batch (its gradebook holds scores, not "
            "code): give the folder of submissions that batch graded"
        )


def find_similar(
    assignment: str, submissions: Path, out: Path, thresholds: Thresholds, top: int
) -> Findings:
    """Compare every pair of students of `submissions` and write `out`/similarity.html and
    `out`/similarity.csv. Raises UnknownAssignment, SimilarityError (fewer than two
    submissions to compare) and MissingPackages (no copydetect) before any work."""
    copydetect()
    starter = starter_code(assignment)
    submissions, out = Path(submissions), Path(out)
    checked_folder(submissions)
    codes, unreadable = class_code(assignment, submissions, out, grader_outputs(submissions))
    if len(codes) < 2:
        found = f"{len(codes)} readable submission" + ("" if len(codes) == 1 else "s")
        raise SimilarityError(f"{submissions}: {found}, nothing to compare (at least two needed)")
    pairs, starter_only = compare_class(codes, starter, thresholds)
    findings = Findings(
        assignment,
        pairs,
        {code.student: code for code in codes},
        unreadable,
        starter_only,
        thresholds,
        top,
    )
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / CSV_FILE, similarity_csv(pairs))
    write_atomic(out / HTML_FILE, render_html(findings))
    return findings
