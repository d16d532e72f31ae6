"""Which handed-in file each function is graded from.

A submission may define a function in several files: the released kit's `layers.py` stubs
beside the notebook the student worked in, CS231n's `cs231n/layers.py` beside notebooks
that import it, a re-downloaded `layers (1).py`. Every file is read (ast, nothing runs) and
the function is graded from one of them by one rule, stated in the report:

1. a file's own code beats a name it only imports, and an implementation beats a stub
   (`stubs.is_stub`), so untouched stubs never shadow the work;
2. among different implementations, a `.py` file named like the assignment's module
   (`layers.py`, `cs231n/layers.py`, `layers (1).py`) beats notebooks and other files,
   then the most recently modified file wins (ties: top-level, then by name).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from grader.notebooks import cell_line, cell_sources
from grader.stubs import is_stub

_COPY_SUFFIX = re.compile(r"(?:\s*\(\d+\)|-\d+|\s+copy)+$", re.IGNORECASE)  # "layers (1)"
RULE = "a .py file named like the module ({module}.py) first, then the most recently modified file"


@dataclass(frozen=True)
class Definition:
    """One top-level definition of a name in one handed-in file."""

    file: str  # as the student knows it: "cs231n/layers.py", "layers.ipynb"
    module: str  # what the worker imports: "cs231n/layers", "layers_ipynb"
    notebook: bool
    imported: bool  # `from x import name`: code written elsewhere
    stub: bool  # read only when several files define the name, like `code`
    code: str  # the definition without its docstring (equal text: the same implementation)
    modified: int  # the file's modification time, in whole seconds

    def named(self, module: str) -> bool:
        """Whether this is a .py file named like `module`."""
        return not self.notebook and named_like(self.file, module)


def named_like(file: str, module: str) -> bool:
    """Whether `file`'s name is `module`'s, up to folders, extension, case and copy suffixes
    ("cs231n/layers.py", "Layers (1).py", "layers-1.py" for "layers")."""
    return _COPY_SUFFIX.sub("", PurePosixPath(file).stem).lower() == module.lower()


def module_named(modules: Iterable[str], module: str) -> str:
    """The handed-in .py module named like `module` (top-level first), else `module`
    itself (the worker then reports it missing)."""
    named = [found for found in modules if named_like(f"{found}.py", module)]
    return min(named, key=lambda found: (found.count("/"), found), default=module)


def find_definitions(
    directory: Path, notebooks: Mapping[str, str]
) -> tuple[dict[str, tuple[Definition, ...]], tuple[str, ...]]:
    """Every top-level name defined by a .py file under `directory`, with the files that
    define it, and a note for each file that does not parse. `notebooks` maps a module file
    made from a notebook to that notebook's file name."""
    found: dict[str, dict[str, tuple[ast.stmt, dict]]] = {}
    notes = []
    for path in sorted(directory.rglob("*.py")):
        relative = path.relative_to(directory).as_posix()
        notebook = notebooks.get(relative, "")
        source = path.read_text(encoding="utf-8", errors="replace")
        try:
            trees = [ast.parse(source)]
        except (SyntaxError, ValueError) as error:  # ValueError: a null byte, before 3.11
            notes.append(_syntax_note(relative, source, error, notebook))
            # the worker runs a notebook cell by cell: the cells that parse still count
            trees = list(filter(None, map(_parsed, cell_sources(source)))) if notebook else []
        shown = directory / notebook if notebook else path
        where = {
            "file": notebook or relative,
            "module": relative.removesuffix(".py"),
            "notebook": bool(notebook),
            "modified": int(shown.stat().st_mtime),
        }
        for tree in trees:
            for name, node in _top_level(tree):
                # a file that defines a name twice counts with the definition Python keeps
                found.setdefault(name, {})[where["file"]] = (node, where)
    return {name: _described(per_file) for name, per_file in found.items()}, tuple(notes)


def _described(per_file: dict[str, tuple[ast.stmt, dict]]) -> tuple[Definition, ...]:
    """The definitions of one name, one per file. Whether each is a stub and its code are
    read only when more than one file defines the name: they decide nothing otherwise, and
    reading them costs more than the rest of a submission's load."""
    compared = len(per_file) > 1
    return tuple(
        Definition(
            **where,
            imported=isinstance(node, ast.ImportFrom),
            stub=compared and is_stub(node),
            code=_code(node) if compared else "",
        )
        for node, where in per_file.values()
    )


def _top_level(tree: ast.Module) -> Iterable[tuple[str, ast.stmt]]:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield node.name, node
        elif isinstance(node, ast.Assign):
            yield from ((t.id, node) for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.ImportFrom):
            yield from ((alias.asname or alias.name, node) for alias in node.names)


def _code(node: ast.stmt) -> str:
    body = getattr(node, "body", None)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        node = type(node)(**{**vars(node), "body": body[1:]})  # without the docstring
    return ast.dump(node)


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


def candidates(definitions: tuple[Definition, ...]) -> tuple[Definition, ...]:
    """The definitions a function may be graded from: written ones before imports,
    implementations before stubs (rule 1)."""
    written = tuple(d for d in definitions if not d.imported) or definitions
    return tuple(d for d in written if not d.stub) or written


def choose(definitions: tuple[Definition, ...], module: str) -> Definition | None:
    """The definition a function is graded from, `module` being where the assignment
    expects it (rule 2 among the candidates)."""
    found = candidates(definitions)
    return min(found, key=lambda d: _rank(d, module)) if found else None


def _rank(definition: Definition, module: str) -> tuple:
    depth = definition.file.count("/")
    return (not definition.named(module), -definition.modified, depth, definition.file)


def provenance(
    definitions: Mapping[str, tuple[Definition, ...]], expected: Mapping[str, str]
) -> tuple[str, ...]:
    """For the functions of `expected` (name -> module) that several files define, which
    file each is graded from and why: one note per file and reason, in `expected`'s order."""
    grouped: dict[str, list[str]] = {}
    for name, module in expected.items():
        if reason := _reason(definitions.get(name, ()), module):
            grouped.setdefault(reason, []).append(name)
    return tuple(f"{reason}: {', '.join(names)}" for reason, names in grouped.items())


def _reason(definitions: tuple[Definition, ...], module: str) -> str:
    """Why a function is graded from the file chosen; empty when only one file defines
    it, or none implements it."""
    chosen = choose(definitions, module)
    others = [d for d in definitions if not d.imported and d != chosen]
    if chosen is None or chosen.stub or not others:
        return ""
    differing = [d for d in others if not d.stub and d.code != chosen.code]
    if differing:
        return (
            f"Defined differently in {_files([chosen, *differing])}, graded from {chosen.file}, "
            f"{_why(chosen, differing, module)} (rule: {RULE.format(module=module)})"
        )
    kept = "; ".join(
        f"{what} in {_files(group)}"
        for what, group in (
            ("a stub", [d for d in others if d.stub]),
            ("the same code", [d for d in others if not d.stub]),
        )
        if group
    )
    return f"Graded from {chosen.file} ({kept})"


def _why(chosen: Definition, differing: list[Definition], module: str) -> str:
    """Which part of the rule picked `chosen` over the `differing` implementations."""
    if chosen.named(module) and not any(d.named(module) for d in differing):
        return f"the .py file named like the module {module}.py"
    rivals = [d for d in differing if d.named(module) == chosen.named(module)]
    if all(chosen.modified > d.modified for d in rivals):
        return "the most recently modified"
    return "the first by folder depth and name (modified at the same time)"


def _files(definitions: list[Definition]) -> str:
    files = [d.file for d in definitions]
    return files[0] if len(files) == 1 else ", ".join(files[:-1]) + f" and {files[-1]}"
