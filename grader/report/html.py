"""The report as one self-contained HTML page: what a TA opens from a CI artifact or an
e-mail, so it carries its style inline and its plots as data: PNG, and loads nothing.

The summary and the function table come first, each row linking to its function's section;
a section is a <details> open when the function has failures to read, and shows each
failed check's feedback with the tables and plots that explain it right below. Nothing is
wider than the window: feedback wraps, and a wide table scrolls inside its own box.

Feedback quotes what student code printed; every string from the report is escaped, so a
submission that prints markup only ever shows up as text.
"""

from __future__ import annotations

import re
from html import escape

from grader.report.json_report import problem_texts, summary
from grader.report.junit import printable
from grader.report.model import (
    CheckResult,
    Plot,
    Report,
    Section,
    Status,
    Table,
    TableRow,
    format_score,
)
from grader.report.plots import plot_data_uri

# Feedback longer than this is folded into a <details> so the page stays scannable.
FOLD_LINES = 40

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; padding: 0 1em; max-width: 74em;
  color: #222; overflow-wrap: anywhere; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
caption { text-align: left; font-weight: bold; padding: 0.2em 0; }
pre { background: #f6f6f6; padding: 0.6em; margin: 0.3em 0 0.8em; white-space: pre-wrap; }
img { max-width: 100%; height: auto; }
a { color: inherit; }
.ok { color: #17692e; } .partial { color: #8a5a00; } .fail { color: #b00020; }
.summary { font-weight: bold; } .meta { color: #555; }
pre.problem { background: #fdecea; border-left: 4px solid #b00020; }
details.function { border-top: 1px solid #e4e4e4; padding: 0.15em 0.2em; }
details.function > summary { cursor: pointer; padding: 0.1em 0; }
details.function[open] { padding-bottom: 0.6em; }
details.function[open] > summary { margin-bottom: 0.3em; font-weight: bold; }
details.function > :not(summary) { margin-left: 1.1em; }
.check { margin: 0.2em 0 0.6em; }
.check > p { margin: 0.2em 0; }
ul.passed { margin: 0.2em 0 0.6em; padding-left: 1.2em; color: #555; }
.attached { display: flex; flex-wrap: wrap; gap: 0 1.5em; align-items: flex-start; }
"""

CLASSES = {Status.OK: "ok", Status.PARTIAL: "partial"}  # every other status is a failure


def _text(value: object) -> str:
    return escape(printable(value))


def anchor(function: str) -> str:
    """The id of a function's section: the table links to it."""
    return "f-" + re.sub(r"[^\w.-]", "-", function)


def _status(row: TableRow | Section) -> str:
    return f'<span class="{CLASSES.get(row.status, "fail")}">{_text(row.label)}</span>'


def _sections(report: Report) -> list[Section]:
    """The functions given a section: all but those whose checks did not run (a stub, a
    module that failed to import), which the report's top and their row account for."""
    return [section for section in report.sections() if not section.status.accounted]


def _name(function: str, linked: set[str]) -> str:
    code = f"<code>{_text(function)}</code>"
    return f'<a href="#{anchor(function)}">{code}</a>' if function in linked else code


def _label(row: TableRow, linked: set[str]) -> str:
    if row.problem is None:
        return _name(row.total.function, linked)
    listed = ", ".join(_name(name, linked) for name in row.problem.functions)
    return f"{_text(row.problem.file)}: {listed}"


def _functions_table(report: Report) -> list[str]:
    linked = {section.total.function for section in _sections(report)}
    lines = [
        '<div class="scroll"><table class="functions">',
        "<thead><tr><th>function</th><th>points</th><th>status</th></tr></thead>",
        "<tbody>",
    ]
    for row in report.rows():
        lines.append(
            f"<tr><td>{_label(row, linked)}</td>"
            f'<td class="num">{format_score(row.total)}</td><td>{_status(row)}</td></tr>'
        )
    lines += [
        "</tbody>",
        f'<tfoot><tr><th>total</th><td class="num">{format_score(report)}</td>'
        f"<td>{report.percent:.1f}%</td></tr></tfoot>",
        "</table></div>",
    ]
    return lines


def _feedback(text: str) -> str:
    if not text:
        return '<p class="meta">(no feedback)</p>'
    block = f"<pre>{_text(text)}</pre>"
    lines = text.count("\n") + 1
    if lines <= FOLD_LINES:
        return block
    return f"<details><summary>{lines} lines of feedback</summary>{block}</details>"


def _data_table(table: Table) -> list[str]:
    header = "".join(f"<th>{_text(column)}</th>" for column in table.columns)
    lines = ['<div class="scroll"><table class="data">', f"<caption>{_text(table.title)}</caption>"]
    lines.append(f"<tr>{header}</tr>")
    for row in table.rows:
        cells = "".join(f'<td class="num">{_text(cell)}</td>' for cell in row)
        lines.append(f"<tr>{cells}</tr>")
    lines.append("</table></div>")
    return lines


def _image(plot: Plot) -> str:
    return f'<img src="{plot_data_uri(plot)}" alt="{_text(plot.title)}">'


def _check(result: CheckResult) -> list[str]:
    """A check shown one by one: its verdict, its feedback when it failed, then its tables
    and plots side by side (one below the other when the window is narrow)."""
    mark, kind = ("✓", "ok") if result.passed else ("✗", "fail")
    points = f"{format_score(result)}, {_text(result.visibility)}"
    lines = [
        f'<div class="check"><p class="{kind}"><b>{mark} {_text(result.description)}</b> '
        f"({points})</p>"
    ]
    if not result.passed:
        lines.append(_feedback(result.feedback))
    if result.attachments:
        lines.append('<div class="attached">')
        for table in result.attachments.tables:
            lines += _data_table(table)
        lines += [_image(plot) for plot in result.attachments.plots]
        lines.append("</div>")
    lines.append("</div>")
    return lines


def _section(section: Section) -> list[str]:
    """A function's checks: those shown one by one, then the passed ones in a list."""
    total = section.total
    opened = " open" if any(not result.passed for result in section.shown) else ""
    lines = [
        f'<details class="function" id="{anchor(total.function)}"{opened}>',
        f"<summary><code>{_text(total.function)}</code> {format_score(total)} "
        f"{_status(section)}</summary>",
    ]
    for result in section.shown:
        lines += _check(result)
    rest = [result for result in section.results if result not in section.shown]
    if rest:
        lines.append('<ul class="passed">')
        for result in rest:
            lines.append(f"<li>✓ {_text(result.description)} ({format_score(result)})</li>")
        lines.append("</ul>")
    lines.append("</details>")
    return lines


def render_html(report: Report) -> str:
    """The report as a standalone HTML page (UTF-8, no scripts, no external resources)."""
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(report.title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{_text(report.title)}</h1>",
        *(f'<pre class="problem">{_text(text)}</pre>' for text in problem_texts(report)),
        f'<p class="summary">{_text(summary(report))}</p>',
        *_functions_table(report),
        f'<p class="meta">Isolation: {_text(report.isolation)}</p>',
    ]
    if report.notes:
        lines += ["<ul>", *(f"<li>{_text(note)}</li>" for note in report.notes), "</ul>"]
    sections = _sections(report)
    if sections:
        lines.append("<h2>By function</h2>")
    for section in sections:
        lines += _section(section)
    lines += ["</body>", "</html>"]
    return "\n".join(lines) + "\n"
