"""The report as JUnit XML, the format CI test reporters read (GitHub Actions reporters,
GitLab, Jenkins): one suite per graded function, one test case per check.

Valid against Jenkins xunit's `junit-10.xsd` (the schema pytest's xunit2 output follows),
which allows properties on suites only and `file` on suites but no `file` or `line` on test
cases: a function's suite carries the student's file, and each failed check ends with
`defined at layers.py:42`, where reporters such as action-junit-report find the line.

Feedback quotes what student code printed, so every string is cleaned of the characters
XML 1.0 forbids before it goes in; a single stray byte would otherwise make the whole file
unreadable to the reporter. Nothing measured at render time (timestamps, host names) goes
in, so the same report always gives the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from grader.report.json_report import problem_headline, problem_texts
from grader.report.model import (
    CheckResult,
    FunctionTotal,
    Report,
    SourceLocation,
    format_points,
    format_score,
)

# Everything XML 1.0 does not allow in a document: C0 controls other than tab, newline
# and carriage return, lone surrogates, U+FFFE and U+FFFF.
_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def printable(text: object) -> str:
    r"""The text with every character XML 1.0 forbids written as a visible escape (`\x1b`),
    so the reader still sees what was printed."""
    return _FORBIDDEN.sub(lambda match: f"\\x{ord(match.group()):02x}", str(text))


def _seconds(value: float) -> str:
    return f"{value:.3f}"


def _properties(parent: ET.Element, pairs: Iterable[tuple[str, object]]) -> None:
    properties = ET.SubElement(parent, "properties")
    for name, value in pairs:
        ET.SubElement(properties, "property", name=printable(name), value=printable(value))


def defined_at(function: str, location: SourceLocation) -> str:
    """The last line of a failed check: `file:line`, where reporters look for the line to
    annotate; a notebook's cell and line otherwise."""
    if location.cell:
        place = f"{location.file}, cell {location.cell}, line {location.line}"
        return f"{function} is defined in {place}"
    return f"{function} is defined at {location.file}:{location.line}"


def _where(location: SourceLocation | None) -> list[tuple[str, object]]:
    if location is None:
        return []
    cell = [("cell", location.cell)] if location.cell else []
    return [("file", location.file), *cell, ("line", location.line)]


def _testcase(
    suite: ET.Element, report: Report, result: CheckResult, location: SourceLocation | None
) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        name=printable(result.name),
        classname=printable(f"{report.assignment}.{result.function}"),
        time=_seconds(result.duration),
    )
    feedback = printable(result.feedback)
    if not result.passed:
        first_line = feedback.splitlines()[0] if feedback else "failed"
        failure = ET.SubElement(case, "failure", message=first_line, type=printable(result.kind))
        where = [printable(defined_at(result.function, location))] if location else []
        failure.text = "\n\n".join(filter(None, [feedback, *where]))
    elif feedback:
        ET.SubElement(case, "system-out").text = feedback


def _function_suite(root: ET.Element, report: Report, function: FunctionTotal) -> None:
    """A function's suite: where it is defined, its points, and each check's points,
    visibility and kind as a property named like the check's test case (the schema
    allows no properties on a test case)."""
    results = [result for result in report.results if result.function == function.function]
    location = report.locations.get(function.function)
    suite = ET.SubElement(
        root,
        "testsuite",
        name=printable(function.function),
        tests=str(len(results)),
        failures=str(function.checks_failed),
        errors="0",
        skipped="0",
        time=_seconds(sum(result.duration for result in results)),
        **({"file": printable(location.file)} if location else {}),
    )
    deadline = [("deadline", report.deadline_note)] if report.deadline_note else []
    checks = [
        (result.name, f"{format_score(result)} ({result.visibility}, {result.kind})")
        for result in results
    ]
    _properties(
        suite,
        [
            ("assignment", report.assignment),
            *_where(location),
            ("score", format_points(function.score)),
            ("max_score", format_points(function.max_score)),
            ("seed", report.seed),
            ("isolation", report.isolation),
            *deadline,
            *checks,
        ],
    )
    for result in results:
        _testcase(suite, report, result, location)


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


def _notes(root: ET.Element, report: Report) -> None:
    """The report's notes (which file a function was graded from, a late penalty) as the
    output of a suite of their own: a CI reporter shows them, and they fail nothing."""
    if report.notes:
        suite = ET.SubElement(
            root, "testsuite", name="notes", tests="0", failures="0", errors="0", skipped="0"
        )
        ET.SubElement(suite, "system-out").text = printable("\n".join(report.notes))


def render_junit(report: Report) -> str:
    """The report as a JUnit XML document (the grading model has no skipped checks, so
    a suite's `skipped` is always 0; the submission's problems, such as a module that
    failed to import, are the errors, in a first suite of their own)."""
    root = ET.Element(
        "testsuites",
        name=printable(report.title),
        tests=str(len(report.results)),
        failures=str(sum(not result.passed for result in report.results)),
        errors="0",
        time=_seconds(report.execution_time),
    )
    errors = _problems(root, report)
    if errors:
        root.set("tests", str(len(report.results) + errors))
        root.set("errors", str(errors))
    _notes(root, report)
    for function in report.functions():
        _function_suite(root, report, function)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
