"""The JUnit and HTML reports, from hand-built reports (no grading): well-formed for the
tools that read them whatever student code printed, deterministic, and, for HTML, a page
a real browser renders without loading anything or logging a console message."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from html import escape
from pathlib import Path

import pytest
from browser import WINDOW_WIDTH, browse, chromium, console_messages, measure
from made import made_report

from grader.report.html import render_html
from grader.report.json_report import HIDDEN_NOTE, stable_results, to_results
from grader.report.junit import render_junit
from grader.report.markdown import render_markdown
from grader.report.model import (
    Attachments,
    Band,
    CheckResult,
    ModuleProblem,
    Plot,
    Report,
    Series,
    Table,
)
from grader.report.render import RENDERERS, write_report
from grader.report.text import render_text

HOSTILE = "you printed: <script>alert(1)</script> & more\x00 then \x1b[31mred\x1b[0m\nsecond line"
# What XML 1.0 forbids (and HTML calls a parse error): C0 controls but tab, LF and CR.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
IMG_PREFIX = '<img src="data:image/png;base64,'


def check(function: str, description: str, score: float, max_score: float, **extra) -> CheckResult:
    return CheckResult(
        function=function,
        description=description,
        kind=extra.pop("kind", "matches_reference"),
        score=score,
        max_score=max_score,
        passed=extra.pop("passed", score >= max_score),
        feedback=extra.pop("feedback", ""),
        visibility=extra.pop("visibility", "visible"),
        duration=extra.pop("duration", 0.25),
        attachments=extra.pop("attachments", Attachments()),
    )


ACTIVATIONS = Attachments(
    tables=(
        Table(
            "he_normal + relu: activation std per layer",
            ("layer", "your std", "reference band"),
            ((1, "0.82", "0.8 – 0.84"), (2, "0.81", "0.79 – 0.85"), (3, "0.8", "0.78 – 0.86")),
        ),
    ),
    plots=(
        Plot(
            "he_normal + relu: activation std per layer",
            "layer",
            (1, 2, 3),
            (Series("yours", (0.82, 0.81, 0.8)), Series("reference mean", (0.82, 0.82, 0.82))),
            band=Band((0.8, 0.79, 0.78), (0.84, 0.85, 0.86)),
        ),
    ),
)
LOSS_CURVE = Attachments(
    plots=(
        Plot(
            "training loss with your adam",
            "step",
            (1, 2, 3, 4),
            (Series("yours", (2.3, 1.1, 0.2, None)), Series("reference", (2.3, 0.9, 0.1, 0.005))),
            log_y=True,
        ),
    )
)
SANITY = Attachments(tables=(Table("loss by regularization", ("reg", "loss"), ((0, 2.3),)),))
PLOTS = 2


@pytest.fixture(scope="module")
def report() -> Report:
    results = (
        check("relu_forward", "returns well-formed values", 1, 1),
        check("relu_forward", "matches the reference", 2, 2, visibility="hidden"),
        check("softmax_loss", "matches the reference", 0, 3, feedback=HOSTILE, duration=1.5),
        check("softmax_loss", "gradients match", 1, 2, kind="gradient", feedback="half right"),
        check(
            "he_normal", "activation statistics", 2, 2, kind="experiment", attachments=ACTIVATIONS
        ),
        check(
            "network",
            "overfits 20 images",
            0,
            4,
            kind="overfit",
            feedback="",
            attachments=LOSS_CURVE,
        ),
        check("network", "loss rises with regularization", 1, 1, attachments=SANITY),
    )
    return made_report("layers", "Layers & <friends>", results)


def test_both_formats_are_registered() -> None:
    assert RENDERERS["junit"] is render_junit
    assert RENDERERS["html"] is render_html


# --- what a student sees before the deadline ------------------------------------------


def _visible_part(report: Report, hidden_not_run: int) -> Report:
    """The report a public-only grading (`grader check`) would give."""
    visible = tuple(result for result in report.results if result.visibility == "visible")
    return replace(report, results=visible, hidden_not_run=hidden_not_run)


def _words(text: str) -> str:
    """The text with line breaks (the terminal report wraps at 80 columns) as spaces."""
    return " ".join(text.split())


def test_results_output_shows_the_visible_points_only(report: Report) -> None:
    results = to_results(report)
    assert results["output"] == (
        f"Layers & <friends>. Visible checks: 5/13 ({HIDDEN_NOTE}). "
        "Functions losing points: softmax_loss, network"
    )
    assert results["score"] == report.score == 7
    hidden = [test["name"] for test in results["tests"] if test["visibility"] == "hidden"]
    assert hidden == ["relu_forward: matches the reference"]


def test_results_output_does_not_name_a_function_that_lost_hidden_points(report: Report) -> None:
    lost = replace(report.results[1], score=0, passed=False)
    results = to_results(replace(report, results=(report.results[0], lost, *report.results[2:])))
    assert "Visible checks: 5/13" in results["output"]
    assert "relu_forward" not in results["output"]
    assert results["score"] == 5


def test_the_instructor_text_report_shows_hidden_points(report: Report) -> None:
    text = _words(render_text(report))
    assert "Layers & <friends>: 7/15 (46.7%)" in text
    assert "Visible checks" not in text


def test_a_public_only_report_says_hidden_checks_are_to_come(report: Report) -> None:
    public = _visible_part(report, hidden_not_run=1)
    expected = f"Visible checks: 5/13 ({HIDDEN_NOTE})"
    for text in (render_text(public), render_markdown(public), to_results(public)["output"]):
        assert expected in _words(text)


def test_without_hidden_checks_the_headline_is_the_whole_score(report: Report) -> None:
    results = to_results(_visible_part(report, hidden_not_run=0))
    assert results["output"] == (
        "Layers & <friends>: 5/13 (38.5%). Functions losing points: softmax_loss, network"
    )


# --- JUnit ----------------------------------------------------------------------------


def test_junit_suites_count_tests_and_failures(report: Report) -> None:
    root = ET.fromstring(render_junit(report))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("time")) == ("7", "3", "12.500")
    counts = {
        suite.get("name"): (suite.get("tests"), suite.get("failures"), suite.get("skipped"))
        for suite in root.iter("testsuite")
    }
    assert counts == {
        "relu_forward": ("2", "0", "0"),
        "softmax_loss": ("2", "2", "0"),
        "he_normal": ("1", "0", "0"),
        "network": ("2", "1", "0"),
    }
    for suite in root.iter("testsuite"):
        assert int(suite.get("tests")) == len(suite.findall("testcase"))
        assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))


def test_junit_cases_carry_names_scores_and_feedback(report: Report) -> None:
    root = ET.fromstring(render_junit(report))
    suite = root.find("testsuite[@name='softmax_loss']")
    properties = {p.get("name"): p.get("value") for p in suite.findall("properties/property")}
    assert (properties["score"], properties["max_score"]) == ("1", "5")
    case = suite.find("testcase")
    assert case.get("name") == "softmax_loss: matches the reference"
    assert (case.get("classname"), case.get("time")) == ("layers.softmax_loss", "1.500")
    assert case.find("properties") is None  # junit-10.xsd: properties on suites only
    assert properties[case.get("name")] == "0/3 (visible, matches_reference)"
    failure = case.find("failure")
    assert failure.get("type") == "matches_reference"
    assert failure.get("message").startswith("you printed: <script>alert(1)</script> & more")
    assert "<script>alert(1)</script> & more\\x00 then \\x1b[31mred" in failure.text
    assert failure.text.endswith("second line")
    hidden = root.find("testsuite[@name='relu_forward']/properties")
    value = hidden.find("property[@name='relu_forward: matches the reference']").get("value")
    assert value == "2/2 (hidden, matches_reference)"


def test_junit_is_deterministic_and_free_of_forbidden_characters(report: Report) -> None:
    rendered = render_junit(report)
    assert rendered == render_junit(report)
    assert not CONTROL.search(rendered)


def test_junit_survives_surrogates_and_noncharacters(report: Report) -> None:
    """Output decoded with surrogateescape keeps lone surrogates; the file must still be
    UTF-8 and XML."""
    odd = check("f", "odd output", 0, 1, feedback="bytes \udcff and \uffff end")
    rendered = render_junit(replace(report, results=(odd,)))
    root = ET.fromstring(rendered.encode("utf-8"))
    assert root.find(".//failure").text == "bytes \\xdcff and \\xffff end"


# --- HTML -----------------------------------------------------------------------------


def test_html_escapes_student_output(report: Report) -> None:
    page = render_html(report)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more\\x00 then \\x1b[31mred" in page
    assert "<script" not in page.lower()
    assert "<title>Layers &amp; &lt;friends&gt;</title>" in page
    assert not CONTROL.search(page)


def test_html_embeds_every_plot_and_loads_nothing(report: Report) -> None:
    page = render_html(report)
    assert page.count(IMG_PREFIX) == PLOTS
    for chunk in page.split(IMG_PREFIX)[1:]:
        assert base64.b64decode(chunk[: chunk.index('"')]).startswith(PNG_SIGNATURE)
    assert "http://" not in page and "https://" not in page
    assert page == render_html(report)


def test_html_tables_and_failures(report: Report) -> None:
    page = render_html(report)
    assert page.count('<table class="data">') == 2  # activation table and sanity table
    assert '<td class="num">0.8 – 0.84</td>' in page
    assert '<p class="fail"><b>✗ overfits 20 images</b> (0/4, visible)</p>' in page
    assert '<td><a href="#f-softmax_loss"><code>softmax_loss</code></a></td>' in page


def test_html_sections_open_where_something_failed(report: Report) -> None:
    page = render_html(report)
    opened = re.findall(r'<details class="function" id="f-(\w+)"( open)?>', page)
    assert opened == [
        ("relu_forward", ""),
        ("softmax_loss", " open"),
        ("he_normal", ""),
        ("network", " open"),
    ]
    network = page[page.index('id="f-network"') :]
    failure, plot = network.index("✗ overfits 20 images"), network.index(IMG_PREFIX)
    assert failure < plot < network.index("✓ loss rises with regularization")


def test_markdown_has_no_data_uri_and_writes_its_plots_beside_it(
    report: Report, tmp_path: Path
) -> None:
    assert "data:" not in render_markdown(report)
    target = tmp_path / "out" / "grades.md"
    write_report(report, "md", target)
    assert "data:" not in target.read_text()
    plots = sorted((tmp_path / "out" / "grades_plots").iterdir())
    assert [plot.name for plot in plots] == ["01-he_normal.png", "02-network.png"]
    assert all(plot.read_bytes().startswith(PNG_SIGNATURE) for plot in plots)
    assert "](grades_plots/02-network.png)" in target.read_text()


def test_every_format_shows_a_table_that_has_no_plot(report: Report) -> None:
    """The sanity check attaches a table only; Markdown once dropped it (HTML did not)."""
    check = "✓ loss rises with regularization"
    markdown = render_markdown(report)
    table = "**loss by regularization**\n\n| reg | loss |\n|---:|---:|\n| 0 | 2.3 |\n"
    assert f"**{check}** (1/1, visible)\n\n{table}" in markdown
    assert f'<b>{check}</b> (1/1, visible)</p>\n<div class="attached">' in render_html(report)
    assert "loss by regularization" in _words(render_text(report))


def test_markdown_escapes_pipes_in_column_names(report: Report) -> None:
    """Training's |Δw1|/|w1| column: unescaped, its pipes split the header into more cells
    than the delimiter row has, and a Markdown viewer shows no table at all."""
    ratios = Table("ratios", ("step", "|Δw1|/|w1|"), ((1, "1e-3"),))
    result = check("network", "overfits", 1, 1, attachments=Attachments(tables=(ratios,)))
    markdown = render_markdown(replace(report, results=(result,)))
    assert "| step | \\|Δw1\\|/\\|w1\\| |\n|---:|---:|\n| 1 | 1e-3 |" in markdown


# --- in a real browser ----------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium_binary() -> str:
    return chromium()


@pytest.fixture(scope="module")
def html_page(report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    page = tmp_path_factory.mktemp("html") / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    return page


@pytest.fixture(scope="module")
def dumped(chromium_binary: str, html_page: Path) -> subprocess.CompletedProcess[str]:
    return browse(chromium_binary, html_page, "--dump-dom")


def test_browser_renders_the_function_table(dumped: subprocess.CompletedProcess[str]) -> None:
    start = dumped.stdout.index('<table class="functions">')
    table = dumped.stdout[start : dumped.stdout.index("</table>", start)]
    for function in ("relu_forward", "softmax_loss", "he_normal", "network"):
        assert f"<code>{function}</code>" in table
    assert "partial (2 failed)" in table
    assert "<script" not in dumped.stdout


def test_browser_logs_no_console_message(dumped: subprocess.CompletedProcess[str]) -> None:
    assert console_messages(dumped.stderr) == []


def test_console_detection_catches_errors(chromium_binary: str, tmp_path: Path) -> None:
    """The check above would pass vacuously if the flags stopped printing console messages."""
    probe = tmp_path / "probe.html"
    probe.write_text(
        "<!DOCTYPE html><p>probe</p><script>console.error('x'); undefinedFunction();</script>"
    )
    messages = console_messages(browse(chromium_binary, probe, "--dump-dom").stderr)
    assert messages[0] == "x"
    assert "Uncaught ReferenceError: undefinedFunction is not defined" in messages


def test_browser_decodes_every_plot_within_the_window(
    chromium_binary: str, html_page: Path, tmp_path: Path
) -> None:
    """Measured with a copy of the page whose script opens every section and reports each
    image the browser failed to decode (the page itself has no script)."""
    from matplotlib import pyplot as plt

    shot = tmp_path / "report.png"
    width, messages = measure(chromium_binary, html_page, shot, height=2000)
    assert messages == [] and width <= WINDOW_WIDTH
    pixels = plt.imread(shot)
    assert pixels.shape[:2] == (2000, WINDOW_WIDTH)
    assert pixels.std() > 0.01  # something was drawn, not a blank page


def test_measuring_catches_overflow_and_broken_images(chromium_binary: str, tmp_path: Path) -> None:
    """The check above would pass vacuously if the probe measured nothing."""
    page = tmp_path / "wide.html"
    wide = "<details><summary>s</summary><div style='width: 3000px'>wide</div></details>"
    page.write_text(
        f"<!DOCTYPE html><body>{wide}<img src='data:image/png;base64,AA' alt='x'></body>"
    )
    width, messages = measure(chromium_binary, page, tmp_path / "wide.png")
    assert width > 3000 and messages == ["broken x"]


# --- problems with the submission, stated once at the top ------------------------------

CS231N = "No module named 'cs231n'"
UNGRADED = ("relu_forward", "softmax_loss")


@pytest.fixture(scope="module")
def broken(report: Report) -> Report:
    """The hand-built report as a grading of a layers.py whose first line imports a sibling
    package gives it: every check of two functions not graded, one function a stub."""
    problem = ModuleProblem(
        file="layers.py",
        kind="import",
        exception="ModuleNotFoundError",
        message=CS231N,
        line=1,
        code="from cs231n.im2col import *",
        hint="put the code you use from cs231n into layers.py, or hand in the cs231n folder",
        functions=UNGRADED,
    )
    not_graded = "not graded: layers.py failed to import (see the top of the report)"
    results = tuple(
        replace(result, score=0.0, passed=False, feedback=not_graded)
        if result.function in UNGRADED
        else result
        for result in report.results
    )
    return replace(report, results=results, problems=(problem,), not_implemented=("he_normal",))


def _before(text: str, first: str, then: str) -> bool:
    return first in text and then in text and text.index(first) < text.index(then)


def test_text_states_an_import_failure_once_above_the_table(broken: Report) -> None:
    text = render_text(broken)
    assert text.count(CS231N) == 1
    assert _before(text, CS231N, "function")
    assert "at layers.py, line 1: from cs231n.im2col import *" in text
    assert "hint: put the code you use from cs231n into layers.py" in _words(text)
    assert "Not implemented yet: he_normal" in text
    assert "layers.py (2 functions)" in text  # one row for the module's functions
    assert "not graded: layers.py failed to import" not in text  # not repeated per check
    assert not any(line.startswith("│ relu_forward") for line in text.splitlines())
    assert "layers.py failed to import" in _words(text.split(CS231N)[-1].split("┏")[0])  # summary


def test_results_json_states_it_first_in_output(broken: Report) -> None:
    data = to_results(broken)
    assert data["output"].startswith("layers.py failed to import:\n  ModuleNotFoundError: ")
    assert data["output"].count(CS231N) == 1
    assert "  not graded: relu_forward, softmax_loss\n" in data["output"]
    assert data["extra_data"]["problems"][0]["line"] == 1
    assert data["extra_data"]["not_implemented"] == ["he_normal"]
    for test in data["tests"]:
        if test["tags"][0] in UNGRADED:
            assert test["output"].startswith("not graded: layers.py failed to import")


def test_junit_states_it_in_a_first_suite_of_errors(broken: Report) -> None:
    text = render_junit(broken)
    assert text.count(CS231N) == 1
    root = ET.fromstring(text)
    first = root.find("testsuite")
    assert first.get("name") == "submission"
    errors = first.findall("testcase/error")
    assert [error.get("message") for error in errors] == [
        "layers.py failed to import:",
        "Not implemented yet: he_normal",
    ]
    assert "at layers.py, line 1" in errors[0].text
    assert (root.get("errors"), root.get("tests")) == ("2", str(len(broken.results) + 2))


def test_markdown_and_html_state_it_once_above_the_table(broken: Report) -> None:
    markdown = render_markdown(broken)
    assert markdown.count(CS231N) == 1 and _before(markdown, CS231N, "| function |")
    assert "| layers.py: `relu_forward`, `softmax_loss` | 0/" in markdown
    page = render_html(broken)
    assert page.count(escape(CS231N)) == 1 and _before(page, escape(CS231N), "<table")
    assert "layers.py: <code>relu_forward</code>, <code>softmax_loss</code>" in page
    assert 'id="f-relu_forward"' not in page and 'id="f-he_normal"' not in page  # not run
    assert '<a href="#f-network"><code>network</code></a>' in page


def test_a_report_without_problems_has_no_problem_part(report: Report) -> None:
    assert not render_text(report).startswith("!")
    assert "Not implemented" not in render_text(report)
    assert ET.fromstring(render_junit(report)).find("testsuite").get("name") != "submission"
    assert to_results(report)["output"].startswith(report.title)


def timed(milliseconds: float) -> CheckResult:
    rounds = Table("time per round", ("yours (ms)",), ((f"{milliseconds:.1f}",),))
    measured = Attachments(tables=(rounds,), measured=True)
    return check("SGD", "runs as fast as the reference", 2, 2, attachments=measured)


def test_measured_attachments_are_left_out_of_the_stable_results(report: Report) -> None:
    """Two gradings of one submission differ in the times they measure, nothing else: the
    comparison behind `grader validate` leaves measurements out, and only them."""
    first, second = (replace(report, results=(timed(ms),)) for ms in (1.5, 1.7))
    assert to_results(first) != to_results(second)
    assert stable_results(first) == stable_results(second)
    unmeasured = replace(second, results=(check("SGD", "steps", 1, 2, attachments=ACTIVATIONS),))
    assert "activation std" in json.dumps(stable_results(unmeasured))
