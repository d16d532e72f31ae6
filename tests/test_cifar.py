"""The `cifar` assignment: the shipped images, the loader for the real dataset, and grading
networks built from the student's pieces (full marks for correct code however it is
written, lost points and a named suspect for a piece that breaks training)."""

from __future__ import annotations

import os
import pickle
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPORA, FAST, graded
from typer.testing import CliRunner

from grader import course
from grader.assignments import load_assignment
from grader.checks.blame import named
from grader.cifar10 import (
    SAMPLE,
    TRAIN_BATCHES,
    DatasetError,
    load_directory,
    load_images,
    load_sample,
)
from grader.cli import app
from grader.grading import GradeOptions, grade
from grader.report.markdown import write_markdown
from grader.report.text import render_text
from grader.starter import reference_submission
from reference.assignments.cifar import LAYERS

MODULES = {"layers": "layers", "optimizers": "optim", "initializers": "initializers"}
SAMPLE_LABELS = [3, 8, 8, 0, 6, 6, 1, 6, 3, 1, 0, 9, 5, 7, 9, 8, 5, 7, 8, 6]

# Mistakes from the other corpora that break a cifar check, and the piece to blame.
BREAKS_TRAINING = {
    "layers/bugs/affine_backward/db_averaged.py": "affine",
    "layers/bugs/affine_backward/dw_transposed.py": "affine",
    "layers/bugs/affine_forward/missing_bias.py": "affine",
    "layers/bugs/relu_backward/passes_dout.py": "relu",
    "layers/bugs/relu_forward/np_max_instead_of_maximum.py": "relu",
    "layers/bugs/softmax_loss/dx_not_divided_by_n.py": "softmax_loss",
    "layers/bugs/softmax_loss/loss_summed.py": "softmax_loss",
    "layers/bugs/batchnorm_backward/missing_mean_term.py": "batchnorm",
    "layers/bugs/batchnorm_forward/running_stats_not_stored.py": "batchnorm",
    "layers/bugs/dropout_forward/seed_ignored.py": "dropout",
    "layers/bugs/dropout_backward/forgets_scale.py": "dropout",
    "layers/bugs/l2_regularization/missing_half.py": "l2_regularization",
    "optimizers/bugs/adam/old_t.py": "adam",
    "optimizers/bugs/sgd_momentum/velocity_not_stored.py": "sgd_momentum",
    "optimizers/bugs/sgd_momentum/gradient_ascent.py": "sgd_momentum",
    "initializers/bugs/he_normal/divides_by_sqrt.py": "he_normal",
    "initializers/bugs/he_normal/transposed_shape.py": "he_normal",
}


def cifar_submission(
    directory: Path, fragment: Path | None = None, layers: Path | None = None
) -> Path:
    """The three correct_alt modules, with a fragment appended to the module it belongs to."""
    directory.mkdir(parents=True, exist_ok=True)
    for assignment, module in MODULES.items():
        source = CORPORA / assignment / "correct_alt" / f"{module}.py"
        if module == "layers" and layers is not None:
            source = layers
        text = source.read_text()
        if fragment is not None and fragment.relative_to(CORPORA).parts[0] == assignment:
            text += "\n\n# --- fragment ---\n" + fragment.read_text()
        (directory / f"{module}.py").write_text(text)
    return directory


def write_batch(path: Path, images: np.ndarray, labels: list[int]) -> None:
    """A batch file exactly as in cifar-10-batches-py (a protocol-2 pickle, bytes keys)."""
    batch = {
        b"batch_label": b"training batch",
        b"labels": labels,
        b"data": images,
        b"filenames": [b"image.png"] * len(labels),
    }
    path.write_bytes(pickle.dumps(batch, protocol=2))


def sample_as_batches(directory: Path) -> Path:
    """A cifar-10-batches-py folder whose five batches all hold the 20 sample images."""
    with np.load(course.reference_dir() / SAMPLE) as sample:
        chw = sample["images"].transpose(0, 3, 1, 2).reshape(20, -1)
        labels = [int(label) for label in sample["labels"]]
    directory.mkdir(parents=True, exist_ok=True)
    for name in TRAIN_BATCHES:
        write_batch(directory / name, chw, labels)
    return directory


def test_the_sample_ships_with_the_course_pack_and_its_provenance() -> None:
    sample_file = course.reference_dir() / SAMPLE
    assert sample_file.is_file()
    provenance = (sample_file.parent / "README.md").read_text()
    assert "foolbox" in provenance and "Krizhevsky" in provenance
    images = load_sample()
    assert images.x.shape == (20, 3072) and images.x.dtype == np.float64
    assert images.y.tolist() == SAMPLE_LABELS
    assert np.allclose(images.x.mean(axis=0), 0.0)


def test_a_real_format_folder_is_read_and_preprocessed_like_the_sample(tmp_path: Path) -> None:
    from_folder = load_directory(sample_as_batches(tmp_path / "cifar-10-batches-py"))
    assert np.allclose(from_folder.x, load_sample().x)
    assert from_folder.y.tolist() == SAMPLE_LABELS
    assert "first 20 training images" in from_folder.source


def test_the_mean_image_comes_from_all_training_batches(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    batches = [rng.integers(0, 256, (30, 3072), dtype=np.uint8) for _ in TRAIN_BATCHES]
    for name, images in zip(TRAIN_BATCHES, batches, strict=True):
        write_batch(tmp_path / name, images, [int(i % 10) for i in range(30)])
    loaded = load_directory(tmp_path)
    everything = np.concatenate(batches).astype(np.float64)
    centred = everything - everything.mean(axis=0)
    expected = centred[:20] / np.sqrt(np.mean(centred**2))
    assert np.allclose(loaded.x, expected)


def _corrupt(directory: Path, how: str) -> str:
    target = directory / "data_batch_3"
    if how == "missing":
        target.unlink()
        return "data_batch_3: missing"
    if how == "truncated":
        target.write_bytes(target.read_bytes()[:5000])
        return "truncated or foreign"
    if how == "foreign":
        target.write_bytes(pickle.dumps(["not", "a", "batch"], protocol=2))
        return "not a CIFAR-10 batch"
    if how == "wrong shape":
        write_batch(target, np.zeros((4, 100), dtype=np.uint8), [0, 1, 2, 3])
        return "expected (n, 3072)"
    write_batch(target, np.zeros((4, 3072), dtype=np.uint8), [0, 1, 2, 10])
    return "labels should be integers in 0..9"


@pytest.mark.parametrize("how", ["missing", "truncated", "foreign", "wrong shape", "labels"])
def test_a_broken_folder_gets_a_clear_error(tmp_path: Path, how: str) -> None:
    directory = sample_as_batches(tmp_path / "cifar")
    expected = _corrupt(directory, how)
    with pytest.raises(DatasetError, match=re.escape(expected)):
        load_directory(directory)


class _Payload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


def test_a_tampered_batch_runs_no_code(tmp_path: Path) -> None:
    directory = sample_as_batches(tmp_path / "cifar")
    marker = tmp_path / "pwned"
    (directory / "data_batch_1").write_bytes(pickle.dumps({b"data": _Payload(marker)}))
    with pytest.raises(DatasetError, match="refusing to load posix.mkdir"):
        load_directory(directory)
    assert not marker.exists()


def test_no_folder_is_an_error_not_the_sample(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such folder"):
        load_images(tmp_path / "nowhere")


def test_grade_with_a_dataset_folder_and_with_a_bad_one(tmp_path: Path) -> None:
    runner = CliRunner()
    folder = sample_as_batches(tmp_path / "cifar-10-batches-py")
    reference = reference_submission(tmp_path / "reference")
    good = runner.invoke(app, ["grade", "cifar", str(reference), "--cifar-dir", str(folder)])
    assert good.exit_code == 0, good.output
    assert "20/20 (100.0%)" in good.output
    _corrupt(folder, "truncated")
    load_directory.cache_clear()
    bad = runner.invoke(
        app, ["grade", "cifar", str(reference)], env={"GRADER_CIFAR_DIR": str(folder)}
    )
    assert bad.exit_code == 2
    assert "truncated or foreign" in bad.output


def failures(report) -> str:
    return "\n".join(f"{r.name}\n{r.feedback}" for r in report.results if not r.passed)


@pytest.mark.parametrize(
    ("layers", "optim"),
    [
        ("layers/correct_alt/layers.py", "optimizers/correct_alt/optim.py"),
        ("layers/correct_cs231n_style.py", "optimizers/correct_eps_inside_sqrt/optim.py"),
    ],
)
def test_correct_pieces_written_differently_score_full_marks(
    tmp_path: Path, layers: str, optim: str
) -> None:
    submission = cifar_submission(tmp_path / "submission", layers=CORPORA / layers)
    (submission / "optim.py").write_text((CORPORA / optim).read_text())
    for seed in (0, 1):
        report = grade("cifar", submission, GradeOptions(seed=seed, timeout=5.0))
        assert report.score == report.max_score == 20, failures(report)


def networks_using(piece: tuple[str, ...]) -> tuple[str, ...]:
    """The networks whose gradings call one of the piece's functions (`AssignmentSpec.calls`):
    the others assemble none of its code."""
    (spec,) = load_assignment("cifar")
    used = tuple(f.name for f in spec.functions if spec.calls(f.name) & set(piece))
    assert used, piece
    return used


@pytest.mark.parametrize(("index", "fragment"), list(enumerate(sorted(BREAKS_TRAINING))))
def test_a_broken_piece_loses_points_and_is_named(
    index: int, fragment: str, tmp_path: Path
) -> None:
    """Graded on one network that uses the piece, taken in turn among those that do: the
    mistakes are spread over the networks, each graded once (a network's checks that meet a
    broken piece train it to the end of their budget and then look for the suspect)."""
    layers = {layer.name: layer.functions for layer in LAYERS}
    piece = layers.get(BREAKS_TRAINING[fragment], (BREAKS_TRAINING[fragment],))
    submission = cifar_submission(tmp_path / "s", CORPORA / fragment)
    networks = networks_using(piece)
    only = (networks[index % len(networks)],)
    report = graded(submission, replace(FAST, only=only), assignment="cifar")
    assert report.score < report.max_score
    feedback = failures(report)
    assert any(function in feedback for function in piece), feedback
    for suspects in re.findall(r"Suspects?: ([^.]*)\.", feedback):
        assert suspects == named(piece), feedback


@pytest.mark.slow
def test_training_diagnostics_are_reported_not_scored(tmp_path: Path) -> None:
    report = graded(reference_submission(tmp_path / "reference"), assignment="cifar")
    text = render_text(report)
    assert "|Δw1|/|w1|" in text and "reference loss" in text
    write_markdown(report, tmp_path / "report.md")
    assert len(list((tmp_path / "report_plots").glob("*.png"))) == 4
    overfits = [r for r in report.results if r.kind == "network_overfits"]
    assert all(r.passed and r.attachments.plots[0].log_y for r in overfits)


@pytest.mark.slow
def test_the_same_seed_gives_the_same_cifar_report(tmp_path: Path) -> None:
    submission = cifar_submission(tmp_path / "submission", CORPORA / next(iter(BREAKS_TRAINING)))
    first, second = (grade("cifar", submission, GradeOptions(seed=5)) for _ in range(2))
    assert render_text(first) == render_text(second)
