"""How a function is exercised on one case, the same way for student, reference and
known-mistake variants: call it (and its forward, for a backward) and name the outputs."""

from __future__ import annotations

import numpy as np

from grader.assignments.spec import Case, FunctionSpec
from grader.checks.implementations import Implementation


class MalformedResult(Exception):
    """The function returned something other than what the spec says it returns."""


def unpack(value: object, names: tuple[str, ...], function: str) -> dict[str, object]:
    """Name the returned values; a single return value may come bare or as a 1-tuple."""
    if len(names) == 1 and not (isinstance(value, tuple | list) and len(value) == 1):
        return {names[0]: value}
    if not isinstance(value, tuple | list):
        raise MalformedResult(
            f"{function} should return a tuple ({', '.join(names)}), "
            f"but returned a single {type(value).__name__}"
        )
    if len(value) != len(names):
        raise MalformedResult(
            f"{function} should return {len(names)} values ({', '.join(names)}), "
            f"but returned {len(value)}"
        )
    return dict(zip(names, value, strict=True))


def state_name(arg_names: tuple[str, ...], index: int, key: str) -> str:
    return f"{arg_names[index]}['{key}']"


def forward_cache(spec: FunctionSpec, impl: Implementation, case: Case) -> object:
    """Only the cache of a forward call (a backward must not depend on the forward's out)."""
    value = impl.call(spec.name, case.args, case.kwargs, keep=(1,), drop=(0,)).value
    if not isinstance(value, tuple | list) or len(value) != 2:
        raise MalformedResult(f"{spec.name} should return (out, cache)")
    return value[1]


def run_forward(
    spec: FunctionSpec, impl: Implementation, case: Case, arg_names: tuple[str, ...]
) -> tuple[dict[str, object], object]:
    """Call a forward; return its named outputs (with written-back state) and its cache."""
    reply = impl.call(spec.name, case.args, case.kwargs, keep=(1,), return_args=bool(spec.state))
    value = reply.value
    if not isinstance(value, tuple | list) or len(value) != 2:
        raise MalformedResult(f"{spec.name} should return (out, cache)")
    outputs: dict[str, object] = {"out": value[0]}
    for index, key in spec.state:
        after = reply.args_after[0][index]
        if not isinstance(after, dict) or key not in after:
            raise MalformedResult(
                f"{spec.name} did not write {key} back into {arg_names[index]} "
                f"(expected {state_name(arg_names, index, key)} after the call)"
            )
        outputs[state_name(arg_names, index, key)] = after[key]
    return outputs, value[1]


def run(
    spec: FunctionSpec,
    impl: Implementation,
    case: Case,
    arg_names: tuple[str, ...],
    forward: FunctionSpec | None = None,
) -> dict[str, object]:
    """The named outputs of `spec` on `case` (raises StudentCallFailed / MalformedResult)."""
    if spec.kind == "forward":
        return run_forward(spec, impl, case, arg_names)[0]
    if spec.kind == "backward":
        cache = forward_cache(forward, impl, case)
        return unpack(impl.call(spec.name, (case.dout, cache)).value, spec.returns, spec.name)
    outputs = unpack(impl.call(spec.name, case.args, case.kwargs).value, spec.returns, spec.name)
    return expand_dicts(spec, outputs)


def expand_dicts(spec: FunctionSpec, outputs: dict[str, object]) -> dict[str, object]:
    """Replace each returned dict named in `dict_outputs` by its compared keys."""
    for name, keys in spec.dict_outputs.items():
        value = outputs.pop(name)
        if not isinstance(value, dict):
            raise MalformedResult(
                f"{spec.name} should return {name} as a dict, not {type(value).__name__}"
            )
        for key in keys:
            if key not in value:
                raise MalformedResult(f"{spec.name} did not store {key!r} in the returned {name}")
            outputs[f"{name}['{key}']"] = value[key]
    return outputs


def as_array(value: object) -> np.ndarray | None:
    """A returned value as a float array for comparison, or None if it is not numeric."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return np.asarray(float(value))
    if isinstance(value, np.ndarray) and value.dtype.kind in "fiub":
        return value.astype(np.float64, copy=False)
    return None
