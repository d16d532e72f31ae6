"""Turn what a student handed in (folder, .zip, .py, .ipynb) into a private folder of modules.

Nothing here runs student code: functions are located by parsing the files (ast), so the
grader knows which file defines which function before the worker imports anything
(`definitions` chooses among several). Junk (`__MACOSX`, `.ipynb_checkpoints`,
`__pycache__`, hidden files) is left out, and folders that only wrap the work (an LMS
download's `Jane Doe_1234/`, CS231n's `assignment2/`) are removed, so the private folder
is the student's working folder: `cs231n/layers.py` stays where the notebooks import it
from. Each top-level notebook `foo.ipynb` is converted (not run) into the module `foo.py`,
or `foo_ipynb.py` when a `foo.py` was handed in too: that one keeps its name, since other
modules may import it. Files keep their modification times (the newest of two different
implementations is graded).
"""

from __future__ import annotations

import calendar
import hashlib
import os
import re
import shutil
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from grader.definitions import Definition, choose, find_definitions, module_named, provenance
from grader.notebooks import NotebookError, cell_line, notebook_source

MAX_FILE_BYTES = 5 * 2**20
MAX_TOTAL_BYTES = 50 * 2**20
SKIPPED_PARTS = {"__pycache__", ".git", ".ipynb_checkpoints", "__MACOSX", ".venv", "venv"}
SOURCE_SUFFIXES = (".py", ".ipynb")


class SubmissionError(Exception):
    """The submission cannot be read at all (a usage error, exit code 2)."""


class Origin(NamedTuple):
    """The notebook a generated module came from, and the module's text (for locating)."""

    notebook: str
    source: str


@dataclass(frozen=True)
class Submission:
    directory: Path
    sha256: str
    definitions: dict[str, tuple[Definition, ...]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    origins: dict[str, Origin] = field(default_factory=dict)  # module file -> its notebook
    modules: tuple[str, ...] = ()  # every .py file, as the worker imports it ("cs231n/layers")

    def locate(self, text: str) -> str:
        """Feedback that points at a line of a module made from a notebook points at the
        notebook's cell instead, and any other mention of that module names the notebook
        (students never see the generated module)."""
        for module, origin in self.origins.items():

            def in_cell(match: re.Match, origin: Origin = origin) -> str:
                where = cell_line(origin.source, int(match.group(1)))
                return f"{origin.notebook}, cell {where[0]}, line {where[1]}" if where else match[0]

            text = re.sub(rf"\b{re.escape(module)}, line (\d+)", in_cell, text)
            text = re.sub(rf"\b{re.escape(module)}\b(?!, line)", origin.notebook, text)
        return text

    def module_of(self, function: str, expected: str) -> str:
        """The module `function` is graded from (`definitions.choose`; `expected` is the
        assignment's module); when no file defines it, the file named like `expected`."""
        chosen = choose(self.definitions.get(function, ()), expected)
        return chosen.module if chosen else module_named(self.modules, expected)

    def provenance(self, expected: Mapping[str, str]) -> tuple[str, ...]:
        """Notes on which file the functions of `expected` (name -> the assignment's
        module) are graded from, for those that several files define."""
        return provenance(self.definitions, expected)


def is_kept(relative: PurePosixPath) -> bool:
    """Whether a file is work, not junk (caches, checkouts, hidden and archiver files)."""
    return not any(part in SKIPPED_PARTS or part.startswith(".") for part in relative.parts)


def _limit(path: Path) -> int:
    """The largest file accepted: a notebook's outputs (plots) may make it large, so it
    counts against the total only, as in a zip."""
    return MAX_TOTAL_BYTES if path.suffix == ".ipynb" else MAX_FILE_BYTES


def _copy_tree(source: Path, target: Path) -> tuple[str, ...]:
    """Copy the work; data files over the limit (CS231n's `cs231n/datasets`) are left
    out, and returned."""
    total, left_out = 0, []
    for path in sorted(source.rglob("*")):
        relative = PurePosixPath(path.relative_to(source).as_posix())
        if path.is_symlink() or not path.is_file() or not is_kept(relative):
            continue
        size = path.stat().st_size
        if size > MAX_FILE_BYTES and path.suffix not in SOURCE_SUFFIXES:
            left_out.append(relative.as_posix())
            continue
        total += size
        if size > _limit(path) or total > MAX_TOTAL_BYTES:
            raise SubmissionError(
                f"{source}: files too large (limit 5 MiB per .py file, 50 MiB in all)"
            )
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        _copy_file(path, destination)
    return tuple(left_out)


def _left_out_note(left_out: tuple[str, ...]) -> tuple[str, ...]:
    """Says which data files were not copied, since the student's code cannot read them."""
    if not left_out:
        return ()
    more = f" and {len(left_out) - 3} more" if len(left_out) > 3 else ""
    listed = ", ".join(left_out[:3]) + more
    return (f"Not copied where your code runs (data files over 5 MiB): {listed}",)


def _copy_file(path: Path, destination: Path) -> None:
    """A copy with the original's modification time (it decides between two files)."""
    shutil.copyfile(path, destination)
    times = path.stat()
    os.utime(destination, ns=(times.st_atime_ns, times.st_mtime_ns))


def _extract_zip(archive: Path, target: Path) -> None:
    try:
        with zipfile.ZipFile(archive) as bundle:
            members = bundle.infolist()
            if sum(member.file_size for member in members) > MAX_TOTAL_BYTES:
                raise SubmissionError(f"{archive}: archive too large when unpacked (50 MiB)")
            for member in members:
                relative = PurePosixPath(member.filename)
                if relative.is_absolute() or ".." in relative.parts:
                    raise SubmissionError(f"{archive}: unsafe path in archive: {member.filename}")
                if member.is_dir() or not is_kept(relative):
                    continue
                destination = target / relative
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(bundle.read(member))
                os.utime(destination, (_seconds(member),) * 2)
    except zipfile.BadZipFile as error:
        raise SubmissionError(f"{archive}: not a valid zip file ({error})") from None


def _seconds(member: zipfile.ZipInfo) -> int:
    """A zip entry's time stamp (local time, read as UTC, the same for every entry)."""
    try:
        return calendar.timegm((*member.date_time, 0, 0, 0))
    except ValueError:  # a month or day 0, as some tools write
        return 0


def _unwrap(target: Path) -> PurePosixPath:
    """While `target` holds no Python file or notebook but one folder that is not a
    package, that folder's content becomes `target`'s (the rest there is not graded).
    Returns the folders removed, as a path."""
    removed = PurePosixPath()
    while True:
        entries = list(target.iterdir())
        folders = [entry for entry in entries if entry.is_dir()]
        sources = [entry for entry in entries if entry.suffix in SOURCE_SUFFIXES]
        if sources or len(folders) != 1 or (folders[0] / "__init__.py").exists():
            return removed
        removed /= folders[0].name
        inner = folders[0].rename(target / ".unwrapping")  # a child may share its name
        for entry in entries:
            if entry != folders[0]:
                entry.unlink()
        for child in inner.iterdir():
            child.rename(target / child.name)
        inner.rmdir()


def tree_digest(directory: Path, keep: Callable[[PurePosixPath], bool] | None = None) -> str:
    """A digest of a folder's files (those `keep` accepts) by relative path and content."""
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*")):
        relative = PurePosixPath(path.relative_to(directory).as_posix())
        if path.is_file() and (keep is None or keep(relative)):
            digest.update(str(relative).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _convert_notebooks(directory: Path, handed_in: Path) -> dict[str, Origin]:
    """Write each top-level notebook's code beside it as a module; returns which module
    came from which notebook. Errors name the notebook as part of `handed_in` (with the
    wrapping folders removed), not as the private copy."""
    origins = {}
    for notebook in sorted(path for path in directory.glob("*.ipynb") if path.is_file()):
        module = notebook.with_suffix(".py")
        while module.exists():
            module = module.with_name(f"{module.stem}_ipynb.py")
        shown_as = handed_in if handed_in.suffix == ".ipynb" else handed_in / notebook.name
        try:
            source = notebook_source(notebook, shown_as)
        except NotebookError as error:
            raise SubmissionError(str(error)) from None
        module.write_text(source, encoding="utf-8")
        origins[module.name] = Origin(notebook.name, source)
    return origins


def load_submission(path: Path, target: Path) -> Submission:
    """Normalize `path` into the empty folder `target`."""
    path = Path(path)
    if not path.exists():
        raise SubmissionError(f"{path}: no such file or directory")
    target.mkdir(parents=True, exist_ok=True)
    left_out: tuple[str, ...] = ()
    if path.is_dir():
        left_out = _copy_tree(path, target)
    elif path.suffix == ".zip":
        _extract_zip(path, target)
    elif path.suffix in SOURCE_SUFFIXES:
        if path.stat().st_size > _limit(path):
            raise SubmissionError(f"{path}: file too large (limit {_limit(path) // 2**20} MiB)")
        _copy_file(path, target / path.name)
    else:
        raise SubmissionError(
            f"{path}: not a submission (expected a folder, a .zip, a .py file or a .ipynb notebook)"
        )
    origins = _convert_notebooks(target, path / _unwrap(target))
    modules = tuple(
        module.relative_to(target).as_posix().removesuffix(".py")
        for module in sorted(target.rglob("*.py"))
    )
    if not modules:
        raise SubmissionError(f"{path}: contains no Python files or notebooks")
    notebooks = {module: origin.notebook for module, origin in origins.items()}
    definitions, notes = find_definitions(target, notebooks)
    notes = _left_out_note(left_out) + notes
    return Submission(target, tree_digest(target), definitions, notes, origins, modules)
