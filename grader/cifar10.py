"""CIFAR-10 images for the `cifar` assignment: the 20-image sample shipped with the grader,
or the real `cifar-10-batches-py` folder an instructor points at (never the network).

The batches are pickles; they are read with an unpickler that can only rebuild plain
containers and numpy arrays, so a foreign or tampered file is an error, not code run.
"""

from __future__ import annotations

import functools
import io
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from grader import course

SAMPLE = "data/cifar10_test_first20.npz"
ENV_VAR = "GRADER_CIFAR_DIR"
TRAIN_BATCHES = tuple(f"data_batch_{i}" for i in range(1, 6))
CLASSES = 10
PIXELS = 32 * 32 * 3
SUBSET = 20  # images the overfit and sanity checks use, whatever the source
ALLOWED_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("_codecs", "encode"),
}


class DatasetError(ValueError):
    """The CIFAR-10 data an instructor named cannot be used (path, truncation, format)."""


@dataclass(frozen=True)
class ImageSet:
    """Flattened float64 images ready for a network, with their labels and origin."""

    x: np.ndarray  # (N, 3072), mean image subtracted, scaled to unit pixel std
    y: np.ndarray  # (N,) int64 in 0..9
    source: str


class _ArraysOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> object:
        if (module, name) in ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing to load {module}.{name}")


def read_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """One `cifar-10-batches-py` file: uint8 images (n, 3072) in CHW order and labels."""
    if not path.is_file():
        raise DatasetError(f"{path}: missing (a cifar-10-batches-py folder holds {path.name})")
    try:
        batch = _ArraysOnly(io.BytesIO(path.read_bytes()), encoding="bytes").load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError) as error:
        raise DatasetError(
            f"{path}: not a readable CIFAR-10 batch (truncated or foreign file: {error})"
        ) from None
    if not isinstance(batch, dict) or b"data" not in batch or b"labels" not in batch:
        raise DatasetError(f"{path}: not a CIFAR-10 batch (expected a dict with data and labels)")
    data, labels = batch[b"data"], np.asarray(batch[b"labels"])
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2:
        raise DatasetError(f"{path}: data should be a uint8 array (n, {PIXELS})")
    if data.shape[1] != PIXELS or labels.shape != (data.shape[0],):
        raise DatasetError(
            f"{path}: data has shape {data.shape} and {labels.size} labels; "
            f"expected (n, {PIXELS}) with n labels"
        )
    if labels.dtype.kind not in "iu" or labels.min() < 0 or labels.max() >= CLASSES:
        raise DatasetError(f"{path}: labels should be integers in 0..{CLASSES - 1}")
    return data, labels.astype(np.int64)


def training_statistics(images: np.ndarray) -> tuple[np.ndarray, float]:
    """The mean image and the pixel std around it, of flattened uint8 training images."""
    mean = images.mean(axis=0, dtype=np.float64)
    return mean, float(np.sqrt(np.mean((images - mean) ** 2)))


def preprocess(images: np.ndarray, statistics: tuple[np.ndarray, float]) -> np.ndarray:
    """As in the lectures: float64, the training mean image subtracted, flattened; then
    divided by the training pixel std so that He-initialized layers start at unit scale."""
    mean, scale = statistics
    return (images.reshape(images.shape[0], -1).astype(np.float64) - mean) / scale


@functools.cache
def load_sample() -> ImageSet:
    """The shipped sample: the first 20 CIFAR-10 test images (HWC uint8)."""
    with np.load(io.BytesIO(course.read_resource(SAMPLE))) as sample:
        images, labels = sample["images"], sample["labels"]
    chw = images.transpose(0, 3, 1, 2).reshape(len(images), -1)
    x = preprocess(chw, training_statistics(chw))
    return ImageSet(x, labels.astype(np.int64), "the 20-image CIFAR-10 test sample shipped")


@functools.cache
def load_directory(directory: Path) -> ImageSet:
    """The first 20 training images of a `cifar-10-batches-py` folder, preprocessed with
    the mean image and pixel std of all its training batches."""
    if not directory.is_dir():
        raise DatasetError(f"{directory}: no such folder (expected cifar-10-batches-py)")
    batches = [read_batch(directory / name) for name in TRAIN_BATCHES]
    statistics = training_statistics(np.concatenate([images for images, _ in batches]))
    first, labels = batches[0]
    x = preprocess(first[:SUBSET], statistics)
    return ImageSet(x, labels[:SUBSET], f"the first {SUBSET} training images in {directory}")


def cifar_directory(given: Path | None) -> Path | None:
    """The folder an instructor named, by option or by the environment variable."""
    if given is not None:
        return Path(given)
    from_env = os.environ.get(ENV_VAR)
    return Path(from_env) if from_env else None


def load_images(directory: Path | None) -> ImageSet:
    """The images the `cifar` checks train on: the real dataset when named, else the sample."""
    return load_sample() if directory is None else load_directory(Path(directory).resolve())
