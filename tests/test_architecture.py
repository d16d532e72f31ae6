"""The engine's layering, read from its import statements (every import, lazy ones too):
no cycles between modules or between subpackages, a core that depends on nothing else,
and a worker side that imports nothing of the grader; and checks and sandbox that name
none of the course's functions (the course pack declares them)."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

from grader.assignments import assignment_ids, load_assignment

PACKAGE = ROOT / "grader"
CORE = {
    "grader.tolerances": set(),
    "grader.assignments.spec": {"grader.tolerances"},
    "grader.report.model": set(),  # checks build tables and plots with it
}
WORKER_SIDE = (
    "grader.sandbox.worker",
    "grader.sandbox.codec",
    "grader.sandbox.seal",
    "grader.sandbox.torch_driver",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the engine modules it imports (anywhere in its body)."""
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets.add(node.module)
                targets.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
        targets.discard("grader")  # the root: the version, and grader.check imported lazily
        graph[name] = {target for target in targets if target in modules and target != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while (member := stack.pop()) != node:
                component.append(member)
            if component:
                found.append(sorted([node, *component]))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def subpackage(module: str) -> str:
    """grader.checks.gradient -> grader.checks; grader.cli -> grader.cli; grader -> grader."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 and (PACKAGE / parts[1]).is_dir() else module


def test_no_import_cycles_between_modules() -> None:
    assert cycles(import_graph()) == []


def test_no_import_cycles_between_subpackages() -> None:
    graph: dict[str, set[str]] = {}
    for module, targets in import_graph().items():
        for target in targets:
            if subpackage(module) != subpackage(target):
                graph.setdefault(subpackage(module), set()).add(subpackage(target))
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_core_depends_on_nothing_else_and_the_worker_side_on_nothing() -> None:
    graph = import_graph()
    for module, allowed in CORE.items():
        assert graph[module] <= allowed, module
    for module in WORKER_SIDE:
        assert graph[module] == set(), module


def course_function_names() -> set[str]:
    names = set()
    for assignment in assignment_ids():
        (spec,) = load_assignment(assignment)
        names |= {function.name for function in spec.functions} | set(spec.pieces)
    return names


def code_names(path: Path) -> set[str]:
    """Every string constant and every name a module binds or reads (not attributes of
    other objects, such as np.zeros, nor words inside prose)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)
        elif isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            found.add(node.name)
        elif isinstance(node, ast.arg | ast.keyword) and node.arg:
            found.add(node.arg)
    return found


def test_checks_and_sandbox_name_none_of_the_course_functions() -> None:
    names = course_function_names()
    paths = [*(PACKAGE / "checks").glob("*.py"), *(PACKAGE / "sandbox").glob("*.py")]
    named = {path.name: sorted(code_names(path) & names) for path in paths}
    assert {name: found for name, found in named.items() if found} == {}
