"""The JUnit report of real gradings (the reference, the untouched stubs, a bug) is valid
against Jenkins xunit's junit-10.xsd, the schema pytest's xunit2 output follows
(tests/data/junit-10.xsd, from pytest's own test suite), and a failed check leads a CI
reporter to the line where the student defined the function."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest
import xmlschema
from conftest import CORPORA, ROOT, graded, submission_with

from grader.grading import GradeOptions
from grader.locations import where_defined
from grader.report.junit import render_junit
from grader.report.model import Report, SourceLocation
from grader.submission import load_submission

SCHEMA = xmlschema.XMLSchema(ROOT / "tests" / "data" / "junit-10.xsd")
STUBS = ROOT / "assignments" / "layers"
BUG = CORPORA / "layers" / "bugs" / "relu_forward" / "np_max_instead_of_maximum.py"
ONLY_RELU = GradeOptions(timeout=5.0, only=("relu_forward", "relu_backward"))


@pytest.fixture(scope="module")
def reports(reference_report: Report, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Where each graded submission's layers.py is, and its report."""
    bug = submission_with(BUG, tmp_path_factory.mktemp("bug"))
    return {
        "reference": (None, reference_report),
        "stubs": (STUBS / "layers.py", graded(STUBS)),
        "bug": (bug / "layers.py", graded(bug, ONLY_RELU)),
    }


def schema_errors(text: str) -> list[str]:
    return [str(error.reason) for error in SCHEMA.iter_errors(text)]


@pytest.mark.parametrize("name", ["reference", "stubs", "bug"])
def test_junit_of_a_real_grading_is_valid_against_junit_10_xsd(name: str, reports: dict) -> None:
    _, report = reports[name]
    assert schema_errors(render_junit(report)) == []


def def_line(module: Path, function: str) -> int:
    """The line of the last `def function(` in the file, read as plain text."""
    lines = module.read_text().splitlines()
    return max(i for i, line in enumerate(lines, 1) if line.startswith(f"def {function}("))


def annotated_at(suite: ET.Element, case: ET.Element) -> tuple[str, int]:
    """Where mikepenz/action-junit-report (the student workflow's reporter) puts a failed
    test case: the file of the test case or of its suite, and the line of the last
    ` <path to that file>...:<line>` in the failure text (its resolveFileAndLine)."""
    file = case.get("file") or suite.get("file")
    found = re.findall(rf" [^ ]*{re.escape(file)}.*?:(\d+)", case.find("failure").text)
    return file, int(found[-1])


@pytest.mark.parametrize("name", ["stubs", "bug"])
def test_every_failed_check_is_annotated_on_the_def_line(name: str, reports: dict) -> None:
    module, report = reports[name]
    root = ET.fromstring(render_junit(report))
    failed = 0
    for suite in root.iter("testsuite"):
        if suite.get("name") == "submission":
            continue
        expected = ("layers.py", def_line(module, suite.get("name")))
        properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
        assert (properties["file"], int(properties["line"])) == expected
        for case in suite.iter("testcase"):
            if case.find("failure") is not None:
                failed += 1
                assert annotated_at(suite, case) == expected, case.get("name")
    assert failed == sum(not result.passed for result in report.results) > 0


def test_a_passing_check_says_nothing_of_where(reports: dict) -> None:
    _, report = reports["reference"]
    assert "is defined at" not in render_junit(report)


def test_the_later_of_two_definitions_is_the_one_located(tmp_path: Path) -> None:
    """As importing the module would: the fragment's def after the correct one."""
    folder = tmp_path / "handed-in"
    folder.mkdir()
    (folder / "layers.py").write_text(
        "def relu_forward(x):\n    pass\n\n\n@staticmethod\ndef relu_forward(x):\n    pass\n"
    )
    (folder / "broken.py").write_text("def sigmoid_forward(x:\n")
    submission = load_submission(folder, tmp_path / "copy")
    modules = {"relu_forward": "layers", "sigmoid_forward": "broken", "tanh_forward": "layers"}
    located = where_defined(submission, modules, modules.__getitem__)
    assert located == {"relu_forward": SourceLocation("layers.py", 6)}


def test_a_notebook_function_is_located_by_cell(tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Layers"),
        nbformat.v4.new_code_cell("import numpy as np"),
        nbformat.v4.new_code_cell("%matplotlib inline\n\ndef relu_forward(x):\n    pass"),
    ]
    path = tmp_path / "work.ipynb"
    nbformat.write(notebook, path)
    submission = load_submission(path, tmp_path / "copy")
    located = where_defined(submission, ["relu_forward"], lambda name: "work")
    assert located == {"relu_forward": SourceLocation("work.ipynb", 3, cell=3)}


def test_a_notebook_function_is_named_by_cell_not_by_file_line(reports: dict) -> None:
    """A line of the notebook's JSON would point nowhere: the failure names the cell."""
    _, report = reports["bug"]
    moved = {"relu_forward": SourceLocation("work.ipynb", 3, cell=4)}
    root = ET.fromstring(render_junit(replace(report, locations=moved)))
    suite = root.find("testsuite[@name='relu_forward']")
    assert suite.get("file") == "work.ipynb"
    failure = suite.find("testcase/failure")
    assert failure.text.endswith("\n\nrelu_forward is defined in work.ipynb, cell 4, line 3")
    assert not re.search(r"work\.ipynb.*?:\d", failure.text)
    assert schema_errors(ET.tostring(root, encoding="unicode")) == []


def test_the_reports_notes_are_a_suites_output(reports: dict) -> None:
    _, report = reports["bug"]
    noted = replace(report, notes=("relu_forward was graded from work.ipynb", "late: −10%"))
    text = render_junit(noted)
    assert schema_errors(text) == []
    (suite,) = [s for s in ET.fromstring(text) if s.get("name") == "notes"]
    assert suite.get("tests") == "0" and suite.find("system-out").text == "\n".join(noted.notes)
