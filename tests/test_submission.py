"""Submissions are normalized without running them, and bad ones get clear errors."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from grader.submission import SubmissionError, load_submission

CODE = "import numpy as np\n\ndef relu_forward(x):\n    return np.maximum(x, 0), x\n"


def test_folder_zip_and_file_normalize_to_the_same_digest(tmp_path: Path) -> None:
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "layers.py").write_text(CODE)
    archive = tmp_path / "student.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("student/layers.py", CODE)
        bundle.writestr("__MACOSX/._layers.py", "junk")
    digests = {
        load_submission(path, tmp_path / f"out{i}").sha256
        for i, path in enumerate([folder, archive, folder / "layers.py"])
    }
    assert len(digests) == 1


def test_functions_are_found_in_whichever_module_defines_them(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "helpers.py").write_text(CODE)
    (tmp_path / "in" / "layers.py").write_text("def affine_forward(x, w, b):\n    pass\n")
    submission = load_submission(tmp_path / "in", tmp_path / "out")
    assert submission.module_of("relu_forward", "layers") == "helpers"
    assert submission.module_of("affine_forward", "layers") == "layers"
    assert submission.module_of("absent", "layers") == "layers"


def test_a_single_file_with_any_name_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "my_solution.py"
    path.write_text(CODE)
    assert load_submission(path, tmp_path / "out").module_of("relu_forward", "layers") == (
        "my_solution"
    )


def test_syntax_errors_become_notes(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "layers.py").write_text("def broken(:\n")
    notes = load_submission(tmp_path / "in", tmp_path / "out").notes
    assert notes and "syntax error on line 1" in notes[0]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing", "no such file"),
        (lambda p: _write(p / "x.txt", "hi"), "not a submission"),
        (lambda p: _write(p / "x.zip", "not a zip"), "not a valid zip"),
        (lambda p: _zip(p / "evil.zip", "../../escape.py"), "unsafe path"),
        (lambda p: _zip(p / "empty.zip", "README.md"), "no Python files"),
    ],
)
def test_bad_submissions_get_clear_errors(tmp_path: Path, make, message: str) -> None:
    with pytest.raises(SubmissionError, match=message):
        load_submission(make(tmp_path), tmp_path / "out")


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def _zip(path: Path, name: str) -> Path:
    with zipfile.ZipFile(path, "w") as bundle:
        bundle.writestr(name, CODE)
    return path
