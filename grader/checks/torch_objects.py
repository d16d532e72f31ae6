"""What every PyTorch check shares: driving an object in the student's worker, the hidden
reference or PyTorch's own object (a dotted `torch.` path) in the reference worker
(grader/sandbox/torch_driver.py does the driving on both sides; only float64 arrays come
back, and every comparison happens in the grader), driving a known mistake's object in the
grader's process, and validating declared shapes.

The course pack declares what each object is compared with and on which inputs
(reference/assignments/gpu.py); the checks are in torch_optimizers.py, torch_functions.py
and torch_initializers.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import numpy as np

from grader.checks.context import CheckContext


def student(ctx: CheckContext, procedure: str, **args: object) -> object:
    return ctx.student.worker.drive(
        procedure, {"module": ctx.function.module, "name": ctx.function.name, **args}
    )


def reference(ctx: CheckContext, procedure: str, **args: object) -> object:
    """The hidden reference, which the reference worker holds under the student module's
    name."""
    request = {"module": ctx.function.module, "name": ctx.function.name, **args}
    return ctx.reference_worker.drive(procedure, request)


def pytorch(ctx: CheckContext, path: str, procedure: str, **args: object) -> object:
    """PyTorch's own object at the dotted `path`, in the reference worker."""
    return ctx.reference_worker.drive(procedure, {"module": "torch", "name": path, **args})


class Driven(Protocol):
    """A known mistake's implementation, which drives its torch objects in this process."""

    def drive(self, procedure: str, request: Mapping[str, object]) -> object: ...


def variant(ctx: CheckContext, impl: Driven, procedure: str, **args: object) -> object:
    """A known mistake's object, driven in the grader's process (where variants live) and
    on the CPU whatever the device: a student's values agree with it there within the
    checks' tolerances, and a kit's recorded answers hold on every machine."""
    request = {"module": ctx.function.module, "name": ctx.function.name, **args, "device": "cpu"}
    return impl.drive(procedure, request)


def torch_path(path: object) -> bool:
    return isinstance(path, str) and path.startswith("torch.")


def shape_list(shapes: object) -> bool:
    """A non-empty tuple of shapes (tuples of positive ints)."""
    return (
        isinstance(shapes, tuple)
        and len(shapes) > 0
        and all(
            isinstance(shape, tuple) and all(isinstance(n, int) and n > 0 for n in shape)
            for shape in shapes
        )
    )


def head(values: np.ndarray) -> list[float]:
    """The first few entries, rounded, to show in feedback."""
    return np.round(np.ravel(values)[:4], 6).tolist()
