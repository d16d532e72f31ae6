"""Format name -> renderer (text goes to the terminal; others to --out)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from grader.report.html import render_html
from grader.report.json_report import render_json
from grader.report.junit import render_junit
from grader.report.markdown import render_markdown, write_markdown
from grader.report.model import Report
from grader.report.text import render_text

RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": render_text,
    "json": render_json,
    "md": render_markdown,
    "junit": render_junit,
    "html": render_html,
}
# Formats whose file links others written beside it (Markdown's plot images).
WRITERS: dict[str, Callable[[Report, Path], None]] = {"md": write_markdown}


def write_report(report: Report, fmt: str, target: Path) -> None:
    """The report in format `fmt` at `target`, with the files it links to beside it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt in WRITERS:
        WRITERS[fmt](report, target)
    else:
        target.write_text(RENDERERS[fmt](report), encoding="utf-8")
