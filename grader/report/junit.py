"""The report as JUnit XML, the format CI test reporters read (GitHub Actions reporters,
GitLab, Jenkins): one suite per graded function, one test case per check.

Feedback quotes what student code printed, so every string is cleaned of the characters
XML 1.0 forbids before it goes in; a single stray byte would otherwise make the whole file
unreadable to the reporter. Nothing measured at render time (timestamps, host names) goes
in, so the same report always gives the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from grader.report.json_report import problem_headline, problem_texts
from grader.report.model import CheckResult, Report, format_points

# Everything XML 1.0 does not allow in a document: C0 controls other than tab, newline
# and carriage return, lone surrogates, U+FFFE and U+FFFF.
_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def printable(text: object) -> str:
    r"""The text with every character XML 1.0 forbids written as a visible escape (`\x1b`),
    so the reader still sees what was printed."""
    return _FORBIDDEN.sub(lambda match: f"\\x{ord(match.group()):02x}", str(text))


def _seconds(value: float) -> str:
    return f"{value:.3f}"


def _properties(parent: ET.Element, values: dict[str, object]) -> None:
    properties = ET.SubElement(parent, "properties")
    for name, value in values.items():
        ET.SubElement(properties, "property", name=name, value=printable(value))


def _testcase(suite: ET.Element, report: Report, result: CheckResult) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        name=printable(result.name),
        classname=printable(f"{report.assignment}.{result.function}"),
        time=_seconds(result.duration),
    )
    _properties(
        case,
        {
            "score": format_points(result.score),
            "max_score": format_points(result.max_score),
            "visibility": result.visibility,
            "kind": result.kind,
        },
    )
    feedback = printable(result.feedback)
    if not result.passed:
        first_line = feedback.splitlines()[0] if feedback else "failed"
        failure = ET.SubElement(case, "failure", message=first_line, type=printable(result.kind))
        failure.text = feedback
    elif feedback:
        ET.SubElement(case, "system-out").text = feedback


def _problems(root: ET.Element, report: Report) -> int:
    """The submission's problems (module problems, functions not implemented yet) as the
    first suite, one test case in error each, so a CI reporter shows them once, first."""
    texts = problem_texts(report)
    if not texts:
        return 0
    headlines = [problem_headline(problem) for problem in report.problems]
    headlines += ["not implemented yet"] * (len(texts) - len(headlines))
    suite = ET.SubElement(
        root,
        "testsuite",
        name="submission",
        tests=str(len(texts)),
        failures="0",
        errors=str(len(texts)),
        skipped="0",
        time=_seconds(0.0),
    )
    for headline, text in zip(headlines, texts, strict=True):
        case = ET.SubElement(
            suite, "testcase", name=printable(headline), classname=f"{report.assignment}.submission"
        )
        error = ET.SubElement(
            case, "error", message=printable(text.splitlines()[0]), type="problem"
        )
        error.text = printable(text)
    return len(texts)


def render_junit(report: Report) -> str:
    """The report as a JUnit XML document (the grading model has no skipped checks, so
    `skipped` is always 0; the submission's problems, such as a module that failed to
    import, are the errors, in a first suite of their own)."""
    root = ET.Element(
        "testsuites",
        name=printable(report.title),
        tests=str(len(report.results)),
        failures=str(sum(not result.passed for result in report.results)),
        errors="0",
        skipped="0",
        time=_seconds(report.execution_time),
    )
    errors = _problems(root, report)
    if errors:
        root.set("tests", str(len(report.results) + errors))
        root.set("errors", str(errors))
    for total in report.functions():
        results = [result for result in report.results if result.function == total.function]
        suite = ET.SubElement(
            root,
            "testsuite",
            name=printable(total.function),
            tests=str(len(results)),
            failures=str(total.checks_failed),
            errors="0",
            skipped="0",
            time=_seconds(sum(result.duration for result in results)),
        )
        _properties(
            suite,
            {
                "assignment": report.assignment,
                "score": format_points(total.score),
                "max_score": format_points(total.max_score),
                "seed": report.seed,
                "isolation": report.isolation,
                **({"deadline": report.deadline_note} if report.deadline_note else {}),
            },
        )
        for result in results:
            _testcase(suite, report, result)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
