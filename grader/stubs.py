"""Tell a stub from an implementation by reading its code (ast), without running it.

When two handed-in files define the same function, the grader must know before the worker
imports anything which one holds the student's work. A function is a stub when it can
never return a value: every `return` gives None, or a tuple with a None in it and nothing
computed (CS231n's `out = None ... cache = (x, w, b); return out, cache`), or it has no
`return` at all (a body of `pass`, `...`, a TODO, or `raise NotImplementedError`). This is
what `implementations.returned_nothing` sees when a stub is called. A class is a stub when
one of its methods is only a placeholder (`pass`, `...`, `raise NotImplementedError`).
"""

from __future__ import annotations

import ast
from enum import IntEnum

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


class Value(IntEnum):
    """What an expression may evaluate to, from least to most informative."""

    NONE = 0  # always None (or raises: a method called on None)
    PLAIN = 1  # constants, arguments and containers of them: nothing computed
    COMPUTED = 2


def is_stub(node: ast.stmt) -> bool:
    """Whether a top-level definition is a stub (see the module docstring)."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return _returns_nothing(node)
    if isinstance(node, ast.ClassDef):
        return any(
            _only_placeholders(item.body)
            for item in node.body
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
        )
    return False


def _only_placeholders(body: list[ast.stmt]) -> bool:
    return all(_is_placeholder(statement) for statement in body)


def _is_placeholder(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Pass):
        return True
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
        return statement.value.value is Ellipsis or isinstance(statement.value.value, str)
    if isinstance(statement, ast.Raise) and statement.exc is not None:
        raised = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
        return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"
    return False


def _own_nodes(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.AST]:
    """The nodes of a function's body, without those of functions, classes and lambdas
    nested in it (their returns and names are theirs)."""
    found, pending = [], list(function.body)
    while pending:
        node = pending.pop()
        found.append(node)
        if not isinstance(node, _SCOPES):
            pending.extend(ast.iter_child_nodes(node))
    return found


def _returns_nothing(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    nodes = _own_nodes(function)
    if any(isinstance(node, ast.Yield | ast.YieldFrom | ast.Await) for node in nodes):
        return False
    values = _Values(function, nodes)
    returns = [node for node in nodes if isinstance(node, ast.Return)]
    return all(values.nothing(node.value) for node in returns)


class _Values:
    """The value of every local name: the most informative of all that is assigned to it
    (the least fixed point, so that `out = None; out = out.astype(...)` stays None)."""

    def __init__(self, function: ast.FunctionDef | ast.AsyncFunctionDef, nodes: list) -> None:
        arguments = function.args
        self.arguments = {
            argument.arg
            for argument in [
                *arguments.posonlyargs,
                *arguments.args,
                *arguments.kwonlyargs,
                *filter(None, [arguments.vararg, arguments.kwarg]),
            ]
        }
        self.assigned: list[tuple[ast.expr, ast.expr | None]] = []  # (target, value or None)
        for node in nodes:
            self._collect(node)
        bound = {id(name) for target, _ in self.assigned for name in ast.walk(target)}
        self.assigned += [
            (node, None)  # for, with, augmented assignment, ...: an unknown value
            for node in nodes
            if isinstance(node, ast.Name)
            and isinstance(node.ctx, ast.Store)
            and id(node) not in bound
        ]
        self.names = {
            name: Value.PLAIN if name in self.arguments else Value.NONE
            for name in self._stored_names()
        }
        changed = True
        while changed:
            changed = False
            for target, value in self.assigned:
                for name, found in self._bind(target, value):
                    if found > self.names[name]:
                        self.names[name], changed = found, True

    def _collect(self, node: ast.AST) -> None:
        if isinstance(node, ast.Assign):
            self.assigned += [(target, node.value) for target in node.targets]
        elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and node.value is not None:
            self.assigned.append((node.target, node.value))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            self.assigned.append((ast.Name(node.name, ast.Store()), None))

    def _stored_names(self) -> set[str]:
        return {
            node.id
            for target, _ in self.assigned
            for node in ast.walk(target)
            if isinstance(node, ast.Name)
        }

    def _bind(self, target: ast.expr, value: ast.expr | None) -> list[tuple[str, Value]]:
        """The names `target` binds and the value each gets (None: an unknown value)."""
        if isinstance(target, ast.Name):
            return [(target.id, Value.COMPUTED if value is None else self.of(value))]
        if isinstance(target, ast.Tuple | ast.List):
            items = target.elts
            if (
                isinstance(value, ast.Tuple | ast.List)
                and len(value.elts) == len(items)
                and not any(isinstance(item, ast.Starred) for item in items)
            ):
                return [
                    bound
                    for t, v in zip(items, value.elts, strict=True)
                    for bound in self._bind(t, v)
                ]
            return [bound for item in items for bound in self._bind(item, None)]
        if isinstance(target, ast.Starred):
            return self._bind(target.value, None)
        return []  # attributes and subscripts bind no local name

    def of(self, node: ast.expr | None) -> Value:
        if node is None or (isinstance(node, ast.Constant) and node.value is None):
            return Value.NONE
        if isinstance(node, ast.Constant):
            return Value.PLAIN
        if isinstance(node, ast.Name):
            if node.id in self.names:
                return self.names[node.id]
            return Value.PLAIN if node.id in self.arguments else Value.COMPUTED
        if isinstance(node, ast.Tuple | ast.List | ast.Set | ast.Dict):
            items = [*node.elts] if not isinstance(node, ast.Dict) else [*node.values]
            return max([Value.PLAIN, *(self.of(item) for item in items)])
        if isinstance(node, ast.Call | ast.Attribute | ast.Subscript):
            base = node.func if isinstance(node, ast.Call) else node
            if (
                isinstance(base, ast.Attribute | ast.Subscript)
                and self.of(base.value) == Value.NONE
            ):
                return Value.NONE  # a method called on None raises: no value comes out
            return Value.COMPUTED
        if isinstance(node, ast.IfExp):
            return max(self.of(node.body), self.of(node.orelse))
        return Value.COMPUTED

    def nothing(self, returned: ast.expr | None) -> bool:
        """A stub's answer: None, or a tuple holding a None and nothing computed."""
        if isinstance(returned, ast.Tuple | ast.List):
            found = [self.of(item) for item in returned.elts]
            return Value.NONE in found and Value.COMPUTED not in found
        return self.of(returned) == Value.NONE
