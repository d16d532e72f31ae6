"""Notebook submissions grade like the same code in a .py, and starter notebooks score zero."""

from __future__ import annotations

import ast
import json
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest
from conftest import CORPUS, FAST, ROOT, graded, submission_with
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from typer.testing import CliRunner

from grader.cli import app
from grader.notebooks import NotebookError, notebook_source, starter_notebook
from grader.report.text import render_text
from grader.starter import starter_modules
from grader.submission import SubmissionError, load_submission

CODE = "import numpy as np\n\ndef relu_forward(x):\n    return np.maximum(x, 0), x\n"
NUMBER_AS_SOURCE = {"cell_type": "code", "id": "a", "metadata": {}, "outputs": [], "source": 3}
BROKEN_SCHEMA = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [NUMBER_AS_SOURCE]}


def write_notebook(path: Path, *cells: nbformat.NotebookNode) -> Path:
    nbformat.write(new_notebook(cells=list(cells)), path)
    return path


def converted(tmp_path: Path, *sources: str) -> list[str]:
    """The lines `notebook_source` makes of a notebook with one code cell per source."""
    path = write_notebook(tmp_path / "cells.ipynb", *map(new_code_cell, sources))
    return notebook_source(path).splitlines()


def as_notebook(module: str, path: Path) -> Path:
    """The module's code in several cells, with IPython lines, a %%timeit cell and markdown."""
    chunks = re.split(r"\n(?=def )", module)  # each top-level def starts a chunk
    size = len(chunks) // 3 + 1
    code = ["\n".join(chunks[start : start + size]) for start in range(0, len(chunks), size)]
    return write_notebook(
        path,
        new_markdown_cell("# My layers\n\n`affine_forward` is in the first code cell."),
        new_code_cell("%matplotlib inline\n" + code[0]),
        new_code_cell("!pip list\n" + code[1]),
        new_code_cell("%%timeit\naffine_forward(np.ones((2, 3)), np.ones((3, 4)), np.ones(4))"),
        *map(new_code_cell, code[2:]),
    )


def outcomes(path: Path) -> list[tuple]:
    return [
        (result.function, result.description, result.score, result.passed, result.feedback)
        for result in graded(path).results
    ]


@pytest.mark.parametrize("fragment", [None, CORPUS / "bugs/softmax_loss/loss_summed.py"])
def test_a_notebook_scores_like_the_same_code_in_a_py_file(
    tmp_path: Path, fragment: Path | None
) -> None:
    module = CORPUS / "correct_alt" / "layers.py"
    if fragment is not None:
        module = submission_with(fragment, tmp_path / "py") / "layers.py"
    notebook = as_notebook(module.read_text(), tmp_path / "layers.ipynb")
    expected = outcomes(module)
    assert outcomes(notebook) == expected
    assert all(passed for *_, passed, _ in expected) == (fragment is None)


def test_magics_shell_escapes_and_help_are_blanked_keeping_line_numbers(tmp_path: Path) -> None:
    lines = converted(
        tmp_path,
        "%matplotlib inline\nimport numpy as np\n!pip install \\\n    numpy\nfiles = !ls\n"
        "t = %time np.ones(3)\nnp.sum?\n??np.sum\nx = 5 % 3\ny = x != 2",
    )
    assert lines == ["# cell 1", "", "import numpy as np", *[""] * 6, "x = 5 % 3", "y = x != 2"]


def test_a_magic_inside_a_block_becomes_pass(tmp_path: Path) -> None:
    lines = converted(
        tmp_path,
        "  def f(x):\n      for i in x:\n          %timeit abs(i)\n      if x:\n          !ls\n"
        "      return x",
    )
    assert lines == [
        "# cell 1",
        "def f(x):",
        "    for i in x:",
        "        pass",
        "    if x:",
        "        pass",
        "    return x",
    ]
    ast.parse("\n".join(lines))


def test_magic_looking_lines_inside_strings_and_brackets_stay(tmp_path: Path) -> None:
    cell = "s = '''\n%d items\n!not a command\n'''\nt = ('a' \\\n     '%s?')\nu = [\n  1,\n]"
    assert converted(tmp_path, cell)[1:] == cell.splitlines()


def test_cell_magic_cells_and_markdown_cells_are_left_out(tmp_path: Path) -> None:
    path = write_notebook(
        tmp_path / "mixed.ipynb",
        new_markdown_cell("def not_code():\n    pass"),
        new_code_cell("\n%%timeit\nfor i in range(3):\n    abs(i)"),
        new_code_cell("x = 1"),
    )
    assert notebook_source(path) == "# cell 2\n\n\n\n\n# cell 3\nx = 1\n"


def test_a_syntax_error_is_reported_by_cell_and_line(tmp_path: Path) -> None:
    path = write_notebook(
        tmp_path / "work.ipynb",
        new_markdown_cell("A broken cell follows."),
        new_code_cell("x = 1\ndef broken(:\n    pass"),
    )
    (note,) = load_submission(path, tmp_path / "out").notes
    assert note.startswith("work.ipynb has a syntax error in cell 2, line 2")


def test_notebooks_in_folders_zips_and_alone_give_the_same_modules(tmp_path: Path) -> None:
    folder = tmp_path / "student"
    folder.mkdir()
    write_notebook(
        folder / "my_work.ipynb", new_code_cell("%load_ext autoreload"), new_code_cell(CODE)
    )
    archive = tmp_path / "student.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.write(folder / "my_work.ipynb", "student/my_work.ipynb")
    submissions = [
        load_submission(path, tmp_path / f"out{index}")
        for index, path in enumerate([folder, archive, folder / "my_work.ipynb"])
    ]
    assert len({submission.sha256 for submission in submissions}) == 1
    assert {submission.module_of("relu_forward", "layers") for submission in submissions} == {
        "my_work"
    }


def test_a_notebook_beside_a_py_of_its_name_keeps_both(tmp_path: Path) -> None:
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "layers.py").write_text("def affine_forward(x, w, b):\n    pass\n")
    write_notebook(folder / "layers.ipynb", new_code_cell(CODE))
    submission = load_submission(folder, tmp_path / "out")
    assert (submission.directory / "layers.py").read_text().startswith("def affine_forward")
    assert submission.module_of("relu_forward", "layers") == "layers_ipynb"
    assert submission.module_of("affine_forward", "layers") == "layers"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("print('hello')\n", r"not a Jupyter notebook \(not JSON"),
        ("[]", r"not a Jupyter notebook \(JSON without nbformat version\)"),
        (json.dumps(BROKEN_SCHEMA), r"not a valid Jupyter notebook \(.* at cells/0\)"),
    ],
    ids=["text", "json-list", "broken-schema"],
)
def test_what_is_not_a_notebook_is_a_clear_error(
    tmp_path: Path, content: str, message: str
) -> None:
    bad = tmp_path / "bad.ipynb"
    bad.write_text(content)
    with pytest.raises(NotebookError, match=rf"bad\.ipynb: {message}"):
        notebook_source(bad)
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "layers.py").write_text(CODE)
    (tmp_path / "folder" / "bad.ipynb").write_text(content)
    with pytest.raises(SubmissionError, match=rf"folder/bad\.ipynb: {message}"):
        load_submission(tmp_path / "folder", tmp_path / "out")
    result = CliRunner().invoke(app, ["grade", "layers", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}: not a" in result.output


@pytest.mark.parametrize("assignment", list(starter_modules()))
def test_starter_notebooks_are_valid_and_define_every_function_once(
    tmp_path: Path, assignment: str
) -> None:
    notebook = starter_notebook(assignment)
    nbformat.validate(notebook)
    assert notebook.cells[-1].source == f'import grader\n\ngrader.check("{assignment}")'
    path = tmp_path / f"{assignment}.ipynb"
    nbformat.write(notebook, path)
    tree = ast.parse(notebook_source(path))
    defined = [node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef)]
    public = [
        node.name
        for module in starter_modules()[assignment]
        for node in ast.parse((ROOT / "reference" / f"{module}.py").read_text()).body
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_")
    ]
    assert sorted(defined) == sorted(public)


def test_the_starter_notebook_scores_zero_and_says_not_implemented(tmp_path: Path) -> None:
    path = tmp_path / "initializers.ipynb"
    nbformat.write(starter_notebook("initializers"), path)
    report = graded(path, assignment="initializers")
    assert report.results and sum(result.score for result in report.results) == 0
    assert set(report.not_implemented) == {result.function for result in report.results}
    assert all("is not implemented yet" in result.feedback for result in report.results)


def test_a_failure_points_at_the_notebook_cell(tmp_path: Path) -> None:
    notebook = write_notebook(
        tmp_path / "work.ipynb",
        new_markdown_cell("# Layers"),
        new_code_cell("import numpy as np"),
        new_code_cell("def affine_forward(x, w, b):\n    raise ValueError('boom')"),
    )
    report = graded(notebook)
    feedback = [r.feedback for r in report.results if r.function == "affine_forward"]
    assert any("work.ipynb, cell 3, line 2" in text for text in feedback), feedback
    assert not any("work.py" in text for text in feedback)
    missing = [r.feedback for r in report.results if r.function == "relu_forward"]
    assert missing and all("layers.py was not handed in" in text for text in missing), missing
    (problem,) = [p for p in report.problems if "relu_forward" in p.functions]
    assert problem.message == "no layers.py was handed in (your files: work.ipynb)"


def _exploring(path: Path, exploration: str) -> Path:
    """A notebook as students keep them: the graded functions in cells of their own, and
    between them a cell that explores (and fails when the grader runs it)."""
    return write_notebook(
        path,
        new_markdown_cell("# Layers\nMy implementation."),
        new_code_cell("import numpy as np\n%matplotlib inline"),
        new_code_cell("def relu_forward(x):\n    out = np.maximum(0, x)\n    return out, x"),
        new_code_cell(exploration),
        new_code_cell(
            "def relu_backward(dout, cache):\n    x = cache\n    dx = dout.copy()\n"
            "    dx[x <= 0] = 0\n    return dx"
        ),
    )


RELU_ONLY = replace(FAST, only=("relu_forward", "relu_backward"))


def test_a_failing_exploratory_cell_is_named_once_and_the_others_are_graded(
    tmp_path: Path,
) -> None:
    exploration = "X_small = np.load('cifar_small.npy')\nprint(relu_forward(X_small)[0].mean())"
    report = graded(_exploring(tmp_path / "layers.ipynb", exploration), RELU_ONLY)
    (problem,) = report.problems
    assert (problem.kind, problem.file, problem.cell, problem.line) == (
        "cell",
        "layers.ipynb",
        4,
        1,
    )
    assert problem.exception == "FileNotFoundError" and "cifar_small.npy" in problem.message
    assert problem.code == "X_small = np.load('cifar_small.npy')"
    assert "cell 4 reads a file that was not handed in" in problem.hint
    assert report.score == report.max_score > 0  # both functions, cells 3 and 5, graded
    text = render_text(report)
    assert text.count("cifar_small.npy") == 2  # the error and the line that raised it
    assert text.startswith("! layers.ipynb, cell 4 failed when the notebook was run")


def test_a_cell_with_a_syntax_error_leaves_the_others_graded(tmp_path: Path) -> None:
    notebook = _exploring(tmp_path / "work.ipynb", "for epoch in range(10)\n    train()")
    report = graded(notebook, RELU_ONLY)
    (problem,) = report.problems
    assert (problem.exception, problem.cell, problem.line) == ("SyntaxError", 4, 1)
    assert report.score == report.max_score > 0
