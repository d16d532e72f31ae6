"""The terminal report: what stops grading, the summary and the per-function table first,
then what each failed check found, with the tables that explain it.

Fits an 80-column terminal: a long line wraps and every wrapped part keeps the line's
indent, so a student can still tell one check's feedback from the next. Colour only when
writing to one.
"""

from __future__ import annotations

from io import StringIO

from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table as RichTable
from rich.text import Text

from grader.report.json_report import problem_texts, summary
from grader.report.model import CheckResult, Report, Status, Table, TableRow, format_score

WIDTH = 80
# Feedback lines sit this far in from their check's line.
FEEDBACK_INDENT = 4
STYLES = {Status.OK: "green", Status.PARTIAL: "yellow"}  # every other status is a failure


def build_table(report: Report) -> RichTable:
    table = RichTable(expand=False)
    table.add_column("function", overflow="fold")
    table.add_column("points", justify="right", no_wrap=True)
    table.add_column("status", overflow="fold")
    for row in report.rows():
        style = STYLES.get(row.status, "red")
        table.add_row(_label(row), format_score(row.total), Text(row.label, style=style))
    table.add_section()
    table.add_row("total", format_score(report), f"{report.percent:.1f}%")
    return table


def _label(row: TableRow) -> Text:
    if row.problem is None:
        return Text(row.total.function)
    return Text(f"{row.problem.file} ({len(row.problem.functions)} functions)")


def data_table(table: Table, indent: int = 0) -> Group:
    """A table a check attached to its result (e.g. activation std per layer), under its
    title (a line of its own: a narrow table would wrap a long title into a column)."""
    rendered = RichTable()
    for column in table.columns:
        rendered.add_column(column, justify="right")
    for row in table.rows:
        rendered.add_row(*(str(cell) for cell in row))
    return Group(
        indented(table.title, indent, style="bold"),
        Padding(rendered, (0, 0, 0, indent), expand=False),
    )


def indented(line: str, indent: int = 0, style: str = "") -> Padding:
    """A line that wraps at the console's width, each wrapped part at the line's own indent
    (its leading spaces, plus `indent`); a word longer than the width is folded."""
    body = line.lstrip(" ")
    left = indent + len(line) - len(body)
    return Padding(Text(body, style=style, overflow="fold"), (0, 0, 0, left), expand=False)


def hanging(mark: Text, text: Text) -> RichTable:
    """`mark`, then `text` wrapping beside it: a hanging indent."""
    grid = RichTable.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(mark, text)
    return grid


def _problem(console: Console, text: str) -> None:
    first, *rest = text.splitlines()
    console.print(hanging(Text("!", style="bold red"), Text(first)))
    for line in rest:
        console.print(indented(line, 2))


def _failure(console: Console, result: CheckResult) -> None:
    heading = Text.assemble(
        (result.name, "bold"), f" ({format_score(result)}, {result.visibility})"
    )
    console.print(hanging(Text("✗", style="bold red"), heading))
    for line in result.feedback.splitlines():
        console.print(indented(line, FEEDBACK_INDENT))
    for table in result.attachments.tables:
        console.print(data_table(table, FEEDBACK_INDENT))


def write_text(report: Report, console: Console) -> None:
    if report.deadline_note:
        console.print(indented(report.deadline_note, style="bold red"))
    for text in problem_texts(report):
        _problem(console, text)
    console.print(indented(summary(report), style="bold"))
    console.print(build_table(report))
    for note in report.notes:
        console.print(hanging(Text("note:", style="yellow"), Text(note)))
    failed = report.failed()
    if failed:
        console.rule("what failed")
    for result in failed:
        _failure(console, result)
    passed = [result for result in report.results if result.passed and result.attachments]
    if any(result.attachments.tables for result in passed):
        console.rule("tables")
    for result in passed:
        for table in result.attachments.tables:
            console.print(data_table(table))
    console.print(indented(f"isolation: {report.isolation}", style="dim"))


def render_text(report: Report) -> str:
    """The report as plain text (no colour, no trailing spaces), for files and tests."""
    buffer = StringIO()
    write_text(report, Console(file=buffer, width=WIDTH, color_system=None, highlight=False))
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())
