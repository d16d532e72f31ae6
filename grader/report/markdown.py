"""The report as Markdown, for a repository or a CI job: what stops grading, the summary and
the function table with its total first, then one section per function with something to
show, each failed check's feedback followed by the tables and plots that explain it.

Plots are PNG files written beside the `.md` in a folder of its own and linked relatively:
GitHub strips `data:` images, so a report that embedded them would show none. Written to
stdout, a report names its plots instead."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

from grader.report.json_report import problem_texts, summary
from grader.report.mdsyntax import cell, fenced, table_lines
from grader.report.model import CheckResult, Plot, Report, Section, TableRow, format_score
from grader.report.plots import plot_png

NOT_WRITTEN = "write the report to a file with --out to get its plots as images"


def _row(row: TableRow) -> str:
    if row.problem is not None:
        listed = ", ".join(f"`{name}`" for name in row.problem.functions)
        name = f"{cell(row.problem.file)}: {listed}"
    else:
        name = f"`{row.total.function}`"
    return f"| {name} | {format_score(row.total)} | {row.label} |"


def _check(result: CheckResult, images: Mapping[Plot, str] | None) -> list[str]:
    mark = "✓" if result.passed else "✗"
    points = f"({format_score(result)}, {result.visibility})"
    lines = [f"**{mark} {cell(result.description)}** {points}", ""]
    if not result.passed and result.feedback:
        lines += [*fenced(result.feedback), ""]
    for table in result.attachments.tables:
        lines += [*table_lines(table), ""]
    for plot in result.attachments.plots:
        if images is None:
            lines += [f"*Plot: {cell(plot.title)} ({NOT_WRITTEN}).*", ""]
        else:
            lines += [f"![{cell(plot.title)}]({quote(images[plot])})", ""]
    return lines


def _section(section: Section, images: Mapping[Plot, str] | None) -> list[str]:
    total = section.total
    lines = [f"## `{total.function}`: {format_score(total)}, {section.label}", ""]
    for result in section.shown:
        lines += _check(result, images)
    return lines


def render_markdown(report: Report, images: Mapping[Plot, str] | None = None) -> str:
    """The report as Markdown; `images` maps each plot to the relative path of its PNG
    (`write_markdown` writes them), and without it the plots are named, not shown."""
    lines = [f"# {report.title}", ""]
    for text in problem_texts(report):
        lines += [*fenced(text), ""]
    lines += [f"**{summary(report)}**", ""]
    lines += ["| function | points | status |", "|---|---:|---|"]
    lines += [_row(row) for row in report.rows()]
    lines += [f"| **total** | **{format_score(report)}** | **{report.percent:.1f}%** |", ""]
    lines += [f"Isolation: {report.isolation}", ""]
    if report.notes:
        lines += [*(f"- {note}" for note in report.notes), ""]
    for section in report.sections():
        if section.shown:
            lines += _section(section, images)
    return "\n".join(lines).rstrip("\n") + "\n"


def image_folder(target: Path) -> Path:
    """Where the plots of the Markdown report `target` go: a folder named after it."""
    return target.with_name(f"{target.stem}_plots")


def markdown_files(report: Report, name: str) -> dict[str, bytes]:
    """The report as the file `name` and its plots as PNG files in `image_folder(name)`,
    by path relative to the folder they go in."""
    folder = image_folder(Path(name))
    files: dict[str, bytes] = {}
    images: dict[Plot, str] = {}
    for result in report.results:
        for plot in result.attachments.plots:
            if plot not in images:
                slug = re.sub(r"[^\w.-]", "_", result.function)
                images[plot] = f"{folder.name}/{len(images) + 1:02d}-{slug}.png"
                files[images[plot]] = plot_png(plot)
    files[name] = render_markdown(report, images).encode("utf-8")
    return files


def write_markdown(report: Report, target: Path) -> None:
    """The report at `target`, its plots as PNG files in `image_folder(target)`."""
    for relative, data in markdown_files(report, target.name).items():
        path = target.parent / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
