"""Reports worth reading: each assignment's HTML page fits a 1280 px window in a real browser
with every section open, the summary comes first and links to the sections, plots sit
beside the failures they explain; the Markdown report links its plots as files beside it;
the terminal report fits 80 columns; results.json marks Markdown outputs.

The per-assignment pages are built from each assignment's own spec (its functions, check
descriptions and points) with the tables and plots the real checks attach, so the page
holds the real names, titles and widths without grading (seconds, not minutes); one real
grading through the CLI checks the files written."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from browser import WINDOW_WIDTH, chromium, measure
from conftest import ROOT
from made import made_report

from grader.assignments import assignment_ids, load_assignment
from grader.checks import experiments, timing, training
from grader.report.html import anchor, render_html
from grader.report.markdown import render_markdown, write_markdown
from grader.report.model import Attachments, CheckResult, Report
from grader.report.text import WIDTH, render_text

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# What a failed check says, with the long unbroken line a student's print can produce.
FEEDBACK = (
    "On input 1: x=array of shape (5, 4), y=array([0, 2, 2, 2, 1])\n"
    "loss: relative error 2.65e-01 (allowed 1e-06); first differing element loss: "
    "expected 2.77623, got 3.77623\n"
    "  the first 64 KiB of what your code printed: " + "0123456789abcdef" * 20
)


def attached(check, function: str) -> Attachments:
    """The tables and plots the real check attaches, from made-up measurements."""
    if check.kind == "activation_statistics":
        setting = experiments.experiment(check.experiment)
        low, high = experiments.band(check.experiment)
        title = f"{setting['init']} + {setting['activation']}: activation std per layer"
        return experiments.attachments(title, 0.7 * low, (low, high), setting["mean_std"])
    if check.kind == "runs_as_fast_as_reference":
        title = f"{check.what}: CPU time per round of 10 on CPU (no CUDA device in use)"
        yours, theirs = [0.031, 0.029, 0.034], [0.011, 0.012, 0.010]
        return timing.attachments(title, yours, theirs, 2.9, 0.08)
    if check.kind == "network_overfits":
        losses = list(np.geomspace(2.3, 0.005, 12))
        ratios = [(1e-3,) * len(check.recipe.net.weights)] * 5
        yours = training.TrainingRun(losses=[2.3] * 30, ratios=ratios)
        return training.diagnostics(check.recipe, yours, training.TrainingRun(losses=losses))
    return Attachments()


def spec_report(assignment: str) -> Report:
    """Every check of the assignment, every third one failed with FEEDBACK."""
    (spec,) = load_assignment(assignment)
    results = []
    for number, function in enumerate(spec.functions):
        for index, check in enumerate(function.checks):
            failed = (number + index) % 3 == 0
            results.append(
                CheckResult(
                    function=function.name,
                    description=check.describe(function),
                    kind=check.kind,
                    score=0.0 if failed else check.points,
                    max_score=check.points,
                    passed=not failed,
                    feedback=FEEDBACK if failed else "1 inputs checked",
                    visibility=check.visibility,
                    attachments=attached(check, function.name),
                )
            )
    return made_report(assignment, spec.title, tuple(results))


@pytest.mark.parametrize("assignment", assignment_ids())
def test_every_assignment_page_fits_the_window(assignment: str, tmp_path: Path) -> None:
    report = spec_report(assignment)
    page = tmp_path / f"{assignment}.html"
    page.write_text(render_html(report), encoding="utf-8")
    shot = tmp_path / f"{assignment}.png"
    width, messages = measure(chromium(), page, shot)
    assert width <= WINDOW_WIDTH
    assert messages == []  # no console error, every plot decoded
    from matplotlib import pyplot as plt

    pixels = plt.imread(shot)
    assert pixels.shape[1] == WINDOW_WIDTH and pixels.std() > 0.01  # something was drawn


# --- one real grading, through the CLI ------------------------------------------------

HE_NORMAL_WITHOUT_FACTOR_2 = """
import numpy as np


def he_normal(shape, rng):
    fan_in, fan_out = shape
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(1.0 / fan_in)
"""


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wrong he_normal graded alone, every report format written to one folder."""
    folder = tmp_path_factory.mktemp("he_normal")
    (folder / "initializers.py").write_text(HE_NORMAL_WITHOUT_FACTOR_2)
    out = folder / "reports"
    formats = [arg for fmt in ("text", "html", "md", "json") for arg in ("--format", fmt)]
    command = [sys.executable, "-m", "grader", "--course", str(ROOT), "grade", "initializers"]
    command += [str(folder / "initializers.py"), "--only", "he_normal", *formats, "--out"]
    done = subprocess.run(
        [*command, str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": str(WIDTH)},
    )
    assert done.returncode == 0, done.stderr
    (out / "report.txt").write_text(done.stdout)  # the text report, as the terminal shows it
    return out


def test_markdown_links_its_plots_as_files_beside_it(written: Path) -> None:
    markdown = (written / "report.md").read_text()
    assert "data:" not in markdown
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", markdown)
    assert links == ["report_plots/01-he_normal.png"]
    assert (written / links[0]).read_bytes().startswith(PNG_SIGNATURE)
    assert "| **total** | **" in markdown
    failure = markdown.index("✗ activation statistics with relu")
    assert failure < markdown.index("| layer | your std |") < markdown.index(links[0])


def test_html_summary_links_to_an_open_section_with_the_plot_under_its_failure(
    written: Path,
) -> None:
    page = (written / "report.html").read_text()
    summary, sections = page.split("<h2>By function</h2>")
    assert f'<a href="#{anchor("he_normal")}"><code>he_normal</code></a>' in summary
    assert "<tfoot><tr><th>total</th>" in summary and "<img" not in summary
    assert f'<details class="function" id="{anchor("he_normal")}" open>' in sections
    check = sections.index("✗ activation statistics with relu")
    plot = sections.index('<img src="data:image/png;base64,')
    assert check < sections.index("<pre>", check) < plot < sections.index("</details>")


def test_the_terminal_report_starts_with_the_summary_and_fits_80_columns(
    written: Path,
) -> None:
    text = (written / "report.txt").read_text()
    assert max(len(line) for line in text.splitlines()) <= WIDTH
    summary = text.index("Initializers: distributions and activation statistics: 1.05/4")
    assert summary < text.index("┃ function") < text.index("what failed")


def test_results_json_marks_markdown_where_a_test_has_a_table(written: Path) -> None:
    tests = {
        test["name"]: test for test in json.loads((written / "report.json").read_text())["tests"]
    }
    activations = tests["he_normal: activation statistics with relu stay in the reference band"]
    assert activations["output_format"] == "md"
    assert activations["output"].startswith("```\nhe_normal + relu: activation std per layer:")
    assert (
        "| layer | your std | reference band |\n|---:|---:|---:|\n| 1 | " in activations["output"]
    )
    passed = [test for test in tests.values() if test["status"] == "passed"]
    assert passed and all(test["output_format"] == "text" for test in passed)


def test_markdown_plots_are_the_same_bytes_every_time(tmp_path: Path) -> None:
    whole = spec_report("initializers")
    report = replace(whole, results=tuple(r for r in whole.results if r.function == "he_normal"))
    first, second = tmp_path / "a" / "report.md", tmp_path / "b" / "report.md"
    for target in (first, second):
        target.parent.mkdir()
        write_markdown(report, target)
    assert first.read_text() == second.read_text()
    images = sorted(path.name for path in (first.parent / "report_plots").iterdir())
    assert images and images == sorted(p.name for p in (second.parent / "report_plots").iterdir())
    for name in images:
        assert (first.parent / "report_plots" / name).read_bytes() == (
            second.parent / "report_plots" / name
        ).read_bytes()


# --- the terminal report on its own ----------------------------------------------------


def test_wrapped_feedback_keeps_its_indent() -> None:
    text = render_text(spec_report("layers"))
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= WIDTH
    start = next(i for i, line in enumerate(lines) if line.startswith("✗ "))
    feedback = lines[start + 1 : start + 8]
    assert all(line.startswith("    ") for line in feedback), feedback
    assert "    expected 2.77623, got 3.77623" in lines  # the wrapped part, at the indent
    assert not any(line.endswith(" ") for line in lines)


def test_markdown_to_stdout_names_its_plots() -> None:
    markdown = render_markdown(spec_report("initializers"))
    assert "data:" not in markdown and "![" not in markdown
    assert "*Plot: he_normal + relu: activation std per layer (write the report to a file" in (
        markdown
    )
