"""A student kit's public checks: recorded from the course pack, run without it.

`record` grades the reference as if it were a student with the public checks only,
recording every reference answer they need, failure paths included
(grader.checks.recording). The kit file (`public_checks.kit`, plain data in the worker
codec, never pickle) then holds: the assignment specs with hidden checks reduced to their
name, kind and points, the recorded answers, the source of the modules defining the public
properties (which must import nothing of the course pack and define no hidden property),
and the course data files the public checks read. No solution code, no mistake variant, no
input only hidden checks use.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import importlib
import sys
import tempfile
import types
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

import numpy as np

from grader import __version__, course
from grader.assignments import load_assignment
from grader.assignments.spec import AssignmentSpec, Check
from grader.checks.experiments import BANDS
from grader.checks.properties import Property, SatisfiesProperty
from grader.checks.recording import NotRecorded, ReferenceSource, Tape
from grader.grading import GradeOptions, grade
from grader.sandbox import codec
from grader.starter import reference_submission

KIT_FILE = "public_checks.kit"
FORMAT = 3  # 3: torch objects declared in the spec; 2: typed checks; 1: kind + options
COURSE_PACKAGE = course.PACKAGE + "."
KIT_MODULES = "grader_kit_course"
RESOURCES = (BANDS,)


class KitError(Exception):
    """The kit cannot be written or read (a usage error, with the reason)."""


def record(assignment: str, seed: int = 0) -> Tape:
    """The reference answers the public checks need: graded with the reference as the
    student, so every check runs every case, each also recording what its failure paths
    would ask there (the mistake matchers, a wrong forward's numerical gradient). No
    deadline: a kit missing the answers of checks cut short would fail its students."""
    tape = Tape()
    options = GradeOptions(seed=seed, public_only=True, deadline=None)
    with tempfile.TemporaryDirectory(prefix="grader-kit-") as scratch:
        grade(assignment, reference_submission(Path(scratch)), options, ReferenceSource(tape))
    return tape


# --- specs as plain data -------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class HiddenCheck(Check):
    """A hidden check as a kit carries it: its kind, points and visibility (a public-only
    grading counts what it leaves out), nothing of what it checks. A kit grades the public
    checks only, so it is never run or described."""

    kit: ClassVar[bool] = False
    kind: str  # the hidden check's own kind, per instance


def hidden(check: Check) -> HiddenCheck:
    return HiddenCheck(kind=check.kind, points=check.points, visibility=check.visibility)


def _property_home(prop: Property) -> tuple[str, str]:
    if prop.made_by:
        return prop.made_by[0], prop.made_by[1]
    for name, module in sorted(sys.modules.items()):
        if not name.startswith(COURSE_PACKAGE) or module is None:
            continue
        for attribute, value in vars(module).items():
            if value is prop:
                return name, attribute
    raise KitError(f"the property {prop.description!r} is not defined at a module's top level")


def _encode(value: object, hidden: bool) -> object:
    if isinstance(value, Property):
        if hidden:
            return None
        if value.made_by:
            return {"$property-call": list(value.made_by)}
        return {"$property": list(_property_home(value))}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        fields = {
            f.name: _encode(getattr(value, f.name), hidden) for f in dataclasses.fields(value)
        }
        return {"$dataclass": f"{cls.__module__}:{cls.__qualname__}", "fields": fields}
    if isinstance(value, Mapping):
        return {"$mapping": [[k, _encode(v, hidden)] for k, v in value.items()]}
    if isinstance(value, tuple | list):
        return type(value)(_encode(item, hidden) for item in value)
    if callable(value):
        return {"$recorded": None}
    return value


def encode_spec(spec: AssignmentSpec) -> object:
    """The spec as plain data; a hidden check keeps only its kind, points and visibility."""
    functions = []
    for function in spec.functions:
        checks = [
            _encode(check, hidden=False)
            if check.visibility == "visible"
            else _encode(hidden(check), hidden=True)
            for check in function.checks
        ]
        encoded = _encode(dataclasses.replace(function, checks=()), hidden=False)
        encoded["fields"]["checks"] = tuple(checks)
        functions.append(encoded)
    encoded = _encode(dataclasses.replace(spec, functions=()), hidden=False)
    encoded["fields"]["functions"] = tuple(functions)
    return encoded


def _not_in_kit(*args: object, **kwargs: object) -> object:
    raise NotRecorded("input generators stay with the course pack")


def decode_spec(value: object, modules: Mapping[str, types.ModuleType]) -> object:
    """Rebuild engine dataclasses (grader.* only) and properties from the kit's modules."""
    if type(value) is dict and "$dataclass" in value:
        module_name, qualname = value["$dataclass"].split(":")
        if module_name.split(".")[0] != "grader":
            raise KitError(f"the kit names a type outside the engine: {module_name}")
        cls = getattr(importlib.import_module(module_name), qualname)
        fields = {key: decode_spec(item, modules) for key, item in value["fields"].items()}
        return cls(**fields)
    if type(value) is dict and "$property" in value:
        module_name, attribute = value["$property"]
        return getattr(modules[module_name], attribute)
    if type(value) is dict and "$property-call" in value:
        module_name, factory, args = value["$property-call"]
        return getattr(modules[module_name], factory)(*args)
    if type(value) is dict and "$mapping" in value:
        return {key: decode_spec(item, modules) for key, item in value["$mapping"]}
    if type(value) is dict and "$recorded" in value:
        return _not_in_kit
    if type(value) in (list, tuple):
        return type(value)(decode_spec(item, modules) for item in value)
    return value


def property_modules(spec: AssignmentSpec) -> dict[str, str]:
    """Source of each module defining a public property, checked to hold nothing hidden."""
    public, hidden = set(), set()
    for function in spec.functions:
        for check in function.checks:
            if isinstance(check, SatisfiesProperty):
                home = _property_home(check.prop)
                (public if check.visibility == "visible" else hidden).add(home)
    sources = {}
    for name in sorted({module for module, _ in public}):
        leaking = sorted(attr for module, attr in hidden if module == name)
        if leaking:
            raise KitError(f"{name} defines hidden properties ({', '.join(leaking)}): move them")
        source = Path(sys.modules[name].__file__).read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            imported = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            if any(n.split(".")[0] == course.PACKAGE for n in imported):
                raise KitError(f"{name} imports the course pack; a kit cannot carry it")
        sources[name] = source
    return sources


# --- the kit file ----------------------------------------------------------------------------


def kit_data(assignment: str, seed: int = 0) -> dict:
    (spec,) = load_assignment(assignment)
    tape = record(assignment, seed)
    return {
        "format": FORMAT,
        "engine": __version__,
        "assignment": assignment,
        "seed": seed,
        "spec": encode_spec(spec),
        "modules": property_modules(spec),
        "answers": tape.answers,
        "resources": {
            name: np.frombuffer(course.read_resource(name), dtype=np.uint8) for name in RESOURCES
        },
    }


def write_kit_file(assignment: str, out: Path, seed: int = 0) -> Path:
    target = out / KIT_FILE
    target.write_bytes(codec.encode(kit_data(assignment, seed)))
    return target


def find_kit(*starts: Path) -> Path | None:
    """A kit file in one of `starts` (a submission folder, the current folder) or above."""
    for start in starts:
        start = Path(start).resolve()
        folder = start if start.is_dir() else start.parent
        for candidate in (folder, *folder.parents):
            if (candidate / KIT_FILE).is_file():
                return candidate / KIT_FILE
    return None


@dataclasses.dataclass(frozen=True)
class Kit:
    """A read kit: grade inside `in_use()` with `source` and the recorded `seed`."""

    spec: AssignmentSpec
    source: ReferenceSource
    seed: int
    resources: Mapping[str, bytes]

    def in_use(self) -> contextlib.AbstractContextManager[None]:
        return course.kit_in_use({self.spec.id: self.spec}, dict(self.resources))


def load_kit(path: Path) -> Kit:
    """Read a kit file (plain data; the public property modules it carries are run)."""
    try:
        data = codec.decode(Path(path).read_bytes())
    except (OSError, codec.MalformedMessage) as error:
        raise KitError(f"{path}: not a readable kit file ({error})") from None
    if type(data) is not dict or data.get("format") != FORMAT:
        raise KitError(f"{path}: a kit of another format; download the kit again")
    modules = {}
    for name, source in data["modules"].items():
        module = types.ModuleType(f"{KIT_MODULES}.{name.rsplit('.', 1)[-1]}")
        exec(compile(source, f"<kit: {name}>", "exec"), module.__dict__)  # noqa: S102 - kit code
        modules[name] = module
    resources = {name: array.tobytes() for name, array in data["resources"].items()}
    source = ReferenceSource(Tape(answers=data["answers"]), replay=True)
    return Kit(decode_spec(data["spec"], modules), source, int(data["seed"]), resources)
