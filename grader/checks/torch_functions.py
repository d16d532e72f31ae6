"""Autograd Functions, declared by the course pack as an `AutogradFunction` (its inputs and
how they are drawn, extra arguments, the PyTorch `Oracle` and how it is called): the forward
against the oracle, the backward against centered differences of the student's forward.
On failure both name the known mistake whose forward, or whose backward's returns, are the
student's (`mistakes.outputs_match`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import ClassVar

import numpy as np

from grader import tolerances
from grader.assignments.spec import Check, FunctionSpec
from grader.checks.compare import relative_error
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.mistakes import name_mistake, outputs_match, record_variants
from grader.checks.numeric import STEP, centered, nudged
from grader.checks.recording import Variant
from grader.checks.torch_objects import Driven, head, pytorch, student, torch_path, variant

FORWARD_TOLERANCE = tolerances.TORCH_FORWARD
TORCH_GRADIENT_TOLERANCE = tolerances.TORCH_GRADIENT
DIRECTIONS = 3


@dataclass(frozen=True)
class TensorInput:
    """A tensor argument of an autograd Function, drawn as shift + scale · N(0, 1)."""

    name: str
    shape: tuple[int, ...]
    scale: float = 1.0
    shift: float = 0.0

    def draw(self, rng: np.random.Generator) -> np.ndarray:
        return rng.standard_normal(self.shape) * self.scale + self.shift


@dataclass(frozen=True)
class Arg:
    """In an `Oracle`'s call, the autograd Function's argument of this name."""

    name: str


@dataclass(frozen=True)
class Oracle:
    """PyTorch's own version of an autograd Function: the function at the dotted `path`
    (under torch.), called with `args` and `kwargs` in which an `Arg` stands for the
    Function's argument of that name (`args` None: all of them, in order); `wording`
    names it in reports."""

    path: str
    wording: str
    args: tuple | None = None
    kwargs: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not torch_path(self.path) or not isinstance(self.wording, str):
            raise ValueError(f"Oracle({self.path!r}, {self.wording!r}): a torch. path, its wording")


@dataclass(frozen=True)
class AutogradFunction:
    """How an autograd Function is exercised: `Function.apply(*inputs, *extra)`, the
    tensor `inputs` drawn in order, then the non-tensor `extra` arguments (eps, ...); its
    output has the shape `output` (None: the first input's); `oracle` is PyTorch's
    version of it."""

    inputs: tuple[TensorInput, ...]
    oracle: Oracle
    extra: Mapping[str, object] = field(default_factory=dict)
    output: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        names = self.names()
        if not self.inputs or len(set(names)) != len(names):
            raise ValueError(f"inputs={self.inputs!r}: one or more, with distinct names")
        oracle = self.oracle
        unknown = [
            value.name
            for value in (*(oracle.args or ()), *oracle.kwargs.values())
            if isinstance(value, Arg) and value.name not in names
        ]
        if unknown:
            raise ValueError(f"the oracle's call names unknown arguments: {unknown}")

    def names(self) -> list[str]:
        return [value.name for value in self.inputs] + list(self.extra)

    def draw(self, rng: np.random.Generator) -> tuple[list, list]:
        """Tensor inputs and extra arguments for one call."""
        return [value.draw(rng) for value in self.inputs], list(self.extra.values())

    def output_shape(self) -> tuple[int, ...]:
        return self.output if self.output is not None else self.inputs[0].shape

    def oracle_call(self) -> dict:
        """The oracle's call as plain data for torch_driver.Called: ["arg", i] stands for
        the Function's i-th argument, ["value", v] for v itself."""
        names = self.names()

        def item(value: object) -> list:
            return ["arg", names.index(value.name)] if isinstance(value, Arg) else ["value", value]

        args = self.oracle.args
        positional = [["arg", i] for i in range(len(names))] if args is None else map(item, args)
        kwargs = {key: item(value) for key, value in self.oracle.kwargs.items()}
        return {"args": list(positional), "kwargs": kwargs}


def require_autograd_function(check: Check) -> None:
    check.require(
        isinstance(check.function, AutogradFunction),
        f"function={check.function!r} (an AutogradFunction)",
    )


@dataclass(frozen=True)
class TorchForwardMatches(Check):
    """The forward, on `function`'s inputs, against its PyTorch oracle."""

    kind: ClassVar[str] = "torch_forward_matches"
    function: AutogradFunction

    def __post_init__(self) -> None:
        super().__post_init__()
        require_autograd_function(self)

    def describe(self, function: FunctionSpec) -> str:
        return f"forward matches {self.function.oracle.wording} (float32 and float64)"

    def run(self, ctx: CheckContext) -> Outcome:
        declared = self.function
        inputs, extra = declared.draw(ctx.rng)
        for dtype in ("float64", "float32"):
            args = {"inputs": inputs, "extra": extra, "grad_out": None, "dtype": dtype}
            forwards = variant_forwards(ctx, args)
            record_variants(ctx, forwards)
            try:
                got = student(ctx, "function_vjp", **args, device=ctx.device)["out"]
            except STUDENT_FAILURES as error:
                return Outcome(False, explain_failure(ctx.function.name, error))
            call = declared.oracle_call()
            expected = pytorch(
                ctx, declared.oracle.path, "function_vjp", **args, device=ctx.device, call=call
            )["out"]
            if problem := self.problem(ctx, inputs, dtype, got, expected):
                tolerance = FORWARD_TOLERANCE[dtype]
                same = partial(outputs_match, {"out": got}, wrong={"out"}, tolerance=tolerance)
                mistake = name_mistake(ctx, forwards, same)
                return Outcome(False, "\n".join(filter(None, [problem, mistake])))
        return Outcome(True)

    def problem(
        self, ctx: CheckContext, inputs: list, dtype: str, got: object, expected: np.ndarray
    ) -> str | None:
        """What is wrong with the student's output `got`, if anything."""
        if not isinstance(got, np.ndarray) or got.shape != expected.shape:
            shape = getattr(got, "shape", type(got).__name__)
            return f"the output has shape {shape}, expected {expected.shape}"
        error = relative_error(got, expected)
        if error <= FORWARD_TOLERANCE[dtype]:
            return None
        shapes = ", ".join(str(value.shape) for value in inputs)
        return (
            f"{ctx.function.name}.apply on {dtype} inputs of shapes {shapes}: the output "
            f"differs from {self.function.oracle.wording} by a relative error of {error:.3g} "
            f"(allowed {FORWARD_TOLERANCE[dtype]:g}); expected starts {head(expected)}, "
            f"got {head(got)}"
        )


def variant_forwards(ctx: CheckContext, args: dict) -> Callable[[Variant, Driven], dict]:
    """A variant's forward output on a check's inputs (`args` of function_vjp)."""
    return lambda _, impl: {"out": variant(ctx, impl, "function_vjp", **args)["out"]}


@dataclass(frozen=True)
class TorchGradientMatchesNumeric(Check):
    """Directional derivatives of <grad_out, forward> along random directions, by centered
    differences, against the gradients the student's backward returns, on `function`'s
    inputs."""

    kind: ClassVar[str] = "torch_gradient_matches_numeric"
    function: AutogradFunction

    def __post_init__(self) -> None:
        super().__post_init__()
        require_autograd_function(self)

    def describe(self, function: FunctionSpec) -> str:
        return "backward agrees with a numerical gradient of the forward (float64)"

    def run(self, ctx: CheckContext) -> Outcome:
        inputs, extra = self.function.draw(ctx.rng)
        grad_out = ctx.rng.standard_normal(self.function.output_shape())
        directions = [[ctx.rng.standard_normal(v.shape) for _ in range(DIRECTIONS)] for v in inputs]
        moved = [
            [*inputs[:i], point, *inputs[i + 1 :]]
            for i, ds in enumerate(directions)
            for d in ds
            for point in nudged(inputs[i], d)
        ]
        common = {"extra": extra, "dtype": "float64", "device": ctx.device}
        evidence = {"inputs": inputs, "extra": extra, "grad_out": grad_out, "dtype": "float64"}
        record_variants(ctx, self.variant_gradients(ctx, evidence))
        try:
            analytic = student(ctx, "function_vjp", inputs=inputs, grad_out=grad_out, **common)
            outs = student(ctx, "function_forward_many", input_list=moved, **common)
        except STUDENT_FAILURES as error:
            failure = explain_failure(ctx.function.name, error)
            return Outcome(False, "\n".join(filter(None, [failure, self.identify(ctx, evidence)])))
        names = [value.name for value in self.function.inputs]
        wrong, flagged = [], set()
        for i, (name, ds) in enumerate(zip(names, directions, strict=True)):
            grad = analytic["grads"][i]
            if grad is None or grad.shape != inputs[i].shape:
                got = "no gradient" if grad is None else f"shape {grad.shape}"
                wrong.append(f"the gradient for {name} is {got}, expected shape {inputs[i].shape}")
                flagged.add(name)
                continue
            base = i * DIRECTIONS * 2
            numeric = centered(
                [float(np.sum(grad_out * out)) for out in outs[base : base + 2 * DIRECTIONS]]
            )
            exact = np.array([float(np.sum(grad * d)) for d in ds])
            error = relative_error(exact, numeric)
            if not error <= TORCH_GRADIENT_TOLERANCE:
                wrong.append(
                    f"{name}: relative error {error:.3g} (allowed {TORCH_GRADIENT_TOLERANCE:g})"
                )
                flagged.add(name)
        if not wrong:
            return Outcome(True)
        shapes = ", ".join(f"{n} {v.shape}" for n, v in zip(names, inputs, strict=True))
        hint = student(ctx, "gradcheck_message", inputs=inputs, extra=extra, device=ctx.device)
        text = (
            f"{ctx.function.name} on float64 inputs ({shapes}) with a random grad_out: the "
            f"gradients from backward disagree with centered differences (step {STEP:g}) "
            f"of forward along {DIRECTIONS} random directions: " + "; ".join(wrong)
        )
        if hint:
            text += f"\ntorch.autograd.gradcheck says: {hint.splitlines()[0]}"
        return Outcome(
            False, "\n".join(filter(None, [text, self.identify(ctx, evidence, flagged)]))
        )

    def identify(
        self, ctx: CheckContext, evidence: dict, flagged: set[str] | None = None
    ) -> str | None:
        """The known mistake whose backward returns what the student's does (as returned,
        before autograd checks their shapes) for the gradients found wrong: `flagged`, or
        when autograd refused the student's gradients, those of the wrong shape."""
        try:
            returned = student(ctx, "backward_returns", **evidence, device=ctx.device)
        except STUDENT_FAILURES:
            return None
        mine = self.by_input(returned)
        if flagged is None:
            flagged = {
                value.name
                for value in self.function.inputs
                if getattr(mine.get(value.name), "shape", None) != value.shape
            }
        return name_mistake(
            ctx,
            self.variant_gradients(ctx, evidence),
            lambda theirs: outputs_match(mine, theirs, flagged, TORCH_GRADIENT_TOLERANCE),
        )

    def by_input(self, returned: list) -> dict[str, object]:
        """What backward returned, by the name of the tensor input it is the gradient of."""
        return dict(zip((value.name for value in self.function.inputs), returned, strict=False))

    def variant_gradients(
        self, ctx: CheckContext, evidence: dict
    ) -> Callable[[Variant, Driven], dict]:
        """What a variant's backward returns on the check's inputs and grad_out."""
        return lambda _, impl: self.by_input(variant(ctx, impl, "backward_returns", **evidence))
