"""The class dashboard (`summary.html`, beside `summary.md`): per-function score
distributions, the checks failed most often with an example of their feedback, the known
mistakes named most often, identical submissions, and grading times.

One page that opens offline: inline style and SVG, no script, nothing loaded. Made only
from the gradebook's rows, sorted throughout: the same gradebook gives the same bytes.
"""

from __future__ import annotations

import collections
import json
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from grader.checks.mistakes import named_mistakes
from grader.classbook import GRADED, ClassRow
from grader.report.html import STYLE
from grader.report.junit import printable
from grader.report.mdsyntax import quoted_text

BINS = 10  # score bins of 10 percent each, 100% in the last
LISTED = 10  # rows of each ranking: checks failed, mistakes named, slowest checks
SLOWEST = 5  # students listed by grading time
BAR = 16  # an SVG bar's width, pixels
BAR_HEIGHT = 48
BAR_COLOUR = "#1f5fa8"


def bin_counts(percents: Iterable[float]) -> list[int]:
    """How many scores fall in each 10% bin, [0, 10) to [90, 100]."""
    counts = collections.Counter(min(int(percent // 10), BINS - 1) for percent in percents)
    return [counts[index] for index in range(BINS)]


def graded_rows(rows: Iterable[ClassRow]) -> list[ClassRow]:
    return [row for row in rows if row.status == GRADED]


def failed_tests(row: ClassRow) -> list[dict]:
    """The failed tests of a row's results.json."""
    return [
        test for test in json.loads(row.report_json).get("tests", []) if test["status"] == "failed"
    ]


def feedback_of(test: dict) -> str:
    """A test's feedback as the check wrote it (an `md` output quotes it in a code block)."""
    return quoted_text(test["output"]) if test["output_format"] == "md" else test["output"]


@dataclass(frozen=True)
class Counted:
    """Something many students share (a failed check, a named mistake), how many, and one
    example: the feedback most of them got (ties: the first in sort order)."""

    name: str
    students: int
    example: str


def most_common(named: dict[str, list[str]], most: int) -> list[Counted]:
    """`named`: name -> one text per student; the `most` named by most students."""
    counted = []
    for name, texts in named.items():
        (example, _), *_ = sorted(collections.Counter(texts).items(), key=lambda i: (-i[1], i[0]))
        counted.append(Counted(name, len(texts), example))
    return sorted(counted, key=lambda item: (-item.students, item.name))[:most]


def failed_checks(rows: Iterable[ClassRow], most: int = LISTED) -> list[Counted]:
    """The checks failed by the most graded students, each with an example feedback."""
    feedback: dict[str, list[str]] = {}
    for row in graded_rows(rows):
        failed = {}  # a student counted once per check
        for test in failed_tests(row):
            failed.setdefault(test["name"], feedback_of(test))
        for name, text in failed.items():
            feedback.setdefault(name, []).append(text)
    return most_common(feedback, most)


def named_mistakes_by_students(rows: Iterable[ClassRow], most: int = LISTED) -> list[Counted]:
    """The known mistakes the reports name for the most students, each with a check that
    named it (a student counted once per mistake)."""
    checks: dict[str, dict[str, str]] = {}
    for row in graded_rows(rows):
        for test in failed_tests(row):
            for key in named_mistakes(feedback_of(test)):
                checks.setdefault(key, {}).setdefault(row.student, test["name"])
    return most_common({key: list(named.values()) for key, named in checks.items()}, most)


Groups = Sequence[tuple[str, ...]]


def duplicate_groups(contents: Mapping[str, str]) -> list[tuple[str, ...]]:
    """Students who handed in identical work (`contents`: student -> a digest of what they
    handed in), group by group."""
    by_digest: dict[str, list[str]] = {}
    for student, digest in contents.items():
        by_digest.setdefault(digest, []).append(student)
    return sorted(tuple(sorted(group)) for group in by_digest.values() if len(group) > 1)


DUPLICATES = "Identical submissions"


def duplicates_markdown(groups: Groups) -> list[str]:
    """summary.md's section on identical submissions (nothing when there are none)."""
    if not groups:
        return []
    return ["", f"## {DUPLICATES}", "", *(f"- {', '.join(group)}" for group in groups)]


# --- the page ---


def _text(value: object) -> str:
    return escape(printable(value))


def histogram_svg(counts: Sequence[int], what: str) -> str:
    """A small bar chart of `counts` per 10% bin, each bar titled with its count."""
    largest = max(counts, default=0) or 1
    width, height = BAR * len(counts), BAR_HEIGHT + 14
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_text(what)}">'
    ]
    for index, count in enumerate(counts):
        bar = round(BAR_HEIGHT * count / largest)
        upper = "]" if index == len(counts) - 1 else ")"
        parts.append(
            f'<rect x="{index * BAR + 1}" y="{BAR_HEIGHT - bar}" width="{BAR - 2}" height="{bar}" '
            f'fill="{BAR_COLOUR}"><title>[{index * 10}, {index * 10 + 10}{upper}%: {count}'
            "</title></rect>"
        )
    parts.append(f'<line x1="0" y1="{BAR_HEIGHT}" x2="{width}" y2="{BAR_HEIGHT}" stroke="#888"/>')
    parts.append(f'<text x="0" y="{height - 2}" font-size="10">0%</text>')
    parts.append(f'<text x="{width}" y="{height - 2}" font-size="10" text-anchor="end">100%</text>')
    return "".join(parts) + "</svg>"


def _table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = ()
) -> list[str]:
    """An HTML table; `rows` hold markup already escaped; `numeric`: right-aligned columns."""
    head = "".join(f"<th>{_text(header)}</th>" for header in headers)
    lines = ['<div class="scroll"><table>', f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    for row in rows:
        cells = "".join(
            f'<td class="num">{value}</td>' if index in numeric else f"<td>{value}</td>"
            for index, value in enumerate(row)
        )
        lines.append(f"<tr>{cells}</tr>")
    return lines + ["</tbody></table></div>"]


def _functions(graded: Sequence[ClassRow], functions: Sequence[str]) -> list[str]:
    lines = ["<h2>Scores per function</h2>"]
    rows = []
    for function in functions:
        scores = [row.functions[function] for row in graded if function in row.functions]
        if not scores:  # graded for nobody (`--only` functions)
            continue
        percents = [100.0 * score / maximum if maximum else 100.0 for score, maximum in scores]
        full = sum(score >= maximum for score, maximum in scores)
        mean = f"{statistics.mean(percents):.1f}%" if percents else "-"
        chart = histogram_svg(bin_counts(percents), f"{function}: scores")
        rows.append((f"<code>{_text(function)}</code>", mean, str(full), str(len(scores)), chart))
    headers = ("function", "mean", "full marks", "graded", "distribution (0-100%)")
    return lines + _table(headers, rows, numeric=(1, 2, 3))


def _counted(title: str, what: str, items: Sequence[Counted], example: str) -> list[str]:
    lines = [f"<h2>{_text(title)}</h2>"]
    if not items:
        return lines + ['<p class="meta">none</p>']
    rows = [
        (
            f"<code>{_text(item.name)}</code>",
            str(item.students),
            f"<pre>{_text(item.example)}</pre>",
        )
        for item in items
    ]
    return lines + _table((what, "students", example), rows, numeric=(1,))


def _duplicates(groups: Groups) -> list[str]:
    if not groups:
        return []
    lines = [f"<h2>{DUPLICATES}</h2>", "<ul>"]
    lines += [f"<li>{_text(', '.join(group))}</li>" for group in groups]
    return lines + ["</ul>"]


def _seconds(value: float) -> str:
    return f"{value:.1f} s"


def _times(graded: Sequence[ClassRow]) -> list[str]:
    """Wall time per student as the batch measured it, and the slowest checks (median over
    the students, from each report's duration_by_check)."""
    lines = ["<h2>Grading times</h2>"]
    seconds = [row.seconds for row in graded]
    if not seconds:
        return lines + ['<p class="meta">none</p>']
    lines.append(
        f"<p>Per student: median {_seconds(statistics.median(seconds))}, "
        f"max {_seconds(max(seconds))}, total {_seconds(sum(seconds))}.</p>"
    )
    slowest = sorted(graded, key=lambda row: (-row.seconds, row.student))[:SLOWEST]
    rows = [(_text(row.student), _seconds(row.seconds)) for row in slowest]
    lines += _table(("slowest students", "time"), rows, numeric=(1,))
    durations: dict[str, list[float]] = {}
    for row in graded:
        by_check = json.loads(row.report_json).get("extra_data", {}).get("duration_by_check", {})
        for name, duration in by_check.items():
            durations.setdefault(name, []).append(duration)
    medians = sorted(((-statistics.median(d), name) for name, d in durations.items()))[:LISTED]
    rows = [(f"<code>{_text(name)}</code>", _seconds(-median)) for median, name in medians]
    return lines + _table(("slowest checks", "median time"), rows, numeric=(1,))


def summary_html(
    assignment: str, rows: Sequence[ClassRow], functions: Sequence[str], duplicates: Groups = ()
) -> str:
    """The dashboard of a class (`rows`: every student's row; `functions`: in grading
    order; `duplicates`: `duplicate_groups`)."""
    graded = graded_rows(rows)
    statuses = collections.Counter(row.status for row in rows)
    counts = ", ".join(f"{status} {count}" for status, count in sorted(statuses.items()))
    percents = [row.percent for row in graded]
    overall = histogram_svg(bin_counts(percents), "scores of the class")
    mean = f", mean {statistics.mean(percents):.1f}%" if percents else ""
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Class summary: {_text(assignment)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>Class summary: {_text(assignment)}</h1>",
        f'<p class="summary">{len(rows)} students ({_text(counts)}){mean}</p>',
        f"<p>{overall}</p>",
        *_functions(graded, functions),
        *_counted("Checks failed most often", "check", failed_checks(graded), "example feedback"),
        *_counted(
            "Known mistakes named most often",
            "mistake",
            named_mistakes_by_students(graded),
            "named by (example)",
        ),
        *_duplicates(duplicates),
        *_times(graded),
        "</body>",
        "</html>",
    ]
    return "\n".join(lines) + "\n"
