"""Jupyter notebooks as submissions, and the starter notebook of an assignment.

A notebook's code cells become one Python module without running anything: IPython syntax
that is not Python (magics, shell escapes, help) and the in-notebook checker's lines
(`import grader`, `grader.check(...)`: the grader is hidden from the worker) are blanked
line by line, so the module parses, its functions are located like any module's, and line
numbers stay countable per cell (a `# cell N` line precedes the lines of the notebook's
N-th cell). The worker recognizes a module that starts with such a line and runs it cell
by cell, so one failing cell does not keep the others from being graded.
"""

from __future__ import annotations

import ast
import json
import re
import textwrap
import warnings
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader.assignments import load_assignment
from grader.starter import expected_stubs, starter_modules, stub_path

CELL_MARKER = "# cell {}"
_MARKER = re.compile(r"# cell (\d+)")
_ESCAPES = ("%", "!", "?")  # line magic, shell escape, help (`?name`)
_ASSIGNED = re.compile(r"[\w.\[\], ]+=\s*[%!]")  # files = !ls, t = %time f()
_HELP = re.compile(r"[\w.*]+\?{1,2}")  # np.sum?, np.*sum*??
# the in-notebook checker (grader.live): the grader is not there when the notebook is graded
_CHECKER = re.compile(r"(?:import|from)\s+grader\b|grader\.check\(")
_METADATA = {
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python"},
}
_INSTRUCTIONS = """\
# {title}

Implement the functions below. Each code cell holds one function: its docstring says what
it must compute, and its body raises `NotImplementedError` until you replace it.

{functions}

**Checking your work.** Run the last cell: `grader.check("{assignment}")` checks the
functions as this notebook's kernel defines them now (run a function's cell after changing
it; saving is not needed), and `grader.check("{assignment}", "name")` one function (or
several). In a terminal, `grader check {assignment} {assignment}.ipynb` checks the saved
notebook. Both need the checker installed (see the kit's README).

**How the notebook is graded.** Only code cells count: markdown cells and outputs are
ignored, and so are IPython magics (`%...` lines, and whole cells that start with `%%`,
`%%time` included), shell commands (`!...`), help (`name?`) and the checker's own lines
(`import grader`, `grader.check(...)`). Each function may live in any code cell, and you
may add cells of your own. Every code cell runs, top to bottom, when the notebook is
graded; a cell that fails (one that reads a file only you have, say) is reported, the later
cells still run, but what it would have defined is missing.
"""


class NotebookError(ValueError):
    """A file that is not a readable Jupyter notebook (the message names it)."""


def _read_notebook(path: Path, shown_as: Path) -> nbformat.NotebookNode:
    """The notebook at `path` in format 4; anything else is a NotebookError naming it
    `shown_as`."""
    try:
        text = path.read_text(encoding="utf-8")
        content = json.loads(text)
    except ValueError as error:  # undecodable bytes or not JSON
        raise NotebookError(f"{shown_as}: not a Jupyter notebook (not JSON: {error})") from None
    if not isinstance(content, dict) or "nbformat" not in content:
        raise NotebookError(f"{shown_as}: not a Jupyter notebook (JSON without nbformat version)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # missing cell ids and the like, which nbformat fixes
            notebook = nbformat.reads(text, as_version=4)
            nbformat.validate(notebook)
    except Exception as error:  # nbformat signals a malformed notebook with many exception types
        raise NotebookError(
            f"{shown_as}: not a valid Jupyter notebook ({_complaint(error)})"
        ) from None
    return notebook


def _complaint(error: Exception) -> str:
    """The first line of nbformat's complaint, and where in the notebook it applies."""
    text = str(getattr(error, "message", error)).strip()
    first = text.splitlines()[0] if text else type(error).__name__
    where = "/".join(str(part) for part in getattr(error, "absolute_path", ()))
    return textwrap.shorten(first, 200, placeholder=" ...") + (f" at {where}" if where else "")


def notebook_source(path: Path, shown_as: Path | None = None) -> str:
    """The notebook's code cells as one module, one line per cell line (nothing is run).
    Errors name the file `shown_as` (the student's own path to it) if given."""
    lines = []
    for number, cell in enumerate(_read_notebook(path, shown_as or path).cells, 1):
        if cell.cell_type == "code":
            lines += [CELL_MARKER.format(number), *_python_lines(cell.source)]
    return "".join(f"{line}\n" for line in lines)


def cell_sources(source: str) -> list[str]:
    """The text of each code cell of a `notebook_source` module, in order (what the
    worker runs one by one)."""
    return re.split(r"^# cell \d+\n", source, flags=re.MULTILINE)[1:]


def cell_line(source: str, line: int) -> tuple[int, int] | None:
    """Which notebook cell, and which line of it, line `line` of `notebook_source` came from."""
    above = source.splitlines()[: line - 1]
    for index in range(len(above) - 1, -1, -1):
        if match := _MARKER.fullmatch(above[index]):
            return int(match.group(1)), line - 1 - index
    return None


def _python_lines(cell: str) -> list[str]:
    """A cell's lines with IPython-only statements blanked: `pass` inside a block (which
    may have no other statement), an empty line at the top level."""
    lines = textwrap.dedent(cell).splitlines()  # IPython too runs an indented cell dedented
    if next((line for line in lines if line.strip()), "").startswith("%%"):
        return [""] * len(lines)
    result, scanner, blank, checker = [], _StatementStarts(), None, False
    for line in lines:
        if blank is None and scanner.at_start and _is_ipython(line.strip()):
            indent = line[: len(line) - len(line.lstrip())]
            blank = f"{indent}pass" if indent else ""
            checker = bool(_CHECKER.match(line.strip()))
        if blank is None:
            scanner.feed(line)
            result.append(line)
            continue
        result.append(blank)
        if checker:  # Python: it ends where its brackets close
            scanner.feed(line)
            blank = None if scanner.at_start else blank
        elif not line.endswith("\\"):  # a magic or shell line continued by a backslash goes too
            blank = None
    return result


def _is_ipython(statement: str) -> bool:
    return statement.startswith(_ESCAPES) or bool(
        _ASSIGNED.match(statement) or _HELP.fullmatch(statement) or _CHECKER.match(statement)
    )


class _StatementStarts:
    """Whether the next line begins a statement: not inside brackets, a string or a
    backslash continuation (a lexical scan, so a `%` line inside a string stays)."""

    def __init__(self) -> None:
        self.depth, self.quote, self.continued = 0, "", False

    @property
    def at_start(self) -> bool:
        return not (self.depth or self.quote or self.continued)

    def feed(self, line: str) -> None:
        index, self.continued = 0, False
        while index < len(line):
            char = line[index]
            if self.quote:
                if char == "\\":
                    index += 2
                elif line.startswith(self.quote, index):
                    index, self.quote = index + len(self.quote), ""
                else:
                    index += 1
            elif char == "#":
                break
            elif char in "'\"":
                self.quote = char * 3 if line.startswith(char * 3, index) else char
                index += len(self.quote)
            else:
                self.depth = max(0, self.depth + (char in "([{") - (char in ")]}"))
                self.continued = char == "\\" and index == len(line) - 1
                index += 1
        if len(self.quote) == 1 and index == len(line):  # a short string ends with its line
            self.quote = ""


def starter_notebook(assignment: str) -> nbformat.NotebookNode:
    """The stubs of an assignment as a notebook: instructions, each module's header, one
    cell per function, and a last cell that runs the public checks."""
    stubs = expected_stubs()
    code, listing = [], []
    for module in starter_modules()[assignment]:
        header, functions = _top_level_pieces(stubs[stub_path(assignment, module)])
        code.append(new_code_cell(header, id=f"{module}-header"))
        code += [new_code_cell(text, id=f"{module}-{name}") for name, text in functions]
        listing.append(f"- `{module}`: " + ", ".join(f"`{name}`" for name, _ in functions))
    instructions = _INSTRUCTIONS.format(
        title=load_assignment(assignment)[0].title,
        functions="\n".join(listing),
        assignment=assignment,
    )
    check = f'import grader\n\ngrader.check("{assignment}")'
    cells = [
        new_markdown_cell(instructions.strip(), id="instructions"),
        *code,
        new_code_cell(check, id="check"),
    ]
    notebook = new_notebook(cells=cells, metadata=_METADATA)
    nbformat.validate(notebook)
    return notebook


def _top_level_pieces(source: str) -> tuple[str, list[tuple[str, str]]]:
    """A module's header (docstring, imports) and the text of each top-level definition."""
    lines = source.splitlines(keepends=True)
    nodes = [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    ]
    starts = [min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1 for node in nodes]
    ends = [*starts[1:], len(lines)]
    header = "".join(lines[: starts[0] if starts else len(lines)]).strip()
    pieces = [
        (node.name, "".join(lines[start:end]).strip())
        for node, start, end in zip(nodes, starts, ends, strict=True)
    ]
    return header, pieces
