"""The report as Gradescope's results.json (also what CI scripts read)."""

from __future__ import annotations

import json

from grader.report.model import Report


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
        summary(report),
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


def summary(report: Report) -> str:
    failed = [total.function for total in report.functions() if total.score < total.max_score]
    text = f"{report.title}: {report.score:g}/{report.max_score:g} ({report.percent:.1f}%)"
    if failed:
        text += f". Functions losing points: {', '.join(failed)}"
    return text


def render_json(report: Report) -> str:
    return json.dumps(to_results(report), indent=2) + "\n"
