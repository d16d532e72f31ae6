"""Whether the packages an assignment needs beyond the engine (`AssignmentSpec.requirements`:
torch for `gpu`, an optional extra) can be imported here. Asked before any worker starts, so
a missing one is one error that says what to install, not a traceback in every check."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable

from packaging.requirements import Requirement

from grader.assignments.spec import AssignmentSpec


class MissingPackages(Exception):
    """An assignment needs packages that this Python environment cannot import."""


def module_of(requirement: str) -> str:
    """The module a requirement provides, by its distribution's name (torch: torch)."""
    return Requirement(requirement).name.replace("-", "_")


def missing(spec: AssignmentSpec) -> list[str]:
    """The requirements of `spec` whose module cannot be found here (nothing is imported)."""
    return [name for name in spec.requirements if importlib.util.find_spec(module_of(name)) is None]


def require(specs: Iterable[AssignmentSpec]) -> None:
    """Raise MissingPackages naming each assignment that cannot be graded here, and the
    command that installs what it lacks."""
    lacking = {spec.id: names for spec in specs if (names := missing(spec))}
    if not lacking:
        return
    needs = "; ".join(
        f"the {assignment} assignment needs {', '.join(names)}"
        for assignment, names in lacking.items()
    )
    packages = " ".join(dict.fromkeys(name for names in lacking.values() for name in names))
    raise MissingPackages(
        f"{needs}, which this Python environment ({sys.executable}) cannot import; "
        f"install it with: pip install {packages}"
    )
