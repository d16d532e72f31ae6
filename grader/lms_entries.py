"""Which entries of a class folder are whose: LMS download names mapped to the LMS's ids.

A Canvas or Moodle name claims its entry for the student id the LMS gives it (several files
of one student become one submission); a Gradescope export's `submission_<id>/` folder is
claimed for each of its submitters (`submission_metadata.yml`); any other entry for its
name without suffix. A file the LMS renamed is graded under the name the student gave it,
from a copy in a staging folder (times kept). Student files are read and copied, never run.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from grader.lms_names import (
    CANVAS,
    GRADESCOPE_METADATA,
    MOODLE,
    LmsIdentity,
    gradescope_submitters,
    parse_download_name,
)
from grader.submission import SubmissionError


@dataclass(frozen=True)
class Claim:
    """One student's entries, and who the LMS says they are."""

    student: str
    paths: tuple[Path, ...]
    identity: LmsIdentity | None = None

    @property
    def combined(self) -> bool:
        """Several files the LMS renamed, with distinct names as handed in: one submission
        (any other pair of entries is a clash: we cannot tell which one counts)."""
        originals = [self.original(path) for path in self.paths]
        return (
            all(originals) and len(set(originals)) == len(originals) and self.identity is not None
        )

    def original(self, path: Path) -> str:
        """The name `path` was handed in under, when an LMS renamed it; else ""."""
        if path.is_dir():
            return ""
        identity = parse_download_name(path.name)
        return identity.original if identity else ""

    @property
    def submitted_at(self) -> datetime:
        """When the LMS says it was submitted, else the newest file time of the entries."""
        if self.identity is not None and self.identity.submitted_at is not None:
            return self.identity.submitted_at
        return max(file_time(path) for path in self.paths)

    @property
    def on_time_by_lms(self) -> bool:
        """Canvas marks late work in the name (its own due dates, extensions included), so a
        Canvas file without the mark is on time whatever its file time says."""
        return self.identity is not None and self.identity.lms == CANVAS and not self.identity.late


def file_time(path: Path) -> datetime:
    """A file's modification time, or a folder's newest file's (the folder's own if empty)."""
    files = [path] if not path.is_dir() else [p for p in path.rglob("*") if p.is_file()] or [path]
    newest = max(file.lstat().st_mtime for file in files)
    return datetime.fromtimestamp(newest, timezone.utc)


def file_claim(path: Path) -> Claim:
    """An entry's student: the LMS id its name carries, else its name without suffix."""
    identity = parse_download_name(path.name)
    if identity is not None and (identity.lms == MOODLE or not path.is_dir()):
        return Claim(identity.lms_id, (path,), identity)
    return Claim(path.name if path.is_dir() else path.stem, (path,))


def read_gradescope_metadata(folder: Path) -> dict[str, tuple[LmsIdentity, ...]]:
    """The submitters of each `submission_<id>/` folder of a Gradescope export (none when
    `folder` holds no `submission_metadata.yml`)."""
    path = folder / GRADESCOPE_METADATA
    if not path.is_file():
        return {}
    try:
        import yaml  # only a Gradescope export needs it: the `lms` extra
    except ImportError:
        raise SubmissionError(
            f"{path}: reading a Gradescope export needs PyYAML: pip install pyyaml"
        ) from None

    try:
        metadata = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise SubmissionError(f"{path}: not readable as Gradescope's metadata ({error})") from None
    if not isinstance(metadata, dict):
        raise SubmissionError(f"{path}: not Gradescope's metadata (expected submission_<id> keys)")
    return gradescope_submitters(metadata)


def claim_entries(folder: Path, paths: list[Path]) -> list[Claim]:
    """The claims of `paths` (entries of the class folder `folder`), by student."""
    submitters = read_gradescope_metadata(folder)
    by_student: dict[str, list[Path]] = {}
    identities: dict[str, LmsIdentity] = {}
    for path in paths:
        if submitters and path.name == GRADESCOPE_METADATA:
            continue
        claims = [Claim(person.lms_id, (path,), person) for person in submitters.get(path.name, ())]
        for claim in claims or [file_claim(path)]:
            by_student.setdefault(claim.student, []).append(path)
            if claim.identity is not None:
                identities.setdefault(claim.student, claim.identity)
    return [
        Claim(student, tuple(found), identities.get(student))
        for student, found in sorted(by_student.items())
    ]


def stage(claim: Claim, staging: Path) -> Path:
    """What to grade for `claim`: its entry itself, or a copy under the names the student
    gave (a folder of them when the LMS split one submission into several files)."""
    if not any(claim.original(path) for path in claim.paths):
        return claim.paths[0]
    folder = staging / claim.student
    folder.mkdir(parents=True, exist_ok=True)
    for path in claim.paths:
        shutil.copy2(path, folder / (claim.original(path) or path.name))
    return folder / claim.original(claim.paths[0]) if len(claim.paths) == 1 else folder
