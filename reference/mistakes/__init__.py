"""Registry of known student mistakes, as variants of the reference implementations.

When a student's output is wrong, the grader recomputes the same check with each known
mistake of the failing function: the reference module with some of its functions
replaced (``Mistake.overrides``). If the student's output matches a variant, the feedback
names the mistake (``Mistake.description``).

A module ``reference.mistakes.<name>`` registers the variants of ``reference.<name>`` by
decorating complete replacement functions with :func:`mistake`; the variant is named
exactly like the reference function it replaces. :func:`mistakes_for` lists them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["Mistake", "mistake", "mistakes_for"]


@dataclass(frozen=True)
class Mistake:
    """One known mistake: which student function it explains and how to reproduce it."""

    target: str
    """The student function whose wrong output this explains, e.g. "batchnorm_forward"."""
    key: str
    """Short slug, e.g. "unbiased-variance"; several forms of one mistake (say, two ways of
    drawing the same wrong mask) share it, each with its own description."""
    description: str
    """One sentence for a student: what the mistake is and how to fix it."""
    overrides: Mapping[str, Callable] = field(compare=False, hash=False)
    """Function name -> replacement implementation (the others come from the reference)."""


# module name ("reference.mistakes.layers") -> mistakes in definition order
_REGISTRY: dict[str, list[Mistake]] = {}


def mistake(
    key: str,
    description: str,
    *,
    target: str | None = None,
    also: Mapping[str, Callable] | None = None,
) -> Callable:
    """Decorator: registers the decorated function as a replacement for the reference function
    of the same name (func.__name__ is the name it replaces, so name the variant exactly like
    the function it replaces, or set target). `also` adds more overrides (e.g. a forward that
    builds a different cache for a backward variant). Returns the function unchanged."""

    def register(func: Callable) -> Callable:
        name = func.__name__
        overrides: dict[str, Callable] = dict(also or {})
        overrides[name] = func
        entry = Mistake(
            target=target if target is not None else name,
            key=key,
            description=description,
            overrides=MappingProxyType(overrides),
        )
        entries = _REGISTRY.setdefault(func.__module__, [])
        for i, old in enumerate(entries):
            if (old.target, old.key, old.description) == (
                entry.target,
                entry.key,
                entry.description,
            ):
                entries[i] = entry  # re-registration (e.g. module reloaded): keep the order
                break
        else:
            entries.append(entry)
        return func

    return register


def mistakes_for(module: str) -> tuple[Mistake, ...]:
    """All mistakes registered by reference.mistakes.<module> (import it lazily with
    importlib), in definition order. A module without a mistakes file has none."""
    full_name = f"{__name__}.{module}"
    try:
        importlib.import_module(full_name)
    except ModuleNotFoundError as exc:
        if exc.name == full_name:
            return ()
        raise
    return tuple(_REGISTRY.get(full_name, ()))
