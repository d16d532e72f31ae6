"""The report as Markdown: per-function table, feedback of failed checks, and the tables and
plots checks attached (activation statistics), plots embedded as PNG data so the file stands
alone."""

from __future__ import annotations

from grader.report.json_report import problem_texts, summary
from grader.report.model import Report, Table, TableRow, format_score
from grader.report.plots import plot_data_uri


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", "<br>")


def _table(table: Table) -> list[str]:
    return [
        "| " + " | ".join(_cell(column) for column in table.columns) + " |",
        "|" + "---:|" * len(table.columns),
        *("| " + " | ".join(_cell(cell) for cell in row) + " |" for row in table.rows),
    ]


def _row(row: TableRow) -> str:
    total = row.total
    if row.problem is not None:
        listed = ", ".join(f"`{name}`" for name in row.problem.functions)
        return f"| {_cell(row.problem.file)}: {listed} | {format_score(total)} | not graded |"
    status = "ok" if total.score >= total.max_score else f"{total.checks_failed} failed"
    return f"| `{total.function}` | {format_score(total)} | {status} |"


def render_markdown(report: Report) -> str:
    lines = [f"# {report.title}", ""]
    for text in problem_texts(report):
        lines += ["```", text, "```", ""]
    lines += [f"**{summary(report)}**", ""]
    lines += ["| function | points | status |", "|---|---:|---|"]
    lines += [_row(row) for row in report.rows()]
    lines += ["", f"Isolation: {report.isolation}", ""]
    failed = report.failed()
    if failed:
        lines += ["## What failed", ""]
    for result in failed:
        lines += [f"### {_cell(result.name)} ({format_score(result)})", ""]
        lines += ["```", result.feedback, "```", ""]
    attached = report.attached()
    if attached:
        lines += ["## Experiments", ""]
    for result in attached:
        lines += [f"### {_cell(result.name)}", ""]
        for table in result.attachments.tables:
            lines += [*_table(table), ""]
        for plot in result.attachments.plots:
            lines += [f"![{_cell(plot.title)}]({plot_data_uri(plot)})", ""]
    return "\n".join(lines) + "\n"
