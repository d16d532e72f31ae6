"""The report as Gradescope's results.json (also what CI scripts read)."""

from __future__ import annotations

import json
from dataclasses import asdict, replace

from grader.report.mdsyntax import fenced, table_lines
from grader.report.model import Attachments, CheckResult, ModuleProblem, Report, format_score


def test_output(result: CheckResult) -> tuple[str, str]:
    """A test's `output` and its `output_format`: Markdown when the check attached a table
    or its feedback spans lines (values, arrays, code, whose layout matters), the feedback
    then in a code block so Gradescope shows it as it is; a one-line verdict stays text."""
    tables = result.attachments.tables
    if not tables and "\n" not in result.feedback:
        return result.feedback, "text"
    lines = [*fenced(result.feedback), ""] if result.feedback else []
    for table in tables:
        lines += [*table_lines(table), ""]
    return "\n".join(lines).rstrip("\n"), "md"


def to_results(report: Report) -> dict:
    numbering: dict[str, int] = {}
    tests = []
    for result in report.results:
        function_number = numbering.setdefault(result.function, len(numbering) + 1)
        check_number = sum(1 for test in tests if test["tags"][0] == result.function) + 1
        output, output_format = test_output(result)
        tests.append(
            {
                "name": result.name,
                "number": f"{function_number}.{check_number}",
                "score": result.score,
                "max_score": result.max_score,
                "status": "passed" if result.passed else "failed",
                "output": output,
                "output_format": output_format,
                "visibility": result.visibility,
                "tags": [result.function, result.kind],
            }
        )
    return envelope(
        report.score,
        "\n\n".join([*problem_texts(report), *report.notes, visible_summary(report)]),
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
            "problems": [asdict(problem) for problem in report.problems],
            "not_implemented": list(report.not_implemented),
            "waiting": list(report.waiting),
            **late_data(report),
        },
        round(report.execution_time, 3),
    )


def late_data(report: Report) -> dict:
    """The points before a late penalty and the penalty, where one was taken."""
    if not report.late_penalty:
        return {}
    return {
        "points_before_late_penalty": report.points,
        "late_penalty_percent": report.late_penalty,
    }


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
    unmeasured = tuple(
        replace(result, attachments=Attachments()) if result.attachments.measured else result
        for result in report.results
    )
    data = to_results(replace(report, results=unmeasured))
    data.pop("execution_time")
    data["extra_data"].pop("duration_by_check")
    return data


HIDDEN_NOTE = "hidden checks are not shown before the deadline"
HEADLINE_NAMES = 3  # stubs a headline names; more are counted (the report's top lists them)


def has_hidden_checks(report: Report) -> bool:
    """Whether the assignment has checks a student may not see yet: graded ones with a
    visibility other than `visible`, or ones a public-only grading left out."""
    return report.hidden_not_run > 0 or any(r.visibility != "visible" for r in report.results)


def problem_headline(problem: ModuleProblem) -> str:
    """One line on what went wrong with a file, the first of `problem_text`."""
    if problem.kind == "missing":
        return f"{problem.file} was not handed in"
    if problem.kind == "cell":
        return f"{problem.file}, cell {problem.cell} failed when the notebook was run"
    return f"{problem.file} failed to import"


def problem_text(problem: ModuleProblem) -> str:
    """A module problem as every report states it, once, at its top: what went wrong,
    where, what to do, and which functions it left ungraded, in one line."""
    if problem.kind == "missing":
        lines = [f"{problem_headline(problem)}: {problem.message}"]
    else:
        lines = [
            f"{problem_headline(problem)}:",
            f"  {problem.exception}: {problem.message}".rstrip(": "),
        ]
        if problem.line:
            lines.append(f"  at {problem.place}: {problem.code}".rstrip(": "))
    if problem.hint:
        lines.append(f"  hint: {problem.hint}")
    if problem.functions:
        lines.append(f"  not graded: {', '.join(problem.functions)}")
    return "\n".join(lines)


def not_implemented_text(report: Report) -> str:
    text = f"Not implemented yet: {', '.join(report.not_implemented)}"
    if report.waiting:
        text += f"\n  not graded until their forward is: {', '.join(report.waiting)}"
    return text


def problem_texts(report: Report) -> list[str]:
    """What every report states once at its top: each module problem, then the functions
    not implemented yet, in one line."""
    texts = [problem_text(problem) for problem in report.problems]
    return texts + ([not_implemented_text(report)] if report.not_implemented else [])


def _few(names: tuple[str, ...]) -> str:
    """Names a headline lists in full, or counts when the report's top lists them anyway."""
    return (
        ", ".join(names)
        if len(names) <= HEADLINE_NAMES
        else f"{len(names)} functions (listed above)"
    )


def _headline(report: Report, visible_only: bool) -> str:
    """Score line, the files that failed to import, and the functions losing points, over
    the checks `report` holds (functions already accounted for are not repeated)."""
    failed = [
        section.total.function
        for section in report.sections()
        if section.total.score < section.total.max_score and not section.status.accounted
    ]
    points = format_score(report)
    if visible_only:
        text = f"{report.title}. Visible checks: {points} ({HIDDEN_NOTE})"
    else:
        text = f"{report.title}: {points} ({report.percent:.1f}%)"
    for problem in report.problems:
        text += f". {problem_headline(problem)}"
    if report.not_implemented:
        text += f". Not implemented yet: {_few(report.not_implemented)}"
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
