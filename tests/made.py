"""Reports built by hand, for the tests of the report formats (no grading)."""

from __future__ import annotations

from grader.report.model import CheckResult, Report


def made_report(assignment: str, title: str, results: tuple[CheckResult, ...], **fields) -> Report:
    """A report of `results` with the fields a grading would fill made up (`fields` override)."""
    made = {
        "seed": 7,
        "submission_sha256": "0" * 64,
        "isolation": "bubblewrap: no network",
        "device": "cpu",
        "grader_version": "0.1.0",
        "execution_time": 12.5,
    }
    return Report(assignment=assignment, title=title, results=results, **{**made, **fields})
