"""Recorded reference answers: what a student kit carries instead of the reference.

At release, the public checks are graded with the live reference wrapped in a
`RecordingReference`: every answer the reference (or a known-mistake variant) gives, every
list of inputs a check draws, and every parameter list it reads is written to a `Tape`,
filed under the check that asked. In the kit, a `ReplayReference` answers the same calls
from the tape, so the same check code reaches the same verdicts without any solution code.
Calls are matched by an exact fingerprint of their arguments: the checks build them from
recorded inputs and seeded generators only, so they are bit-identical on every machine.
A call that was never recorded raises `NotRecorded` (the kit cannot run that check).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from grader import course
from grader.assignments.spec import Case
from grader.checks.implementations import InProcess, ReferenceImplementation
from grader.sandbox.client import Reply
from grader.sandbox.codec import UnsupportedValue, encode

SCALAR_TAG = "$numpy-scalar"
RAISED_TAG = "$raised"
T = TypeVar("T")


class NotRecorded(LookupError):
    """The kit holds no answer for this call: the check needs the hidden reference."""


class RecordedException(Exception):  # noqa: N818 - it stands for whatever the reference raised
    """What the reference (or a mistake variant) raised when the call was recorded."""


def fingerprint(*parts: object) -> str:
    """An exact digest of plain data (arrays by their bytes, dtype and shape)."""
    try:
        return hashlib.sha256(encode(list(parts))).hexdigest()
    except UnsupportedValue as error:
        raise NotRecorded(f"arguments that cannot be recorded: {error}") from None


def to_plain(value: object) -> object:
    """NumPy scalars survive the round trip as themselves, not as 0-d arrays."""
    if isinstance(value, np.generic):
        return {SCALAR_TAG: np.asarray(value)}
    if type(value) in (list, tuple):
        return type(value)(to_plain(item) for item in value)
    if type(value) is dict:
        return {key: to_plain(item) for key, item in value.items()}
    return value


def from_plain(value: object) -> object:
    if type(value) is dict and set(value) == {SCALAR_TAG}:
        return value[SCALAR_TAG][()]
    if type(value) in (list, tuple):
        return type(value)(from_plain(item) for item in value)
    if type(value) is dict:
        return {key: from_plain(item) for key, item in value.items()}
    return value


@dataclass
class Tape:
    """Answers filed by check (`scope`) and by call fingerprint."""

    answers: dict[str, dict[str, object]] = field(default_factory=dict)
    scope: str = ""
    drawn: dict[str, int] = field(default_factory=dict)

    pause: int = 0

    def enter(self, scope: str) -> None:
        self.scope, self.drawn = scope, {}

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Record nothing meanwhile (what a derived value was computed from)."""
        self.pause += 1
        try:
            yield
        finally:
            self.pause -= 1

    def put(self, key: str, value: object) -> None:
        if not self.pause:
            self.answers.setdefault(self.scope, {})[key] = to_plain(value)

    def get(self, key: str) -> object:
        try:
            return from_plain(self.answers[self.scope][key])
        except KeyError:
            raise NotRecorded(f"no recorded answer in {self.scope}") from None

    def sequence(self, name: str) -> str:
        """A key for the n-th draw of `name` within the current check."""
        taken = self.drawn.get(name, 0)
        self.drawn[name] = taken + 1
        return f"{name}#{taken}"


def _call_key(namespace: str, function: str, args, kwargs, return_args: bool) -> str:
    return fingerprint(namespace, function, list(args), dict(kwargs or {}), return_args)


def _drive_key(namespace: str, procedure: str, request: Mapping[str, object]) -> str:
    return fingerprint(namespace, "drive", procedure, dict(request))


class RecordingReference(InProcess):
    """The live reference (or a variant of it), writing each answer to the tape."""

    def __init__(self, live: object, tape: Tape, namespace: str) -> None:
        self.live = live
        self.tape = tape
        self.namespace = namespace

    @property
    def seconds(self) -> float:
        return self.live.seconds

    def parameters(self, name: str) -> tuple[str, ...]:
        names = self.live.parameters(name)
        self.tape.put(fingerprint("parameters", name), list(names))
        return names

    def call(self, function, args, kwargs=None, *, keep=(), drop=(), return_args=False) -> Reply:
        key = _call_key(self.namespace, function, args, kwargs, return_args)
        return self._answer(
            key,
            lambda: self.live.call(function, args, kwargs, return_args=return_args),
            lambda reply: [reply.value, reply.args_after],
        )

    def drive(self, procedure: str, request: Mapping[str, object]) -> object:
        key = _drive_key(self.namespace, procedure, request)
        return self._answer(key, lambda: self.live.drive(procedure, request), lambda value: value)

    def _answer(self, key: str, ask: Callable[[], T], taped: Callable[[T], object]) -> T:
        """The live answer, put on the tape under `key` as `taped` says (or what it raised)."""
        try:
            answer = ask()
        except Exception as error:
            self.tape.put(key, {RAISED_TAG: f"{type(error).__name__}: {error}"})
            raise
        self.tape.put(key, taped(answer))
        return answer


class ReplayReference(InProcess):
    """Answers from the tape, as the reference answered when the kit was released."""

    def __init__(self, tape: Tape, namespace: str) -> None:
        self.tape = tape
        self.namespace = namespace
        self.seconds = 0.0

    def parameters(self, name: str) -> tuple[str, ...]:
        return tuple(self.tape.get(fingerprint("parameters", name)))

    def call(self, function, args, kwargs=None, *, keep=(), drop=(), return_args=False) -> Reply:
        key = _call_key(self.namespace, function, args, kwargs, return_args)
        value, args_after = self._answer(key)
        return Reply(value, args_after, "")

    def drive(self, procedure: str, request: Mapping[str, object]) -> object:
        return self._answer(_drive_key(self.namespace, procedure, request))

    def _answer(self, key: str) -> object:
        answer = self.tape.get(key)
        if type(answer) is dict and RAISED_TAG in answer:
            raise RecordedException(answer[RAISED_TAG])
        return answer


@dataclass(frozen=True)
class Variant:
    """A known mistake as the matcher needs it: its name and words, not its code."""

    target: str
    key: str
    description: str


def variant_namespace(variant: Variant, position: int) -> str:
    """Where a variant's answers sit on the tape: its key and its place among the target's
    variants, since one mistake may come in several forms under one key."""
    return f"{variant.key}#{position}"


def registered_mistakes(module: str) -> tuple:
    """The course's `Mistake`s for the reference `module`: `mistakes_for(<last part>)` of the
    `mistakes` package beside it (a course pack without one registers none)."""
    package, short = module.rsplit(".", 1)
    try:
        mistakes = course.import_module(f"{package}.mistakes")
    except ModuleNotFoundError as error:
        if error.name == f"{package}.mistakes":
            return ()
        raise
    return tuple(mistakes.mistakes_for(short))


def _case_to_plain(case: Case) -> list:
    return [list(case.args), dict(case.kwargs), case.dout, case.note]


def _case_from_plain(fields: list) -> Case:
    args, kwargs, dout, note = fields
    return Case(tuple(args), kwargs, dout, note)


class ReferenceSource:
    """Where a grading's reference answers come from: the live course pack, the live pack
    while recording a kit's tape, or a kit's tape."""

    def __init__(self, tape: Tape | None = None, replay: bool = False) -> None:
        self.tape = tape
        self.replay = replay

    @property
    def recording(self) -> bool:
        """Recording a kit: checks also ask what their failure paths would need."""
        return self.tape is not None and not self.replay

    def enter(self, scope: str) -> None:
        """File what follows under one check."""
        if self.tape is not None:
            self.tape.enter(scope)

    def reference(self, module: str) -> object:
        return self._wrap(lambda: ReferenceImplementation(module), "reference")

    def variants(self, module: str, target: str) -> list[tuple[Variant, object]]:
        """The known mistakes of `target`, each with the implementation that makes it."""
        if self.tape is not None and self.replay:
            key = self.tape.sequence("variants")
            listed = [Variant(*fields) for fields in self.tape.get(key)]
            return [
                (v, ReplayReference(self.tape, variant_namespace(v, i)))
                for i, v in enumerate(listed)
            ]
        found = [
            (Variant(m.target, m.key, m.description), m.overrides)
            for m in registered_mistakes(module)
            if m.target == target
        ]
        if self.tape is not None:
            key = self.tape.sequence("variants")
            self.tape.put(key, [[v.target, v.key, v.description] for v, _ in found])
        return [
            (
                v,
                self._wrap(
                    lambda o=overrides: ReferenceImplementation(module, o), variant_namespace(v, i)
                ),
            )
            for i, (v, overrides) in enumerate(found)
        ]

    def cases(self, generate: Callable[[np.random.Generator], list], rng) -> list:
        """A check's inputs: drawn live (and recorded), or replayed together with the
        generator's state after the draw, so every later draw of the check matches."""
        if self.tape is None:
            return generate(rng)
        key = self.tape.sequence("cases")
        if self.replay:
            cases, state = self.tape.get(key)
            rng.bit_generator.state = state
            return [_case_from_plain(fields) for fields in cases]
        cases = generate(rng)
        self.tape.put(key, [[_case_to_plain(c) for c in cases], rng.bit_generator.state])
        return cases

    def derived(self, parts: tuple, compute: Callable[[], object]) -> object:
        """A value the grader derives from course code (a target's scale formula, a
        summary of a variant's sample): a kit keeps the value, named by `parts`, instead of
        the code or of every answer that went into it."""
        if self.tape is None:
            return compute()
        key = fingerprint("derived", *parts)
        if self.replay:
            return self.tape.get(key)
        with self.tape.paused():
            value = compute()
        self.tape.put(key, value)
        return value

    def _wrap(self, live: Callable[[], object], namespace: str) -> object:
        if self.tape is None:
            return live()
        if self.replay:
            return ReplayReference(self.tape, namespace)
        return RecordingReference(live(), self.tape, namespace)
