"""Tiny in-process stand-ins for what a check talks to, so that one check can be graded in
milliseconds without a worker: a course module made of plain functions (the reference), a
student made of plain functions that fails the way the worker reports failures, known
mistakes declared beside them, and the `CheckContext` that joins them.

The reference side is the engine's own `ReferenceImplementation`, over a module registered
in `sys.modules` (where `course.import_module` finds it), so the checks meet the same
object they meet in a grading.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import numpy as np

from grader.assignments.spec import AssignmentSpec
from grader.checks.context import CheckContext
from grader.checks.implementations import ReferenceImplementation
from grader.checks.recording import ReferenceSource, Variant
from grader.sandbox.client import CallError, Reply, StudentCallFailed

STUDENT_FILE = "student"


def course_module(name: str, **functions: Callable) -> str:
    """Register `functions` as the importable module `name`; return the name."""
    module = types.ModuleType(name)
    for key, function in functions.items():
        setattr(module, key, function)
    sys.modules[name] = module
    return name


EMPTY_MODULE = course_module("fake_course_empty")  # a fake student is only its given functions


class FakeStudent(ReferenceImplementation):
    """A student's file made of the given functions. As in the worker, each call gets its
    own copies of the arguments (what they became is returned with `return_args`), a
    function the file lacks is a "missing" failure and whatever a function raises comes
    back as a `StudentCallFailed`."""

    def __init__(self, **functions: Callable) -> None:
        super().__init__(EMPTY_MODULE, functions)

    def function(self, name: str) -> Callable:
        if name not in self.overrides:
            message = f"{name} is not defined in your {STUDENT_FILE}.py"
            raise self._failed(name, CallError("missing", "NameError", message))
        return self.overrides[name]

    def call(self, function, args, kwargs=None, *, keep=(), drop=(), return_args=False) -> Reply:
        try:
            return super().call(function, args, kwargs, return_args=return_args)
        except StudentCallFailed:
            raise
        except Exception as error:  # noqa: BLE001 - the worker reports any exception as facts
            raised = CallError("exception", type(error).__name__, str(error))
            raise self._failed(function, raised) from None

    @staticmethod
    def _failed(function: str, error: CallError) -> StudentCallFailed:
        failure = StudentCallFailed(error)
        failure.function, failure.module = function, STUDENT_FILE
        return failure


Mistakes = Mapping[str, Sequence[tuple[str, str, Mapping[str, Callable]]]]


class DeclaredMistakes(ReferenceSource):
    """The live source, its known mistakes given per target as (key, description,
    overrides of the reference) instead of read from `reference.mistakes`."""

    def __init__(self, mistakes: Mistakes) -> None:
        super().__init__()
        self.mistakes = mistakes

    def variants(self, module: str, target: str) -> list[tuple[Variant, object]]:
        return [
            (Variant(target, key, description), ReferenceImplementation(module, overrides))
            for key, description, overrides in self.mistakes.get(target, ())
        ]


def context(
    assignment: AssignmentSpec,
    function: str,
    student: FakeStudent,
    mistakes: Mistakes | None = None,
    seed: int = 0,
) -> CheckContext:
    """What `grading.run_check` builds for one check, with the fakes in place of the
    worker and the course pack."""
    return CheckContext(
        assignment=assignment,
        function=assignment.function(function),
        student=student,
        reference=ReferenceImplementation(assignment.reference_module),
        rng=np.random.default_rng(seed),
        seed=seed,
        source=DeclaredMistakes(mistakes or {}),
    )


class InProcessTorchWorker:
    """The worker's `drive` for torch procedures, run in this process over the given
    objects (PyTorch's own by their dotted paths, as in the worker). For the student's side
    (`student=True`) anything the object raises comes back as the worker reports it."""

    def __init__(self, objects: Mapping[str, object], student: bool = False) -> None:
        self.objects = dict(objects)
        self.student = student

    def function(self, module: str, name: str) -> object:
        if name not in self.objects:
            message = f"{name} is not defined in your {STUDENT_FILE}.py"
            raise FakeStudent._failed(name, CallError("missing", "NameError", message))
        return self.objects[name]

    def drive(self, procedure: str, request: Mapping[str, object], keep: bool = False) -> object:
        from grader.sandbox import torch_driver

        try:
            return torch_driver.PROCEDURES[procedure](self, **request)
        except StudentCallFailed:
            raise
        except Exception as error:
            if not self.student:
                raise
            raised = CallError("exception", type(error).__name__, str(error))
            raise FakeStudent._failed(str(request.get("name")), raised) from None


class TorchStudent(FakeStudent):
    """A student whose torch objects are driven in this process (`ctx.student.worker`)."""

    def __init__(self, **objects: object) -> None:
        super().__init__()
        self.worker = InProcessTorchWorker(objects, student=True)


def torch_context(
    assignment: AssignmentSpec,
    function: str,
    student: TorchStudent,
    reference: Mapping[str, object],
    seed: int = 0,
    mistakes: Mistakes | None = None,
) -> CheckContext:
    """A torch check's context: the student's and the reference's objects driven in this
    process, on the CPU; known mistakes override objects of the assignment's (empty)
    reference module, as variants of a torch object do."""
    return replace(
        context(assignment, function, student, mistakes, seed=seed),
        reference_worker=InProcessTorchWorker(reference),
        device="cpu",
        device_name="CPU",
    )
