"""The course's assignments, each a declarative spec in a module of this package."""

from __future__ import annotations

import importlib

from grader.assignments.spec import AssignmentSpec

ASSIGNMENT_MODULES = {
    "layers": "grader.assignments.layers",
    "optimizers": "grader.assignments.optimizers",
    "initializers": "grader.assignments.initializers",
    "cifar": "grader.assignments.cifar",
    "gpu": "grader.assignments.gpu",
}


class UnknownAssignment(KeyError):
    def __str__(self) -> str:
        known = ", ".join([*ASSIGNMENT_MODULES, "all"])
        return f"unknown assignment {self.args[0]!r} (known: {known})"


def load_assignment(assignment_id: str) -> list[AssignmentSpec]:
    """The spec(s) for an id; `all` gives every assignment."""
    if assignment_id == "all":
        ids = list(ASSIGNMENT_MODULES)
    elif assignment_id in ASSIGNMENT_MODULES:
        ids = [assignment_id]
    else:
        raise UnknownAssignment(assignment_id)
    return [importlib.import_module(ASSIGNMENT_MODULES[i]).ASSIGNMENT for i in ids]
