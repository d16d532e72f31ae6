"""The functions a Jupyter (or Colab, or plain Python) kernel defines, rebuilt as a module.

`grader.check` grades functions as the kernel defines them now, unsaved edits included,
without running student code in its own process: it rebuilds their source here, and only
the grader's worker imports it. Nothing is run or imported here. A function's text comes
from `inspect.getsource` (IPython keeps the code of every cell it ran), else from the last
cell of IPython's input history `In` that defines it (classes, before Python 3.13). What a
definition reads from the kernel's globals comes along: modules and imported functions as
import statements, literal constants as literals, the kernel's other functions and classes
as their source. Anything else (an array, say) cannot be rebuilt from text: a note says so.
"""

from __future__ import annotations

import ast
import inspect
import symtable
import sys
import textwrap
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

KERNEL_MODULE = "__main__"
LITERAL_ITEMS = 10_000  # a constant with more items is not copied (its text would be huge)
_SCALARS = (bool, int, float, complex, str, bytes, type(None))
_CONTAINERS = (tuple, list, set, frozenset, dict)
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class KernelCode:
    """A module made of the kernel's definitions of some names and of what they read."""

    text: str
    defined: tuple[str, ...]  # the names asked for that a cell of the kernel defines
    notes: tuple[str, ...]  # what could not be copied, worded for the student


def kernel_namespace() -> dict[str, object]:
    """The globals of the kernel's cells (IPython's user namespace is `__main__`'s)."""
    return vars(sys.modules[KERNEL_MODULE])


def kernel_code(namespace: Mapping[str, object], names: Iterable[str]) -> KernelCode:
    """The kernel's definitions of `names` (those it has) as one module's source."""
    module = _ModuleText(namespace)
    defined = tuple(name for name in names if module.add_root(name))
    return KernelCode(module.text(), defined, tuple(dict.fromkeys(module.notes)))


def is_cell_definition(value: object) -> bool:
    """A function or class that the kernel's own code defined (not an imported one)."""
    kind = inspect.isfunction(value) or inspect.isclass(value) or hasattr(value, "__wrapped__")
    return kind and getattr(value, "__module__", None) == KERNEL_MODULE


class _ModuleText:
    """Collects definitions with what they read, each once, dependencies first."""

    def __init__(self, namespace: Mapping[str, object]) -> None:
        self.namespace = namespace
        self.imports: list[str] = []
        self.constants: list[str] = []
        self.definitions: list[str] = []
        self.notes: list[str] = []
        self.seen: set[str] = set()  # every global looked at
        self.copied: set[str] = set()  # the definitions whose source made it in

    def add_root(self, name: str) -> bool:
        if name not in self.namespace:
            return False
        value = self.namespace[name]
        if not is_cell_definition(value):
            module = getattr(value, "__module__", None)
            origin = f"from module {module}" if module else f"a {_type_name(value)}"
            self.notes.append(
                f"{name} in this kernel is {origin}, not a function defined in a cell: "
                "it is not checked here (grader check in a terminal checks your files)"
            )
            return False
        if name not in self.seen:
            self.seen.add(name)
            self._add_definition(name, value, reader=name)
        return name in self.copied

    def _add_definition(self, name: str, value: object, reader: str) -> None:
        own_name = getattr(value, "__name__", name)
        source = _source(own_name, value, self.namespace.get("In"))
        if source is None:
            self.notes.append(
                f"the source of {name} could not be found (IPython keeps it for what a cell "
                f"defines): run the cell that defines {name} again"
                + ("" if name == reader else f" ({reader} uses it)")
            )
            return
        for needed in _free_names(source):
            self._add_global(needed, reader=name)
        alias = "" if own_name == name else f"{name} = {own_name}\n"
        self.definitions.append(source + alias)
        self.copied.add(name)

    def _add_global(self, name: str, reader: str) -> None:
        if name in self.seen or name not in self.namespace:
            return  # a builtin, or a name the kernel lacks too (it fails alike there)
        self.seen.add(name)
        value = self.namespace[name]
        if isinstance(value, types.ModuleType):
            self.imports.append(_module_import(name, value))
        elif is_cell_definition(value):
            self._add_definition(name, value, reader)
        elif line := _object_import(name, value):
            self.imports.append(line)
        elif (literal := _literal(value)) is not None:
            self.constants.append(f"{name} = {literal}\n")
        else:
            self.notes.append(
                f"{name} (a {_type_name(value)}) is not copied from the kernel: only "
                "functions, classes, imports and literal constants can be, so "
                f"{reader} finds no {name} when checked; create it inside {reader} or "
                "write it as a literal"
            )

    def text(self) -> str:
        header = '"""Definitions taken from a running kernel by grader.check."""\n'
        parts = [header, "".join(self.imports), "".join(self.constants), *self.definitions]
        return "\n\n".join(part for part in parts if part)


def _type_name(value: object) -> str:
    kind = type(value)
    return (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )


def _source(own_name: str, value: object, history: object) -> str | None:
    """The definition's text: what IPython kept for it, else the last cell of `In` that
    defines a function or class of that name."""
    try:
        text = textwrap.dedent(inspect.getsource(value))
    except (OSError, TypeError):
        text = None
    if text is None or not _defines(text, own_name):
        text = _from_history(own_name, history)
    return None if text is None else text.rstrip("\n") + "\n"


def _defines(text: str, name: str) -> bool:
    try:
        body = ast.parse(text).body
    except SyntaxError:
        return False
    return any(isinstance(node, _DEFINITIONS) and node.name == name for node in body)


def _from_history(name: str, history: object) -> str | None:
    if not isinstance(history, list):
        return None
    for cell in reversed(history):
        try:
            body = ast.parse(cell).body if isinstance(cell, str) else []
        except SyntaxError:
            continue
        for node in reversed(body):
            if isinstance(node, _DEFINITIONS) and node.name == name:
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                return "\n".join(cell.splitlines()[first - 1 : node.end_lineno])
    return None


def _free_names(source: str) -> list[str]:
    """The global names `source` reads: at its top level (decorators, defaults, base
    classes) and as globals inside its functions and classes."""
    table = symtable.symtable(source, "<kernel>", "exec")
    names = [s.get_name() for s in table.get_symbols() if s.is_referenced() and not s.is_assigned()]
    scopes = list(table.get_children())
    while scopes:
        scope = scopes.pop(0)
        names += [s.get_name() for s in scope.get_symbols() if s.is_global() and s.is_referenced()]
        scopes += scope.get_children()
    return list(dict.fromkeys(names))


def _module_import(name: str, module: types.ModuleType) -> str:
    real = module.__name__
    return f"import {real}\n" if real == name else f"import {real} as {name}\n"


def _object_import(name: str, value: object) -> str | None:
    """`from module import thing as name`, when the module holds that very object."""
    module = getattr(value, "__module__", None)
    qualname = getattr(value, "__qualname__", None) or getattr(value, "__name__", None)
    if not isinstance(module, str) or not isinstance(qualname, str) or module == KERNEL_MODULE:
        return None
    if not qualname.isidentifier() or getattr(sys.modules.get(module), qualname, None) is not value:
        return None
    return f"from {module} import {qualname}" + ("" if qualname == name else f" as {name}") + "\n"


def _literal(value: object) -> str | None:
    """The value as a Python literal that reads back equal, if it is a small one."""
    if not _small_literal(value):
        return None
    text = repr(value)
    try:
        same = ast.literal_eval(text) == value
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    return text if same else None


def _small_literal(value: object) -> bool:
    """Numbers, strings, None and containers of them, LITERAL_ITEMS items at most."""
    stack, count = [value], 0
    while stack:
        item = stack.pop()
        count += 1
        if type(item) in _CONTAINERS and count + len(item) > LITERAL_ITEMS:
            return False
        if type(item) is dict:
            stack += [*item.keys(), *item.values()]
        elif type(item) in _CONTAINERS:
            stack += list(item)
        elif type(item) not in _SCALARS:
            return False
    return True
