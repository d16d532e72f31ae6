"""Plots that checks attach to their results, drawn once for every report format that
embeds them (Markdown, HTML), so the formats cannot drift apart."""

from __future__ import annotations

import base64
import io

from grader.report.model import Plot


def plot_png(plot: Plot) -> bytes:
    """A deterministic PNG (no timestamp or version metadata) of a check's curves."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    figure, axes = plt.subplots(figsize=(6, 3.2), dpi=100)
    if plot.band is not None:
        axes.fill_between(plot.x, plot.band.low, plot.band.high, alpha=0.25, label="reference band")
    for series in plot.series:
        axes.plot(plot.x, series.values, marker="o", label=series.label)
    if plot.log_y:
        axes.set_yscale("log")
    axes.set_title(plot.title, fontsize=9)
    axes.set_xlabel(plot.x_label)
    axes.legend(fontsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def plot_data_uri(plot: Plot) -> str:
    """The plot as a data: URI, so a report file stands alone (no image files beside it)."""
    return "data:image/png;base64," + base64.b64encode(plot_png(plot)).decode("ascii")
