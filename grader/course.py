"""Where the course pack is, and the only door from the engine into it.

The engine (`grader`) ships no course content. The course pack is the instructor's folder
that holds `reference/` (solutions, known-mistake variants, assignment specs, input
generators, data) and `assignments/` (the student stubs). It is found, in this order:
`--course DIR` / `$GRADER_COURSE`, the current folder or one above it, the folder the
engine itself was checked out in (an editable install). It is imported only in the
grader's process, never in a worker.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

ENV_VAR = "GRADER_COURSE"
PACKAGE = "reference"
MARKER = Path(PACKAGE) / "assignments" / "__init__.py"


class CourseNotFound(RuntimeError):
    """No course pack here: an instructor command run outside the course folder."""

    def __str__(self) -> str:
        return (
            "no course pack found (a folder holding reference/assignments/): run in the "
            f"course folder, or pass --course DIR or set ${ENV_VAR}"
        )


def is_course_root(path: Path) -> bool:
    return (path / MARKER).is_file()


def _candidates() -> list[Path]:
    if os.environ.get(ENV_VAR):
        return [Path(os.environ[ENV_VAR])]
    here = Path.cwd().resolve()
    return [here, *here.parents, Path(__file__).resolve().parents[1]]


@functools.lru_cache(maxsize=1)
def course_root() -> Path:
    """The course pack's folder; raises CourseNotFound when there is none."""
    for candidate in _candidates():
        if is_course_root(candidate):
            return candidate.resolve()
    raise CourseNotFound


def available() -> bool:
    try:
        course_root()
    except CourseNotFound:
        return False
    return True


def use_course(path: Path) -> None:
    """Grade with the course pack in `path` from now on (the CLI's --course)."""
    if not is_course_root(Path(path)):
        raise CourseNotFound
    os.environ[ENV_VAR] = str(Path(path).resolve())
    course_root.cache_clear()


def import_module(name: str) -> ModuleType:
    """Import `reference.<...>` from the course pack (in the grader's process only)."""
    root = str(course_root())
    if root not in sys.path:
        sys.path.insert(0, root)
    return importlib.import_module(name)


def reference_dir() -> Path:
    return course_root() / PACKAGE


_kit: tuple[dict[str, object], dict[str, bytes]] | None = None


@contextlib.contextmanager
def kit_in_use(specs: dict[str, object], resources: dict[str, bytes]) -> Iterator[None]:
    """Grade from a student kit meanwhile: its assignment specs and data files stand in
    for the course pack (grader.kit)."""
    global _kit
    previous, _kit = _kit, (dict(specs), dict(resources))
    try:
        yield
    finally:
        _kit = previous


def kit_specs() -> dict[str, object] | None:
    """The assignment specs of the student kit in use, or None with a course pack."""
    return None if _kit is None else _kit[0]


def read_resource(relative: str) -> bytes:
    """A data file of the course (`reference/RELATIVE`), from the pack or the kit."""
    if _kit is not None:
        return _kit[1][relative]
    return (reference_dir() / relative).read_bytes()


def assignment_modules() -> dict[str, str]:
    """Assignment id -> module of its spec, as the course pack's registry lists them."""
    return dict(import_module(f"{PACKAGE}.assignments").ASSIGNMENTS)
