"""Markdown building blocks shared by the Markdown report and results.json's test outputs
(which Gradescope renders as Markdown), so both quote feedback and draw tables alike."""

from __future__ import annotations

import re

from grader.report.model import Table


def cell(text: object) -> str:
    """Text fit for a table cell or a heading: its pipes escaped, its line breaks <br>."""
    return str(text).replace("|", "\\|").replace("\n", "<br>")


def table_lines(table: Table) -> list[str]:
    """A check's table under its title, numbers right-aligned."""
    return [
        f"**{cell(table.title)}**",
        "",
        "| " + " | ".join(cell(column) for column in table.columns) + " |",
        "|" + "---:|" * len(table.columns),
        *("| " + " | ".join(cell(value) for value in row) + " |" for row in table.rows),
    ]


def fenced(text: str) -> list[str]:
    """Text shown as it is, in a code block whose fence is longer than any run of backticks
    inside it, so what student code printed cannot close the block early."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence, text, fence]


def quoted_text(markdown: str) -> str:
    """The text `fenced` quotes at the start of `markdown` (a results.json test's `md`
    output: the feedback, then its tables), or `markdown` itself when it starts otherwise."""
    fence, _, rest = markdown.partition("\n")
    if not re.fullmatch("```+", fence):
        return markdown
    return rest.partition(f"\n{fence}")[0]
