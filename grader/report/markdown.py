"""The report as Markdown: per-function table, feedback of failed checks, and the plots
checks attached (activation statistics), embedded as PNG data so the file stands alone."""

from __future__ import annotations

import base64
import io

from grader.report.json_report import summary
from grader.report.model import Report


def plot_png(plot: dict) -> bytes:
    """A deterministic PNG (no timestamp or version metadata) of a check's curves."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    figure, axes = plt.subplots(figsize=(6, 3.2), dpi=100)
    if band := plot.get("band"):
        axes.fill_between(plot["x"], band[0], band[1], alpha=0.25, label="reference band")
    for label, values in plot["series"].items():
        axes.plot(plot["x"], values, marker="o", label=label)
    if plot.get("log_y"):
        axes.set_yscale("log")
    axes.set_title(plot["title"], fontsize=9)
    axes.set_xlabel("layer")
    axes.legend(fontsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", "<br>")


def render_markdown(report: Report) -> str:
    lines = [f"# {report.title}", "", f"**{summary(report)}**", ""]
    lines += ["| function | points | status |", "|---|---:|---|"]
    for total in report.functions():
        status = "ok" if total.score >= total.max_score else f"{total.checks_failed} failed"
        lines.append(f"| `{total.function}` | {total.score:g}/{total.max_score:g} | {status} |")
    lines += ["", f"Isolation: {report.isolation}", ""]
    failed = [result for result in report.results if not result.passed]
    if failed:
        lines += ["## What failed", ""]
    for result in failed:
        lines += [f"### {_cell(result.name)} ({result.score:g}/{result.max_score:g})", ""]
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
        encoded = base64.b64encode(plot_png(result.data["plot"])).decode("ascii")
        lines += [f"![{_cell(result.data['plot']['title'])}](data:image/png;base64,{encoded})", ""]
    return "\n".join(lines) + "\n"
