"""The spec vocabulary and standard batteries; the assignments themselves are course
content, listed by the course pack's registry (`grader.course`)."""

from __future__ import annotations

from grader import course
from grader.assignments.spec import AssignmentSpec


class UnknownAssignment(KeyError):
    def __str__(self) -> str:
        known = ", ".join([*assignment_ids(), "all"])
        return f"unknown assignment {self.args[0]!r} (known: {known})"


def assignment_ids() -> list[str]:
    kit = course.kit_specs()
    return list(kit if kit is not None else course.assignment_modules())


def load_assignment(assignment_id: str) -> list[AssignmentSpec]:
    """The spec(s) for an id; `all` gives every assignment."""
    kit = course.kit_specs()
    if kit is not None:
        if assignment_id != "all" and assignment_id not in kit:
            raise UnknownAssignment(assignment_id)
        return list(kit.values()) if assignment_id == "all" else [kit[assignment_id]]
    modules = course.assignment_modules()
    if assignment_id == "all":
        ids = list(modules)
    elif assignment_id in modules:
        ids = [assignment_id]
    else:
        raise UnknownAssignment(assignment_id)
    return [course.import_module(modules[i]).ASSIGNMENT for i in ids]
