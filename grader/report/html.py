"""The report as one self-contained HTML page: what a TA opens from a CI artifact or an
e-mail, so it carries its style inline and its plots as data: PNG, and loads nothing.

Feedback quotes what student code printed; every string from the report is escaped, so a
submission that prints markup only ever shows up as text.
"""

from __future__ import annotations

from html import escape

from grader.report.json_report import problem_texts, summary
from grader.report.junit import printable
from grader.report.model import Plot, Report, Table, TableRow, format_score
from grader.report.plots import plot_data_uri

# Feedback longer than this is folded into a <details> so the page stays scannable.
FOLD_LINES = 40

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: bold; padding: 0.2em 0; white-space: nowrap; }
pre { background: #f6f6f6; padding: 0.6em; overflow-x: auto; white-space: pre-wrap; }
.ok { color: #17692e; } .partial { color: #8a5a00; } .fail { color: #b00020; }
.summary { font-weight: bold; } .meta { color: #555; }
pre.problem { background: #fdecea; border-left: 4px solid #b00020; }
"""


def _text(value: object) -> str:
    return escape(printable(value))


def _status(row: TableRow) -> str:
    total = row.total
    if row.problem is not None:
        return '<td class="fail">not graded</td>'
    if total.score >= total.max_score:
        return '<td class="ok">ok</td>'
    if total.score == 0:
        return '<td class="fail">FAIL</td>'
    return f'<td class="partial">partial ({total.checks_failed} failed)</td>'


def _functions_table(report: Report) -> list[str]:
    lines = [
        '<table class="functions">',
        "<thead><tr><th>function</th><th>points</th><th>status</th></tr></thead>",
        "<tbody>",
    ]
    for row in report.rows():
        lines.append(
            f"<tr><td>{_label(row)}</td>"
            f'<td class="num">{format_score(row.total)}</td>{_status(row)}</tr>'
        )
    lines += [
        "</tbody>",
        f'<tfoot><tr><th>total</th><td class="num">{format_score(report)}</td>'
        f"<td>{report.percent:.1f}%</td></tr></tfoot>",
        "</table>",
    ]
    return lines


def _label(row: TableRow) -> str:
    if row.problem is None:
        return f"<code>{_text(row.total.function)}</code>"
    listed = ", ".join(f"<code>{_text(name)}</code>" for name in row.problem.functions)
    return f"{_text(row.problem.file)}: {listed}"


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
    lines = ['<table class="data">', f"<caption>{_text(table.title)}</caption>"]
    lines.append(f"<tr>{header}</tr>")
    for row in table.rows:
        cells = "".join(f'<td class="num">{_text(cell)}</td>' for cell in row)
        lines.append(f"<tr>{cells}</tr>")
    lines.append("</table>")
    return lines


def _image(plot: Plot) -> str:
    return f'<img src="{plot_data_uri(plot)}" alt="{_text(plot.title)}">'


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
    failed = report.failed()
    if failed:
        lines.append("<h2>What failed</h2>")
    for result in failed:
        lines += [
            f'<h3 class="fail">{_text(result.name)} ({format_score(result)})</h3>',
            _feedback(result.feedback),
        ]
    attached = report.attached()
    if attached:
        lines.append("<h2>Tables and plots</h2>")
    for result in attached:
        lines.append(f"<h3>{_text(result.name)}</h3>")
        for table in result.attachments.tables:
            lines += _data_table(table)
        lines += [_image(plot) for plot in result.attachments.plots]
    lines += ["</body>", "</html>"]
    return "\n".join(lines) + "\n"
