"""Short, deterministic descriptions of inputs for feedback a student can reproduce."""

from __future__ import annotations

import numpy as np

from grader.assignments.spec import Case

SMALL_ARRAY = 12


def describe_value(value: object, full: bool = False) -> str:
    if isinstance(value, np.ndarray):
        if value.size == 0:
            return f"empty array of shape {value.shape}"
        if value.ndim <= 2 and (full or value.size <= SMALL_ARRAY):
            body = np.array2string(value, precision=4, separator=", ", threshold=64)
            return f"array({' '.join(body.split())})"
        return f"array of shape {value.shape}"
    if isinstance(value, dict):
        items = ", ".join(f"{k!r}: {describe_value(v)}" for k, v in value.items())
        return "{" + items + "}"
    if isinstance(value, float):
        return f"{value:.6g}"
    return repr(value)


def describe_case(case: Case, names: tuple[str, ...], full: bool = False) -> str:
    parts = [
        f"{name}={describe_value(value, full)}"
        for name, value in zip(names, case.args, strict=False)
    ]
    parts += [f"{key}={describe_value(value, full)}" for key, value in case.kwargs.items()]
    if case.dout is not None:
        parts.append(f"dout={describe_value(case.dout, full)}")
    text = ", ".join(parts)
    return f"{text} ({case.note})" if case.note else text
