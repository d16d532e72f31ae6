"""Plots that checks attach to their results, drawn once for every report format that
embeds them (Markdown, HTML), so the formats cannot drift apart."""

from __future__ import annotations

import base64
import io


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
    axes.set_xlabel(plot.get("x_label", ""))
    axes.legend(fontsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def plot_data_uri(plot: dict) -> str:
    """The plot as a data: URI, so a report file stands alone (no image files beside it)."""
    return "data:image/png;base64," + base64.b64encode(plot_png(plot)).decode("ascii")
