"""The report as Markdown: per-function table, feedback of failed checks, and the plots
checks attached (activation statistics), embedded as PNG data so the file stands alone."""

from __future__ import annotations

from grader.report.json_report import summary
from grader.report.model import Report, format_score
from grader.report.plots import plot_data_uri


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", "<br>")


def render_markdown(report: Report) -> str:
    lines = [f"# {report.title}", "", f"**{summary(report)}**", ""]
    lines += ["| function | points | status |", "|---|---:|---|"]
    for total in report.functions():
        status = "ok" if total.score >= total.max_score else f"{total.checks_failed} failed"
        lines.append(f"| `{total.function}` | {format_score(total)} | {status} |")
    lines += ["", f"Isolation: {report.isolation}", ""]
    failed = [result for result in report.results if not result.passed]
    if failed:
        lines += ["## What failed", ""]
    for result in failed:
        lines += [f"### {_cell(result.name)} ({format_score(result)})", ""]
        lines += ["```", result.feedback, "```", ""]
    figures = [result for result in report.results if "plot" in result.data]
    if figures:
        lines += ["## Experiments", ""]
    for result in figures:
        table = result.data.get("table")
        lines += [f"### {_cell(result.name)}", ""]
        if table:
            lines.append("| " + " | ".join(table["columns"]) + " |")
            lines.append("|" + "---:|" * len(table["columns"]))
            lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table["rows"]]
            lines.append("")
        uri = plot_data_uri(result.data["plot"])
        lines += [f"![{_cell(result.data['plot']['title'])}]({uri})", ""]
    return "\n".join(lines) + "\n"
