"""Plots that checks attach to their results, drawn once for every report format that
embeds them (Markdown, HTML), so the formats cannot drift apart.

The student's curves are solid and drawn last, the reference's dashed beneath them in
another colour: where the two agree, the student's line is the one seen, and the legend
says the reference lies under it."""

from __future__ import annotations

import base64
import io
import itertools
import textwrap

from grader.report.model import Plot

# The student's curves: one colour, solid, with markers, on top.
YOURS = {"color": "#1f5fa8", "linewidth": 2, "marker": "o", "markersize": 4, "zorder": 3}
# The reference's curves: dashed, beneath, each its own colour; its band in the first.
REFERENCE_COLOURS = ("#e07000", "#6a3d9a", "#33a02c")
REFERENCE = {"linestyle": "--", "linewidth": 1.6, "zorder": 2}
BAND = {"color": REFERENCE_COLOURS[0], "alpha": 0.18, "linewidth": 0, "zorder": 1}
# Characters per line of a title: a long one is wrapped, never clipped at the figure's edge.
TITLE_WIDTH = 64
SIZE_INCHES = (5.6, 3.4)
DPI = 100


def plot_png(plot: Plot) -> bytes:
    """A deterministic PNG (no timestamp or version metadata) of a check's curves."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.ticker import MaxNLocator

    figure, axes = plt.subplots(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    beneath, on_top = [], []
    if plot.band is not None:
        low, high = plot.band.low, plot.band.high
        beneath.append(axes.fill_between(plot.x, low, high, label="reference band", **BAND))
    references = [series for series in plot.series if series.reference]
    for series, colour in zip(references, itertools.cycle(REFERENCE_COLOURS)):
        beneath += axes.plot(plot.x, series.values, color=colour, label=series.label, **REFERENCE)
    for series in plot.series:
        if not series.reference:
            on_top += axes.plot(plot.x, series.values, label=series.label, **YOURS)
    if plot.log_y:
        axes.set_yscale("log")
    if all(float(x).is_integer() for x in plot.x):  # layers, steps, rounds
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title("\n".join(textwrap.wrap(plot.title, TITLE_WIDTH)), fontsize=9)
    axes.set_xlabel(plot.x_label)
    axes.set_ylabel(plot.y_label)
    axes.legend(handles=[*on_top, *reversed(beneath)], fontsize=8)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def plot_data_uri(plot: Plot) -> str:
    """The plot as a data: URI, so an HTML page stands alone (no image files beside it)."""
    return "data:image/png;base64," + base64.b64encode(plot_png(plot)).decode("ascii")
