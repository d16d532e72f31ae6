"""Format name -> renderer (text goes to the terminal; others to --out)."""

from __future__ import annotations

from collections.abc import Callable

from grader.report.html import render_html
from grader.report.json_report import render_json
from grader.report.junit import render_junit
from grader.report.markdown import render_markdown
from grader.report.model import Report
from grader.report.text import render_text

RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": render_text,
    "json": render_json,
    "md": render_markdown,
    "junit": render_junit,
    "html": render_html,
}
