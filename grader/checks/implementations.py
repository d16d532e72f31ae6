"""Three things a check can call the same way: the student (through the worker), the
hidden reference and a known-mistake variant of it (both in the grader process)."""

from __future__ import annotations

import contextlib
import copy
import inspect
import time
import types
from collections.abc import Callable, Iterator, Mapping
from typing import Protocol

import numpy as np

from grader import course
from grader.sandbox.client import Reply, StudentCallFailed, Worker, WorkerHandle
from grader.sandbox.codec import RngSeed


class Implementation(Protocol):
    def call(
        self,
        function: str,
        args: tuple | list,
        kwargs: Mapping | None = None,
        *,
        keep: tuple[int, ...] = (),
        drop: tuple[int, ...] = (),
        return_args: bool = False,
    ) -> Reply: ...

    def forget(self, values: list) -> None: ...


def returned_nothing(value: object, keep: tuple[int, ...], drop: tuple[int, ...]) -> bool | None:
    """True for a starter stub's answer: None, or None in every position of the returned
    tuple that is neither a dict (an update rule's config), kept in the worker (a forward's
    cache) nor dropped; False for an answer with a value; None when nothing came back to
    judge by."""
    if value is None:
        return True
    if not isinstance(value, tuple | list):
        return False
    judged = [
        item
        for position, item in enumerate(value)
        if position not in keep and position not in drop and not isinstance(item, dict)
    ]
    return all(item is None for item in judged) if judged else None


class StudentImplementation:
    """Calls the student's function in the worker, in whichever module defines it, and
    notes which functions only ever answered as a starter stub does (`stubs`,
    `not_implemented`)."""

    def __init__(self, worker: Worker, module_of: Callable[[str], str]) -> None:
        self.worker = worker
        self.module_of = module_of
        self.answered: dict[str, bool] = {}  # function -> whether it ever returned a result
        self.stubbed: dict[str, str] = {}  # function -> how it showed itself a stub

    def call(self, function, args, kwargs=None, *, keep=(), drop=(), return_args=False) -> Reply:
        with self._noting(function):
            reply = self.worker.call(
                self.module_of(function),
                function,
                args,
                dict(kwargs or {}),
                keep=keep,
                drop=drop,
                return_args=return_args,
            )
        nothing = returned_nothing(reply.value, keep, drop)
        if nothing is not None:
            self._note(function, not nothing, "returned None")
        return reply

    def call_many(self, function: str, arg_list: list, select: int | None) -> list:
        with self._noting(function):
            results = self.worker.call_many(
                self.module_of(function), function, arg_list, select=select
            )
        judged = [returned_nothing(value, (), ()) for value in results]
        if any(nothing is not None for nothing in judged):
            self._note(function, False in judged, "returned None")
        return results

    @contextlib.contextmanager
    def _noting(self, function: str) -> Iterator[None]:
        """A call that raised NotImplementedError from the function itself is a stub's."""
        try:
            yield
        except StudentCallFailed as failure:
            error = failure.error
            if error.kind == "exception" and error.type == "NotImplementedError":
                self._note(function, False, "raised NotImplementedError")
            raise

    def _note(self, function: str, answered: bool, how: str) -> None:
        self.answered[function] = self.answered.get(function, False) or answered
        if not answered:
            self.stubbed.setdefault(function, how)

    def stubs(self) -> list[str]:
        """The functions called that never returned more than a stub does."""
        return [function for function, answered in self.answered.items() if not answered]

    def not_implemented(self, function: str) -> str | None:
        """How `function` showed itself a stub (it raised NotImplementedError or returned
        None, and never returned a value), else None."""
        return self.stubbed.get(function) if self.answered.get(function) is False else None

    def forget(self, values: list) -> None:
        """Free objects kept in the worker (handles among `values`; the rest is ignored)."""
        self.worker.forget([value for value in values if isinstance(value, WorkerHandle)])


def with_generators(value: object) -> object:
    """An RngSeed argument becomes the generator it stands for (as in the worker)."""
    return np.random.default_rng(value.seed) if isinstance(value, RngSeed) else value


class InProcess:
    """What every implementation running in the grader's process (the reference, its
    variants, a kit's recorded answers) shares: a batch is one call after another, and its
    objects are ordinary garbage-collected ones."""

    def call(self, function, args, kwargs=None, *, keep=(), drop=(), return_args=False) -> Reply:
        raise NotImplementedError

    def call_many(self, function: str, arg_list: list, select: int | None) -> list:
        results = [self.call(function, args).value for args in arg_list]
        return results if select is None else [result[select] for result in results]

    def forget(self, values: list) -> None:
        """Nothing to free."""


class ReferenceImplementation(InProcess):
    """Calls the reference (optionally with some functions overridden) on copies of the
    arguments, so the grader's own inputs are never touched."""

    def __init__(self, module_name: str, overrides: Mapping[str, Callable] | None = None) -> None:
        self.module = course.import_module(module_name)
        self.overrides = dict(overrides or {})
        self.seconds = 0.0

    def function(self, name: str) -> Callable:
        return self.overrides.get(name) or getattr(self.module, name)

    def parameters(self, name: str) -> tuple[str, ...]:
        """The reference function's parameter names (how feedback names arguments)."""
        return tuple(inspect.signature(self.function(name)).parameters)

    def drive(self, procedure: str, request: Mapping[str, object]) -> object:
        """A worker's torch procedure (sandbox/torch_driver.py) run here over this module's
        objects: how a known mistake of a torch object behaves, since variants live in the
        grader's process only. The procedure builds its own tensors from the request."""
        from grader.sandbox import torch_driver

        objects = types.SimpleNamespace(function=lambda _module, name: self.function(name))
        return torch_driver.PROCEDURES[procedure](objects, **request)

    def call(self, function, args, kwargs=None, *, keep=(), drop=(), return_args=False) -> Reply:
        began = time.perf_counter()
        args = [with_generators(arg) for arg in copy.deepcopy(list(args))]
        kwargs = {key: with_generators(v) for key, v in copy.deepcopy(dict(kwargs or {})).items()}
        value = self.function(function)(*args, **kwargs)
        self.seconds += time.perf_counter() - began
        return Reply(value, [args, kwargs] if return_args else None, "")
