"""Where a submission defines each graded function, read from its source text with `ast`
in the grader process (student code is never imported here), so that CI annotations of a
failed check land on the student's `def` line."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable

from grader.notebooks import cell_line
from grader.report.model import SourceLocation
from grader.submission import Submission


def _definition_lines(source: str) -> dict[str, int]:
    """The line of each top-level function or class; a later definition replaces an
    earlier one, as when the module is imported."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):  # the report's top states the module's problem
        return {}
    return {
        node.name: node.lineno
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }


def where_defined(
    submission: Submission, names: Iterable[str], module_of: Callable[[str], str]
) -> dict[str, SourceLocation]:
    """The definition of each of `names` in the module the grading calls it in
    (`module_of`), as the student knows the file: a notebook's cell and line rather than
    the module made from it. Functions not defined there are left out."""
    lines: dict[str, dict[str, int]] = {}
    located = {}
    for name in names:
        module = f"{module_of(name)}.py"
        if module not in lines:
            path = submission.directory / module
            source = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
            lines[module] = _definition_lines(source)
        line = lines[module].get(name)
        if line is None:
            continue
        origin = submission.origins.get(module)
        if origin is None:
            located[name] = SourceLocation(module, line)
        elif where := cell_line(origin.source, line):
            located[name] = SourceLocation(origin.notebook, where[1], cell=where[0])
    return located
