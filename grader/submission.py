"""Turn what a student handed in (folder, .zip, .py, .ipynb) into a private folder of modules.

Nothing here runs student code: functions are located by parsing the files (ast), so the
grader knows which module defines which function before the worker imports anything.
Each top-level notebook `foo.ipynb` is converted (not run) into the module `foo.py`, or
`foo_ipynb.py` when a `foo.py` was handed in too: that one keeps its name, since other
modules may import it, and a function both define is taken from it.
"""

from __future__ import annotations

import ast
import hashlib
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from grader.notebooks import NotebookError, cell_line, cell_sources, notebook_source

MAX_FILE_BYTES = 5 * 2**20
MAX_TOTAL_BYTES = 50 * 2**20
SKIPPED_PARTS = {"__pycache__", ".git", ".ipynb_checkpoints", "__MACOSX", ".venv", "venv"}


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
    definitions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    origins: dict[str, Origin] = field(default_factory=dict)  # module file -> its notebook

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


def _convert_notebooks(
    directory: Path, handed_in: Path
) -> tuple[dict[str, Origin], tuple[str, ...]]:
    """Write each top-level notebook's code beside it as a module; returns which module
    came from which notebook, and notes on renamed ones. Errors name the notebook as part
    of `handed_in`, not as the private copy."""
    origins, notes = {}, []
    for notebook in sorted(path for path in directory.glob("*.ipynb") if path.is_file()):
        module = notebook.with_suffix(".py")
        while module.exists():
            module = module.with_name(f"{module.stem}_ipynb.py")
        if module.stem != notebook.stem:
            notes.append(
                f"{notebook.name} is graded as module {module.stem}, since {notebook.stem}.py "
                f"was handed in too; a function both define is taken from {notebook.stem}.py"
            )
        shown_as = handed_in if handed_in.suffix == ".ipynb" else handed_in / notebook.name
        try:
            source = notebook_source(notebook, shown_as)
        except NotebookError as error:
            raise SubmissionError(str(error)) from None
        module.write_text(source, encoding="utf-8")
        origins[module.name] = Origin(notebook.name, source)
    return origins, tuple(notes)


def _syntax_note(name: str, source: str, error: SyntaxError | ValueError, notebook: str) -> str:
    line = getattr(error, "lineno", None)
    message = getattr(error, "msg", str(error))
    if notebook and line and (where := cell_line(source, line)):
        return f"{notebook} has a syntax error in cell {where[0]}, line {where[1]}: {message}"
    return f"{name} has a syntax error" + (f" on line {line}" if line else "") + f": {message}"


def _parsed(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        return None


def _definitions(
    directory: Path, origins: dict[str, Origin]
) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    notes = []
    for path in sorted(directory.glob("*.py")):
        source = path.read_text(encoding="utf-8", errors="replace")
        origin = origins.get(path.name)
        try:
            trees = [ast.parse(source)]
        except (SyntaxError, ValueError) as error:  # ValueError: a null byte, before 3.11
            notebook = origin.notebook if origin else ""
            notes.append(_syntax_note(path.name, source, error, notebook))
            # the worker runs a notebook cell by cell: the cells that parse still count
            trees = list(filter(None, map(_parsed, cell_sources(source)))) if origin else []
        for name in set().union(*map(_top_level_names, trees)):
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
    elif path.suffix in (".py", ".ipynb"):
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SubmissionError(f"{path}: file too large (limit 5 MiB)")
        shutil.copyfile(path, target / path.name)
    else:
        raise SubmissionError(
            f"{path}: not a submission (expected a folder, a .zip, a .py file or a .ipynb notebook)"
        )
    origins, renamed = _convert_notebooks(target, path)
    if not list(target.glob("*.py")):
        raise SubmissionError(f"{path}: contains no Python files or notebooks")
    definitions, notes = _definitions(target, origins)
    return Submission(target, _digest(target), definitions, renamed + notes, origins)
