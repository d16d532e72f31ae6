"""The terminal report: a per-function table, then what each failed check found.

Fits an 80-column terminal; colour only when writing to one.
"""

from __future__ import annotations

from io import StringIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable

from grader.report.json_report import problem_texts, summary
from grader.report.model import Report, Table, TableRow, format_score

WIDTH = 80


def build_table(report: Report) -> RichTable:
    table = RichTable(title=report.title, title_justify="left", expand=False)
    table.add_column("function", no_wrap=True)
    table.add_column("points", justify="right", no_wrap=True)
    table.add_column("status", no_wrap=True)
    for row in report.rows():
        table.add_row(_label(row), format_score(row.total), _status(row))
    table.add_section()
    table.add_row("total", format_score(report), f"{report.percent:.1f}%")
    return table


def _label(row: TableRow) -> str:
    if row.problem is None:
        return escape(row.total.function)
    return escape(f"{row.problem.file} ({len(row.problem.functions)} functions)")


def _status(row: TableRow) -> str:
    total = row.total
    if row.problem is not None:
        return "[red]not graded (see above)[/red]"
    if total.score >= total.max_score:
        return "[green]ok[/green]"
    if total.score == 0:
        return "[red]FAIL[/red]"
    return f"[yellow]partial ({total.checks_failed} failed)[/yellow]"


def data_table(table: Table) -> RichTable:
    """A table a check attached to its result (e.g. activation std per layer)."""
    rendered = RichTable(title=table.title, title_justify="left")
    for column in table.columns:
        rendered.add_column(column, justify="right")
    for row in table.rows:
        rendered.add_row(*(str(cell) for cell in row))
    return rendered


def write_text(report: Report, console: Console) -> None:
    if report.deadline_note:
        console.print(f"[bold red]{escape(report.deadline_note)}[/bold red]")
    for text in problem_texts(report):
        console.print(f"[bold red]![/bold red] {escape(text)}", overflow="fold", highlight=False)
    console.print(build_table(report))
    for note in report.notes:
        console.print(f"[yellow]note:[/yellow] {escape(note)}")
    failed = report.failed()
    if failed:
        console.rule("what failed")
    for result in failed:
        console.print(
            f"[bold red]✗[/bold red] [bold]{escape(result.name)}[/bold] "
            f"({format_score(result)}, {result.visibility})"
        )
        for line in result.feedback.splitlines():
            console.print(f"    {escape(line)}", overflow="fold", highlight=False)
    for result in report.attached():
        for table in result.attachments.tables:
            console.print(data_table(table))
    console.print(escape(summary(report)), highlight=False)
    console.print(f"[dim]isolation: {escape(report.isolation)}[/dim]", highlight=False)


def render_text(report: Report) -> str:
    """The report as plain text (no colour), for files and tests."""
    buffer = StringIO()
    write_text(report, Console(file=buffer, width=WIDTH, color_system=None, highlight=False))
    return buffer.getvalue()
