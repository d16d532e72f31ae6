"""Shared ending of every sealing cheat (tests/test_sealing.py puts it after the channel).

The test writes `KNOWN_REFERENCE` (the course's reference/layers.py), `SKIP` (folders the
isolation mode under test is not expected to protect) and `BUDGET` (seconds) first; the
channel defines `leaks()`, which yields modules, or paths that may be the reference's
layers.py (`around` and `each` below help). The first that provides affine_forward is
used; otherwise both functions raise.
"""

import os
import time
import types


def around(path):
    """reference/layers.py next to `path` and next to each folder above it."""
    folder = os.path.abspath(str(path))
    while True:
        yield os.path.join(folder, "reference", "layers.py")
        if folder == os.path.dirname(folder):
            return
        folder = os.path.dirname(folder)


def each(*sources):
    """The candidates of every source (a function returning an iterable), going on past
    a source that fails."""
    for source in sources:
        try:
            yield from source()
        except Exception:
            continue


def _skipped(path):
    try:
        real = os.path.realpath(path)
    except OSError:  # a /proc link it may not follow
        real = os.path.abspath(path)
    return any(real == folder or real.startswith(folder + os.sep) for folder in SKIP)


def _functions(candidate):
    if hasattr(candidate, "affine_forward") and hasattr(candidate, "relu_forward"):
        return candidate
    if not isinstance(candidate, str) or _skipped(candidate):
        return None
    try:
        with open(candidate, encoding="utf-8", errors="replace") as handle:
            text = handle.read(1 << 20)
        if "def affine_forward" not in text or "def leaks(" in text:
            return None  # not a solution, or a cheat (this one, found by a walk)
        namespace = {}
        exec(compile(text, candidate, "exec"), namespace)
    except Exception:
        return None
    found = types.SimpleNamespace(**namespace)
    return found if callable(namespace.get("affine_forward")) else None


def _steal():
    deadline = time.monotonic() + BUDGET
    try:
        for candidate in leaks():
            found = _functions(candidate)
            if found is not None:
                return found
            if time.monotonic() > deadline:
                return None
    except Exception:
        return None
    return None


_LEAKED = _steal()


def affine_forward(x, w, b):
    if _LEAKED is None:
        raise RuntimeError("the reference was out of reach")
    return _LEAKED.affine_forward(x, w, b)


def relu_forward(x):
    if _LEAKED is None:
        raise RuntimeError("the reference was out of reach")
    return _LEAKED.relu_forward(x)


if __name__ == "__main__":  # run directly, outside any sandbox (the tests' control)
    print("leaked" if _LEAKED is not None else "sealed")
