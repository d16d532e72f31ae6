"""Hand-ins as students make them are graded like the plain files: CS231n's
collect_submission layout (notebooks beside `cs231n/*.py`, or all under `assignment2/`),
LMS downloads wrapped in folders, re-downloaded names (`layers (1).py`), junk left out.
A stub never shadows an implementation (the released kit's `layers.py` beside the
notebook the student worked in), and the report says which file a function was taken
from, and by which rule when two files implement it differently."""

from __future__ import annotations

import ast
import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from conftest import CORPORA, CORPUS, ROOT
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from typer.testing import CliRunner

from grader.cli import app
from grader.grading import GradeOptions, grade
from grader.report.model import Report
from grader.stubs import is_stub
from grader.submission import load_submission

# relu_backward forgets dout: the plain file loses some of its points, not all
LAYERS = (CORPUS / "correct_cs231n_style.py").read_text() + (
    "\n\ndef relu_backward(dout, cache):\n    return (cache > 0).astype(np.float64)\n"
)
OPTIM = (CORPORA / "optimizers" / "correct_alt" / "optim.py").read_text()
STUBS = (ROOT / "assignments" / "layers" / "layers.py").read_text()
ONLY = GradeOptions(timeout=5.0, only=("affine_forward", "relu_backward"))
SETUP = "import numpy as np\nfrom cs231n.layers import *\nfrom cs231n.data_utils import load\n\n"
SETUP += "%matplotlib inline\n%load_ext autoreload\n%autoreload 2"


def write_notebook(path: Path, *sources: str) -> None:
    cells = [new_markdown_cell("# Fully-connected nets"), *map(new_code_cell, sources)]
    nbformat.write(new_notebook(cells=cells), path)


def cs231n_folder(root: Path) -> Path:
    """What CS231n's collectSubmission.sh zips: notebooks that import `cs231n`, the
    package with the student's work, and what a Jupyter/Python session leaves behind."""
    package = root / "cs231n"
    (package / "__pycache__").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    # a relative import, as package code has: the worker imports cs231n.layers as such
    imports = "from builtins import range\nfrom .im2col import *\n"
    (package / "layers.py").write_text(imports + LAYERS)
    (package / "im2col.py").write_text("def cols(x):\n    return x.reshape(len(x), -1)\n")
    (package / "optim.py").write_text(OPTIM)
    (package / "layer_utils.py").write_text("from .layers import *\n")
    (package / "data_utils.py").write_text("def load():\n    raise FileNotFoundError('cifar')\n")
    (package / "__pycache__" / "layers.cpython-311.pyc").write_bytes(b"\0")
    write_notebook(root / "FullyConnectedNets.ipynb", SETUP, "data = load()")
    write_notebook(root / "Dropout.ipynb", SETUP, "from cs231n.layers import relu_backward")
    (root / ".ipynb_checkpoints").mkdir()
    write_notebook(root / ".ipynb_checkpoints" / "Dropout-checkpoint.ipynb", STUBS)
    (root / "collectSubmission.sh").write_text("zip -r a2_code_submission.zip .\n")
    return root


def zipped(folder: Path, archive: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                bundle.write(path, prefix + path.relative_to(folder).as_posix())
        bundle.writestr("__MACOSX/._layers.py", "resource fork")
    return archive


def collect_submission_zip(root: Path) -> Path:
    return zipped(cs231n_folder(root / "assignment2"), root / "a2_code_submission.zip")


def assignment2_zip(root: Path) -> Path:
    return zipped(cs231n_folder(root / "assignment2"), root / "assignment2.zip", "assignment2/")


def lms_folder(root: Path) -> Path:
    """An LMS download: the student's files, renamed on a second download, in a folder."""
    inner = root / "submissions" / "Jane Doe_1234_assignsubmission_file_"
    inner.mkdir(parents=True)
    (inner / "layers (1).py").write_text(LAYERS)
    (inner / "optim (1).py").write_text(OPTIM)
    (inner / ".DS_Store").write_bytes(b"\0")
    return root / "submissions"


def lms_zip(root: Path) -> Path:
    archive = root / "download.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("Jane Doe_1234/submission/layers-1.py", LAYERS)
        bundle.writestr("Jane Doe_1234/submission/optim-1.py", OPTIM)
        bundle.writestr("__MACOSX/Jane Doe_1234/submission/._layers-1.py", "resource fork")
    return archive


def released_kit(parent: Path) -> Path:
    """The kit's untouched `layers.py` stubs beside the notebook the student worked in."""
    root = parent / "kit"
    root.mkdir()
    (root / "layers.py").write_text(STUBS)
    (root / "optim.py").write_text(OPTIM)
    (root / "README.md").write_text("the kit's README\n")
    write_notebook(root / "layers.ipynb", LAYERS, "!grader check layers layers.ipynb")
    return root


LAYOUTS: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    # builder, then the modules layers and optim are graded from
    "collect_submission zip": (collect_submission_zip, "cs231n/layers", "cs231n/optim"),
    "zip of assignment2/": (assignment2_zip, "cs231n/layers", "cs231n/optim"),
    "LMS folder, 'layers (1).py'": (lms_folder, "layers (1)", "optim (1)"),
    "LMS zip, 'layers-1.py'": (lms_zip, "layers-1", "optim-1"),
    "kit stubs beside the notebook": (released_kit, "layers_ipynb", "optim"),
}


def scores(report: Report) -> list[tuple[str, str, float]]:
    return [(result.function, result.description, result.score) for result in report.results]


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Report:
    folder = tmp_path_factory.mktemp("plain")
    (folder / "layers.py").write_text(LAYERS)
    return grade("layers", folder, ONLY)


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_each_layout_finds_the_students_modules(tmp_path: Path, layout: str) -> None:
    build, layers, optim = LAYOUTS[layout]
    submission = load_submission(build(tmp_path), tmp_path / "out")
    assert submission.module_of("affine_forward", "layers") == layers
    assert submission.module_of("sgd_momentum", "optim") == optim


def test_the_cs231n_folder_and_its_zips_are_the_same_submission(tmp_path: Path) -> None:
    folder = cs231n_folder(tmp_path / "assignment2")
    handed_in = [
        folder,
        zipped(folder, tmp_path / "a2_code_submission.zip"),
        zipped(folder, tmp_path / "assignment2.zip", "assignment2/"),
    ]
    digests = {
        load_submission(path, tmp_path / f"out{index}").sha256
        for index, path in enumerate(handed_in)
    }
    assert len(digests) == 1


@pytest.mark.parametrize(
    "layout", ["collect_submission zip", "LMS folder, 'layers (1).py'", "LMS zip, 'layers-1.py'"]
)
def test_each_layout_is_graded_like_the_plain_file(
    tmp_path: Path, plain: Report, layout: str
) -> None:
    report = grade("layers", LAYOUTS[layout][0](tmp_path), ONLY)
    assert scores(report) == scores(plain)
    assert report.problems == () and report.notes == ()


def test_grader_check_in_the_kit_grades_the_notebook_not_the_stubs(
    tmp_path: Path, plain: Report
) -> None:
    kit = released_kit(tmp_path)
    only = [option for name in ONLY.only for option in ("--only", name)]
    out = ["--format", "json", "--out", str(tmp_path / "results.json")]
    result = CliRunner().invoke(app, ["check", "layers", str(kit), *only, *out])
    assert result.exit_code == 0, result.output
    note = "Graded from layers.ipynb (a stub in layers.py): affine_forward, relu_backward, "
    assert note in " ".join(result.output.split())
    data = json.loads((tmp_path / "results.json").read_text())
    visible = [r for r in plain.results if r.visibility == "visible"]
    assert [(test["name"], test["score"]) for test in data["tests"]] == [
        (r.name, r.score) for r in visible
    ]
    assert data["extra_data"]["notes"] == [note + "relu_forward"]
    assert note + "relu_forward" in data["output"]  # what Gradescope shows the student
    assert data["extra_data"]["not_implemented"] == []


def test_two_different_implementations_are_graded_by_the_stated_rule(
    tmp_path: Path, plain: Report
) -> None:
    """The notebook's relu_backward is right, the layers.py one is not: layers.py wins,
    being named like the module, and the report says so; affine_forward is the same in
    both files."""
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "layers.py").write_text(LAYERS)
    write_notebook(folder / "work.ipynb", (CORPUS / "correct_cs231n_style.py").read_text())
    report = grade("layers", folder, ONLY)
    assert 0 < plain.score < plain.max_score
    assert scores(report) == scores(plain)
    assert report.notes == (
        "Graded from layers.py (the same code in work.ipynb): affine_forward, relu_forward",
        "Defined differently in layers.py and work.ipynb, graded from layers.py, the .py "
        "file named like the module layers.py (rule: a .py file named like the module "
        "(layers.py) first, then the most recently modified file): relu_backward",
    )


def test_otherwise_the_most_recently_modified_file_wins(tmp_path: Path) -> None:
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "helpers.py").write_text(LAYERS)
    write_notebook(folder / "work.ipynb", (CORPUS / "correct_cs231n_style.py").read_text())
    rule = "(rule: a .py file named like the module (layers.py) first, then the most "
    rule += "recently modified file): relu_backward"
    for newer, older, why in [
        ("helpers.py", "work.ipynb", "the most recently modified"),
        ("work.ipynb", "helpers.py", "the most recently modified"),
        (
            "helpers.py",
            "work.ipynb",
            "the first by folder depth and name (modified at the same time)",
        ),
    ]:
        os.utime(folder / older, (1_600_000_000, 1_600_000_000))
        same_time = why.endswith("same time)")
        os.utime(folder / newer, (1_600_000_000 + (0 if same_time else 60),) * 2)
        submission = load_submission(folder, tmp_path / f"out-{newer}-{same_time}")
        module = submission.module_of("relu_backward", "layers")
        assert module == {"helpers.py": "helpers", "work.ipynb": "work"}[newer]
        note = submission.provenance({"relu_backward": "layers"})
        files = (
            "helpers.py and work.ipynb" if newer == "helpers.py" else "work.ipynb and helpers.py"
        )
        assert note == (f"Defined differently in {files}, graded from {newer}, {why} {rule}",)


def test_a_package_is_not_unwrapped_and_names_the_file_that_lacks_a_function(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("cs231n/__init__.py", "")
        bundle.writestr("cs231n/layers.py", LAYERS)
    submission = load_submission(archive, tmp_path / "out")
    assert submission.module_of("affine_forward", "layers") == "cs231n/layers"
    assert submission.module_of("leaky_relu_forward", "layers") == "cs231n/layers"
    assert submission.module_of("sgd_momentum", "optim") == "optim"


def test_a_working_folder_with_its_datasets_leaves_the_data_out(tmp_path: Path) -> None:
    """`grader check layers .` in a CS231n folder: the CIFAR-10 batches are not copied
    (the 5 MiB limit is for code), and the report says so."""
    folder = cs231n_folder(tmp_path / "assignment2")
    batches = folder / "cs231n" / "datasets" / "cifar-10-batches-py"
    batches.mkdir(parents=True)
    for name in ("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "test_batch"):
        with open(batches / name, "wb") as batch:
            batch.truncate(6 * 2**20)
    (batches / "batches.meta").write_bytes(b"small")
    submission = load_submission(folder, tmp_path / "out")
    assert submission.module_of("affine_forward", "layers") == "cs231n/layers"
    assert (submission.directory / "cs231n/datasets/cifar-10-batches-py/batches.meta").exists()
    assert submission.notes == (
        "Not copied where your code runs (data files over 5 MiB): "
        "cs231n/datasets/cifar-10-batches-py/data_batch_1, "
        "cs231n/datasets/cifar-10-batches-py/data_batch_2, "
        "cs231n/datasets/cifar-10-batches-py/data_batch_3 and 2 more",
    )


CS231N_STUBS = {
    "affine_forward": """
def affine_forward(x, w, b):
    \"\"\"TODO\"\"\"
    out = None
    # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
    pass
    # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
    cache = (x, w, b)
    return out, cache
""",
    "dropout_forward": """
def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    mask = None
    out = None
    if mode == "train":
        pass
    elif mode == "test":
        pass
    cache = (dropout_param, mask)
    out = out.astype(x.dtype, copy=False)
    return out, cache
""",
    "sgd_momentum": """
def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    v = config.get("velocity", np.zeros_like(w))
    next_w = None
    config["velocity"] = v
    return next_w, config
""",
    "only_pass": "def f(x):\n    pass\n",
    "ellipsis": "def f(x):\n    ...\n",
    "raises": "def f(x):\n    '''Doc.'''\n    raise NotImplementedError('f')\n",
    "method": "class SGD:\n    def __init__(self):\n        self.t = 0\n\n    def step(self):\n"
    "        raise NotImplementedError\n",
}
IMPLEMENTATIONS = {
    "computed": "def f(x):\n    out = None\n    out = x * 2\n    return out, x\n",
    "partial": "def f(dout, cache):\n    dx = None\n    dw = cache.T @ dout\n    return dx, dw\n",
    "identity": "def f(x):\n    return x\n",
    "branch": "def f(x, mode):\n    if mode == 'test':\n        raise NotImplementedError\n"
    "    return x + 1\n",
    "generator": "def f(x):\n    yield x\n",
    "class": "class SGD:\n    def step(self):\n        self.t += 1\n",
}


@pytest.mark.parametrize(
    ("source", "stub"),
    [(source, True) for source in CS231N_STUBS.values()]
    + [(source, False) for source in IMPLEMENTATIONS.values()],
    ids=[*CS231N_STUBS, *IMPLEMENTATIONS],
)
def test_stubs_are_told_from_implementations_by_reading_them(source: str, stub: bool) -> None:
    (node,) = ast.parse(source).body
    assert is_stub(node) is stub
