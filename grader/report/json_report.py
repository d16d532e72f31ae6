"""The report as Gradescope's results.json (also what CI scripts read)."""

from __future__ import annotations

import json
from dataclasses import replace

from grader.report.model import Report, format_score


def to_results(report: Report) -> dict:
    numbering: dict[str, int] = {}
    tests = []
    for result in report.results:
        function_number = numbering.setdefault(result.function, len(numbering) + 1)
        check_number = sum(1 for test in tests if test["tags"][0] == result.function) + 1
        tests.append(
            {
                "name": result.name,
                "number": f"{function_number}.{check_number}",
                "score": result.score,
                "max_score": result.max_score,
                "status": "passed" if result.passed else "failed",
                "output": result.feedback,
                "output_format": "text",
                "visibility": result.visibility,
                "tags": [result.function, result.kind],
            }
        )
    return envelope(
        report.score,
        visible_summary(report),
        tests,
        {
            "assignment": report.assignment,
            "max_score": report.max_score,
            "grader_version": report.grader_version,
            "submission_sha256": report.submission_sha256,
            "seed": report.seed,
            "device": report.device,
            "isolation": report.isolation,
            "duration_by_check": {
                test["name"]: round(result.duration, 3)
                for test, result in zip(tests, report.results, strict=True)
            },
            "notes": list(report.notes),
            "deadline_note": report.deadline_note,
        },
        round(report.execution_time, 3),
    )


def envelope(
    score: float, output: str, tests: list[dict], extra_data: dict, execution_time: float = 0.0
) -> dict:
    """Gradescope's top-level results.json fields around the tests."""
    return {
        "score": score,
        "execution_time": execution_time,
        "output": output,
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": extra_data,
    }


def failure_results(message: str, extra_data: dict) -> dict:
    """A results.json for a submission that could not be graded at all: score 0, and why."""
    return envelope(0.0, message, [], extra_data)


def stable_results(report: Report) -> dict:
    """The results without what is measured (time), which no rerun can reproduce."""
    data = to_results(report)
    data.pop("execution_time")
    data["extra_data"].pop("duration_by_check")
    return data


HIDDEN_NOTE = "hidden checks are not shown before the deadline"


def has_hidden_checks(report: Report) -> bool:
    """Whether the assignment has checks a student may not see yet: graded ones with a
    visibility other than `visible`, or ones a public-only grading left out."""
    return report.hidden_not_run > 0 or any(r.visibility != "visible" for r in report.results)


def _headline(report: Report, visible_only: bool) -> str:
    """Score line and the functions losing points, over the checks `report` holds."""
    failed = [total.function for total in report.functions() if total.score < total.max_score]
    points = format_score(report)
    if visible_only:
        text = f"{report.title}. Visible checks: {points} ({HIDDEN_NOTE})"
    else:
        text = f"{report.title}: {points} ({report.percent:.1f}%)"
    if failed:
        text += f". Functions losing points: {', '.join(failed)}"
    return f"{report.deadline_note} {text}" if report.deadline_note else text


def summary(report: Report) -> str:
    """The headline over every check the report holds: an instructor's report shows hidden
    points; a public-only grading (`grader check`) says that hidden checks are still to come."""
    return _headline(report, visible_only=report.hidden_not_run > 0)


def visible_summary(report: Report) -> str:
    """The headline a student always sees (results.json's `output`): the visible checks only,
    so that neither hidden points nor the functions losing them show before the deadline."""
    if not has_hidden_checks(report):
        return summary(report)
    visible = tuple(result for result in report.results if result.visibility == "visible")
    return _headline(replace(report, results=visible), visible_only=True)


def render_json(report: Report) -> str:
    return json.dumps(to_results(report), indent=2) + "\n"
