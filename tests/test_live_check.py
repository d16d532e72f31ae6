"""grader.check in a notebook: the kit's public checks on the functions as the kernel
defines them now, rebuilt as source for the worker; the released starter notebook's
check cell, run in a real kernel, shows a fix that was never saved."""

from __future__ import annotations

import ast
import os
import re
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pytest
from conftest import CORPUS, ROOT, ReleasedKits
from nbconvert.preprocessors import ExecutePreprocessor
from nbformat.v4 import new_code_cell, new_notebook
from typer.testing import CliRunner

import grader
from grader import course, live
from grader.cli import app
from grader.kernel_source import kernel_code
from grader.kit import KIT_FILE
from grader.notebooks import notebook_source

ANSI = re.compile(r"\x1b\[[0-9;]*m")
CELLS = """\
import numpy as np
from math import sqrt as root

SCALE = 2.0
table = np.arange(3)


def _positive(x):
    return np.maximum(x, 0) * SCALE / root(4.0)


def relu_forward(x):
    return _positive(x), x


def affine_forward(x, w, b):
    return x @ w + b + table, None
"""


def kernel_with(tmp_path: Path, cells: str) -> dict[str, object]:
    """A kernel's namespace after running `cells`, whose code a file keeps (as IPython
    keeps each cell's)."""
    path = tmp_path / "cell.py"
    path.write_text(cells)
    namespace: dict[str, object] = {"__name__": "__main__"}
    exec(compile(cells, str(path), "exec"), namespace)  # noqa: S102 - the test's own code
    return namespace


def corpus_function(name: str) -> str:
    source = (CORPUS / "correct_alt" / "layers.py").read_text()
    node = next(n for n in ast.parse(source).body if getattr(n, "name", "") == name)
    return ast.get_source_segment(source, node)


def test_a_definition_comes_with_the_imports_constants_and_helpers_it_reads(
    tmp_path: Path,
) -> None:
    code = kernel_code(kernel_with(tmp_path, CELLS), ["relu_forward", "not_yet"])
    assert code.defined == ("relu_forward",)
    assert code.notes == ()
    assert "import numpy as np\nfrom math import sqrt as root\n" in code.text
    assert "SCALE = 2.0\n" in code.text
    assert "table" not in code.text and "affine_forward" not in code.text
    rebuilt: dict[str, object] = {}
    exec(code.text, rebuilt)  # noqa: S102 - rebuilt from the test's own code
    out, _ = rebuilt["relu_forward"](np.array([-1.0, 3.0]))
    assert out.tolist() == [0.0, 3.0]


def test_what_cannot_be_rebuilt_from_source_is_named(tmp_path: Path) -> None:
    namespace = kernel_with(tmp_path, CELLS)
    code = kernel_code(namespace, ["affine_forward", "root"])
    assert code.defined == ("affine_forward",)
    assert code.notes == (
        "table (a numpy.ndarray) is not copied from the kernel: only functions, classes, "
        "imports and literal constants can be, so affine_forward finds no table when "
        "checked; create it inside affine_forward or write it as a literal",
        "root in this kernel is from module math, not a function defined in a cell: it is "
        "not checked here (grader check in a terminal checks your files)",
    )


def test_without_a_kept_source_the_last_cell_of_the_history_that_defines_it_counts() -> None:
    cells = ["", "def f(x):\n    return 1", "class Net:\n    size = 3", "def f(x):\n    return 2"]
    namespace: dict[str, object] = {"__name__": "__main__", "In": cells}
    for cell in cells:
        exec(compile(cell, "<cell>", "exec"), namespace)  # noqa: S102 - no source kept
    code = kernel_code(namespace, ["f", "Net"])
    assert code.defined == ("f", "Net")
    assert "def f(x):\n    return 2\n" in code.text and "return 1" not in code.text
    assert "class Net:\n    size = 3\n" in code.text


def test_the_checker_lines_are_dropped_when_a_notebook_is_graded(tmp_path: Path) -> None:
    cells = [
        "import grader\n\ngrader.check('layers')",
        "if True:\n    grader.check(\n        'layers',\n        'relu_forward',\n    )\nx = 1",
    ]
    path = tmp_path / "work.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(cell) for cell in cells]), path)
    module = notebook_source(path)
    assert module.splitlines() == ["# cell 1", "", "", "", "# cell 2", "if True:"] + [
        "    pass"
    ] * 4 + ["x = 1"]


def test_bad_input_gets_a_clear_message(
    kits: ReleasedKits,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    kit = kits["layers"] / KIT_FILE
    grader.check("layers", "relu_forwad", kit=kit)
    assert "error: unknown function 'relu_forwad' (known: affine_forward," in printed(capsys)
    grader.check("layers", "relu_forward", kit=kit)
    assert "not defined in this kernel yet, so not checked: relu_forward" in printed(capsys)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(course, "available", lambda: False)
    grader.check("layers")
    assert f"error: no {KIT_FILE} in this folder or above" in printed(capsys)


def printed(capsys: pytest.CaptureFixture[str]) -> str:
    return capsys.readouterr().out.replace("\n", " ")


def test_the_report_is_the_one_grader_check_gives_for_the_same_code(
    kits: ReleasedKits,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = (CORPUS / "bugs" / "relu_forward" / "modifies_input.py").read_text()
    monkeypatch.setattr(live, "kernel_namespace", lambda: kernel_with(tmp_path, code))
    kit = str(kits["layers"] / KIT_FILE)
    grader.check("layers", "relu_forward", kit=kit)
    shown = capsys.readouterr().out
    (tmp_path / "saved").mkdir()
    (tmp_path / "saved" / "layers.py").write_text(code)
    command = ["check", "layers", str(tmp_path / "saved"), "--kit", kit, "--only", "relu_forward"]
    result = CliRunner().invoke(app, command)
    assert "relu_forward modified its argument x in place" in " ".join(shown.split())
    assert shown == result.stdout  # the report; progress lines go to stderr


def test_the_check_cell_shows_a_fix_run_in_the_kernel_but_never_saved(
    kits: ReleasedKits, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The notebook as saved still holds the stub of relu_forward; a later cell, run but
    not saved, fixes it. The cells of relu_backward and leaky_relu_forward never ran."""
    shutil.copy(kits["layers"] / KIT_FILE, tmp_path)
    saved = shutil.copy(kits["layers"] / "layers.ipynb", tmp_path)
    notebook = nbformat.read(saved, as_version=4)
    *cells, check = notebook.cells
    assert check.source == 'import grader\n\ngrader.check("layers")'
    check.source = check.source.replace(
        '"layers"', '"layers", "relu_forward", "relu_backward", "leaky_relu_backward"'
    )
    never_run = {"layers-relu_backward", "layers-leaky_relu_forward"}
    notebook.cells = [cell for cell in cells if cell.get("id") not in never_run]
    notebook.cells += [new_code_cell(corpus_function("relu_forward")), check]
    paths = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))  # the kernel imports this grader
    ExecutePreprocessor(timeout=120, kernel_name="python3").preprocess(
        notebook, {"metadata": {"path": str(tmp_path)}}
    )
    shown = ANSI.sub("", "".join(_text(output) for output in notebook.cells[-1].outputs))
    assert re.search(r"relu_forward +│ +(\d+\.?\d*)/\1 +│ ok", shown), shown
    assert re.search(r"leaky_relu_backward +│ +0/[\d.]+ +│ FAIL", shown), shown
    assert "not defined in this kernel yet, so not checked: relu_backward" in shown
    assert (
        "leaky_relu_forward is not defined in this kernel yet, and the checks of "
        "leaky_relu_backward call it" in " ".join(shown.split())
    )
    cells = nbformat.read(saved, as_version=4).cells
    stub = next(cell for cell in cells if cell.get("id") == "layers-relu_forward")
    assert 'raise NotImplementedError("relu_forward")' in stub.source


def _text(output: nbformat.NotebookNode) -> str:
    if output.output_type == "error":
        return f"{output.ename}: {output.evalue}"
    return output.get("text") or output.get("data", {}).get("text/plain", "")
