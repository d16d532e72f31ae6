"""Pairwise similarity of students' code with copydetect's fingerprints (winnowing, as MOSS
does), offline.

copydetect tokenizes the code first: every name becomes `V` (functions `F`), strings `S`,
comments and whitespace disappear, so renamed variables, reformatting and reordered
functions change nothing. A fingerprint is a hash of `noise` consecutive characters of
that token text; winnowing keeps one per window, so that every match of at least
`guarantee` characters is found. Fingerprints that the starter code also has are dropped
(copydetect's boilerplate), so the shared stubs are nobody's copying. A student's share is
the part of their own code (what is left after the starter code) found in the other's.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import io
import itertools
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING
from unittest import mock

import numpy as np

from grader.installed import MissingPackages
from grader.similarity.sources import StudentCode

if TYPE_CHECKING:
    from copydetect import CodeFingerprint

NOISE_THRESHOLD = 25  # copydetect's defaults: every match of 25 token characters is found
GUARANTEE_THRESHOLD = 25
LANGUAGE = "python"

Span = tuple[int, int]  # a matched stretch of a student's text: [start, end) characters


@dataclass(frozen=True)
class Thresholds:
    noise: int = NOISE_THRESHOLD
    guarantee: int = GUARANTEE_THRESHOLD

    def __post_init__(self) -> None:
        if self.noise < 1:
            raise ValueError(f"the noise threshold must be at least 1 (got {self.noise})")
        if self.guarantee < self.noise:
            raise ValueError(
                f"the guarantee threshold ({self.guarantee}) must be at least the noise "
                f"threshold ({self.noise})"
            )

    @property
    def window(self) -> int:
        """Winnowing's window: 1 keeps every fingerprint (exact, the most work)."""
        return self.guarantee - self.noise + 1


@dataclass(frozen=True)
class Side:
    """One student of a pair: how much of their own code the other's contains, and where."""

    student: str
    share: float  # 0..1
    spans: tuple[Span, ...]
    lines: int  # lines of the student's text touched by a match


@dataclass(frozen=True)
class Pair:
    first: Side
    second: Side
    tokens: int  # token characters of the first student's code matched

    @property
    def score(self) -> float:
        """The larger share: one student's whole work inside a longer one is a copy too."""
        return max(self.first.share, self.second.share)


def copydetect() -> ModuleType:
    """copydetect, imported when needed (it loads matplotlib), or MissingPackages saying
    how to install it (an optional extra)."""
    try:
        return importlib.import_module("copydetect")
    except ImportError:
        raise MissingPackages(
            f"grader similarity needs copydetect, which this Python environment "
            f"({sys.executable}) cannot import; install it with: "
            "pip install 'dl-autograder[similarity]'"
        ) from None


def stable_kgram_hashes(text: str, k: int) -> np.ndarray:
    """copydetect's `hashed_kgrams` with a hash that is the same in every process."""
    grams = (text[start : start + k].encode() for start in range(len(text) - k + 1))
    return np.array(
        [
            int.from_bytes(hashlib.blake2b(gram, digest_size=8).digest(), "little", signed=True)
            for gram in grams
        ],
        dtype=np.int64,
    )


@contextlib.contextmanager
def stable_hashes() -> Iterator[None]:
    """copydetect hashes k-grams with Python's `hash`, salted per process; winnowing keeps
    the smallest hash of each window, so its fingerprints, and the scores, would change
    from one run to the next. Same input, same report: a hash that is not salted."""
    with mock.patch.object(copydetect().utils, "hashed_kgrams", stable_kgram_hashes):
        yield


def boilerplate_hashes(starter: Sequence[str], thresholds: Thresholds) -> np.ndarray:
    """Every fingerprint of the starter code (not winnowed: all of them)."""
    hashes: set[int] = set()
    for text in starter:
        hashes |= fingerprint(text, thresholds.noise, 1, np.array([], dtype=np.int64)).hashes
    return np.array(sorted(hashes), dtype=np.int64)


def fingerprint(text: str, noise: int, window: int, boilerplate: np.ndarray) -> CodeFingerprint:
    """copydetect's fingerprint of Python source (read from the text, not a file)."""
    return copydetect().CodeFingerprint(
        f"code.{LANGUAGE}", noise, window, boilerplate, language=LANGUAGE, fp=io.StringIO(text)
    )


def touched_lines(text: str, spans: Sequence[Span]) -> int:
    """How many lines of `text` a match covers, at least in part."""
    lines: set[int] = set()
    for start, end in spans:
        first = text.count("\n", 0, start)
        lines.update(range(first, first + text.count("\n", start, max(start, end - 1)) + 1))
    return len(lines)


def spans_of(slices: np.ndarray) -> tuple[Span, ...]:
    """copydetect's slices (starts in row 0, ends in row 1) as plain pairs."""
    if slices.size == 0:
        return ()
    return tuple((int(start), int(end)) for start, end in zip(slices[0], slices[1], strict=True))


def compare_pair(
    first: StudentCode, second: StudentCode, prints: dict[str, CodeFingerprint]
) -> Pair:
    tokens, shares, slices = copydetect().compare_files(
        prints[first.student], prints[second.student]
    )
    sides = []
    for code, share, found in zip((first, second), shares, slices, strict=True):
        spans = spans_of(np.asarray(found))
        sides.append(Side(code.student, float(share), spans, touched_lines(code.text, spans)))
    return Pair(sides[0], sides[1], int(tokens))


def ranked(pairs: Sequence[Pair]) -> list[Pair]:
    """Most similar first; ties by matched size, then by the students' ids."""
    return sorted(
        pairs, key=lambda pair: (-pair.score, -pair.tokens, pair.first.student, pair.second.student)
    )


def compare_class(
    codes: Sequence[StudentCode], starter: Sequence[str], thresholds: Thresholds
) -> tuple[list[Pair], list[str]]:
    """Every pair of students (ids in order within a pair), ranked; and the students with
    no code of their own beyond the starter code (they share nothing with anyone)."""
    codes = sorted(codes, key=lambda code: code.student)
    with stable_hashes():
        boilerplate = boilerplate_hashes(starter, thresholds)
        prints = {
            code.student: fingerprint(code.text, thresholds.noise, thresholds.window, boilerplate)
            for code in codes
        }
    pairs = [compare_pair(a, b, prints) for a, b in itertools.combinations(codes, 2)]
    starter_only = [student for student, found in prints.items() if not found.token_coverage]
    return ranked(pairs), starter_only
