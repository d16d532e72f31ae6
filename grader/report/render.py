"""Format name -> renderer (text goes to the terminal; others to --out)."""

from __future__ import annotations

from collections.abc import Callable

from grader.report.json_report import render_json
from grader.report.markdown import render_markdown
from grader.report.model import Report
from grader.report.text import render_text

RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": render_text,
    "json": render_json,
    "md": render_markdown,
}
