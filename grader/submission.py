"""Turn what a student handed in (folder, .zip, .py) into a private folder of modules.

Nothing here runs student code: functions are located by parsing the files (ast), so the
grader knows which module defines which function before the worker imports anything.
"""

from __future__ import annotations

import ast
import hashlib
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MAX_FILE_BYTES = 5 * 2**20
MAX_TOTAL_BYTES = 50 * 2**20
SKIPPED_PARTS = {"__pycache__", ".git", ".ipynb_checkpoints", "__MACOSX", ".venv", "venv"}


class SubmissionError(Exception):
    """The submission cannot be read at all (a usage error, exit code 2)."""


@dataclass(frozen=True)
class Submission:
    directory: Path
    sha256: str
    definitions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def module_of(self, function: str, expected: str) -> str:
        """The module that defines `function`: the expected one first, else any other."""
        modules = self.definitions.get(function, ())
        if expected in modules or not modules:
            return expected
        return modules[0]


def _keep(relative: PurePosixPath) -> bool:
    return not any(part in SKIPPED_PARTS or part.startswith(".") for part in relative.parts)


def _copy_tree(source: Path, target: Path) -> None:
    total = 0
    for path in sorted(source.rglob("*")):
        relative = PurePosixPath(path.relative_to(source).as_posix())
        if path.is_symlink() or not path.is_file() or not _keep(relative):
            continue
        size = path.stat().st_size
        total += size
        if size > MAX_FILE_BYTES or total > MAX_TOTAL_BYTES:
            raise SubmissionError(f"{source}: files too large (limit 5 MiB each, 50 MiB total)")
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)


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
                if member.is_dir() or not _keep(relative):
                    continue
                destination = target / relative
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(bundle.read(member))
    except zipfile.BadZipFile as error:
        raise SubmissionError(f"{archive}: not a valid zip file ({error})") from None
    entries = [entry for entry in target.iterdir()]
    if len(entries) == 1 and entries[0].is_dir() and not list(target.glob("*.py")):
        inner = entries[0]
        for child in inner.iterdir():
            shutil.move(str(child), target / child.name)
        inner.rmdir()


def _digest(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _top_level_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.ImportFrom):
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def _definitions(directory: Path) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    notes = []
    for path in sorted(directory.glob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
        except SyntaxError as error:
            notes.append(f"{path.name} has a syntax error on line {error.lineno}: {error.msg}")
            continue
        for name in _top_level_names(tree):
            found.setdefault(name, []).append(path.stem)
    return {name: tuple(modules) for name, modules in found.items()}, tuple(notes)


def load_submission(path: Path, target: Path) -> Submission:
    """Normalize `path` into the empty folder `target`."""
    path = Path(path)
    if not path.exists():
        raise SubmissionError(f"{path}: no such file or directory")
    target.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        _copy_tree(path, target)
    elif path.suffix == ".zip":
        _extract_zip(path, target)
    elif path.suffix == ".py":
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SubmissionError(f"{path}: file too large (limit 5 MiB)")
        shutil.copyfile(path, target / path.name)
    else:
        raise SubmissionError(f"{path}: not a submission (expected a folder, a .zip or a .py file)")
    if not list(target.glob("*.py")):
        raise SubmissionError(f"{path}: contains no Python files")
    definitions, notes = _definitions(target)
    return Submission(target, _digest(target), definitions, notes)
