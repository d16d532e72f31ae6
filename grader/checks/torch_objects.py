"""Checks for PyTorch objects: optimizer trajectories against the hidden reference and
torch.optim, autograd Functions against a PyTorch function and a numerical gradient,
initializers as distributions.

The course pack declares what each object is compared with and on which inputs: an
optimizer's PyTorch counterpart by its dotted path, an autograd Function as an
`AutogradFunction` (its inputs and how they are drawn, extra arguments, the PyTorch
`Oracle` and how it is called), the shapes and gains as check fields. The student's
objects run in the student's worker and the reference and PyTorch's own objects in a
worker of their own (grader/sandbox/torch_driver.py does the driving on both sides); only
float64 arrays come back, and every comparison happens here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from grader import tolerances
from grader.assignments.spec import Check, FunctionSpec
from grader.checks.compare import relative_error
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.distribution import Target, sample_problems, target_scale
from grader.checks.numeric import STEP, centered, nudged
from grader.checks.structure import ORTHOGONALITY_TOLERANCE, gram_deviation

STEPS, RELOAD_AT = 12, 6
PARAM_SHAPES = ((6, 4), (5,), (3, 3))
SKIPPED = 1  # the parameter left without a gradient every third step
TOLERANCE = tolerances.TORCH_TRAJECTORY
FORWARD_TOLERANCE = tolerances.TORCH_FORWARD
TORCH_GRADIENT_TOLERANCE = tolerances.TORCH_GRADIENT
DIRECTIONS = 3
INIT_SHAPES = ((300, 500), (64, 32, 3, 3))
ORTHOGONAL_SHAPES = ((30, 50), (50, 30), (16, 8, 3, 3))


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


def arguments(setting: dict) -> str:
    return ", ".join(f"{key}={value!r}" for key, value in setting.items())


def skipped_step(step: int) -> bool:
    return step % 3 == 0


def trajectory_inputs(rng: np.random.Generator, shapes: tuple) -> tuple[list, list]:
    """Initial parameters and per-step gradients; parameter SKIPPED has no gradient every
    third step (it must then be left alone)."""
    params = [rng.standard_normal(shape) for shape in shapes]
    grads = [
        [
            None if i == SKIPPED and skipped_step(step) else rng.standard_normal(s)
            for i, s in enumerate(shapes)
        ]
        for step in range(STEPS)
    ]
    return params, grads


def head(values: np.ndarray) -> list[float]:
    """The first few entries, rounded, to show in feedback."""
    return np.round(np.ravel(values)[:4], 6).tolist()


def first_divergence(got: list, expected: list, tolerance: float) -> str | None:
    for step, (mine, theirs) in enumerate(zip(got, expected, strict=True), 1):
        for index, (a, b) in enumerate(zip(mine, theirs, strict=True)):
            error = relative_error(a, b)
            if not error <= tolerance:
                return (
                    f"after step {step}, parameter {index} (shape {b.shape}) differs: relative "
                    f"error {error:.3g} (allowed {tolerance:g}); expected starts {head(b)}, "
                    f"got {head(a)}"
                )
    return None


@dataclass(frozen=True)
class TorchTrajectoryMatches(Check):
    """The optimizer built with each of `settings` (its keyword arguments; `default_lr`
    is its learning rate when a setting gives none), against the reference and PyTorch's
    optimizer at the dotted path `oracle`, on parameters of `shapes` (at least three: the
    last in a second group, parameter SKIPPED sometimes without gradient)."""

    kind: ClassVar[str] = "torch_trajectory_matches"
    kit: ClassVar[bool] = False
    settings: tuple[Mapping[str, object], ...]
    default_lr: float
    oracle: str
    shapes: tuple[tuple[int, ...], ...] = PARAM_SHAPES

    def __post_init__(self) -> None:
        super().__post_init__()
        valid = isinstance(self.settings, tuple) and all(
            isinstance(setting, Mapping) for setting in self.settings
        )
        self.require(valid and len(self.settings) > 0, f"settings={self.settings!r}")
        self.require(isinstance(self.default_lr, int | float), f"default_lr={self.default_lr!r}")
        self.require(torch_path(self.oracle), f"oracle={self.oracle!r} (a dotted torch. path)")
        enough = shape_list(self.shapes) and len(self.shapes) > SKIPPED + 1
        self.require(enough, f"shapes={self.shapes!r} (at least {SKIPPED + 2} shapes)")

    @property
    def oracle_home(self) -> str:
        """Where the PyTorch optimizer lives, as reports name it ("torch.optim")."""
        return self.oracle.rsplit(".", 1)[0]

    def describe(self, function: FunctionSpec) -> str:
        count = len(self.settings)
        return (
            f"trajectories match the reference and {self.oracle_home} ({count} settings, "
            "float32 and float64, two parameter groups, a parameter without gradient, "
            "state_dict reload)"
        )

    def run(self, ctx: CheckContext) -> Outcome:
        params, grads = trajectory_inputs(ctx.rng, self.shapes)
        last = len(self.shapes) - 1
        for setting in self.settings:
            defaults = dict(setting)
            group_lr = defaults.get("lr", self.default_lr) / 2
            groups = [[list(range(last)), {}], [[last], {"lr": group_lr}]]
            for dtype in ("float64", "float32"):
                for reload_at in (None, RELOAD_AT):
                    args = {
                        "params": params,
                        "groups": groups,
                        "defaults": defaults,
                        "grads": grads,
                        "dtype": dtype,
                        "device": ctx.device,
                        "reload_at": reload_at,
                    }
                    try:
                        got = student(ctx, "optimizer_trajectory", **args)
                    except STUDENT_FAILURES as error:
                        return Outcome(False, explain_failure(ctx.function.name, error))
                    if problem := self.trajectory_problem(ctx, args, got, group_lr):
                        return Outcome(False, problem)
        return Outcome(True)

    def trajectory_problem(
        self, ctx: CheckContext, args: dict, got: list, group_lr: float
    ) -> str | None:
        """How the student's trajectory diverges from the reference's, then PyTorch's, on
        the setting in `args`; None when it follows both."""
        expected_by = (
            ("the reference", lambda: reference(ctx, "optimizer_trajectory", **args)),
            (self.oracle_home, lambda: pytorch(ctx, self.oracle, "optimizer_trajectory", **args)),
        )
        for label, expected in expected_by:
            problem = first_divergence(got, expected(), TOLERANCE[args["dtype"]])
            if problem:
                return f"{self.setup(ctx, args, group_lr)}: against {label}, {problem}"
        return None

    def setup(self, ctx: CheckContext, args: dict, group_lr: float) -> str:
        """The run in words: the optimizer, the tensors, the groups, the gaps, the reload."""
        last = len(self.shapes) - 1
        steps = ", ".join(str(step + 1) for step in range(STEPS) if skipped_step(step))
        setup = (
            f"{ctx.function.name}({arguments(args['defaults'])}) on {args['dtype']} "
            f"{ctx.device} tensors of shapes {list(self.shapes)}, parameter {last} in a second "
            f"group with lr={group_lr:g}, parameter {SKIPPED} without gradient on steps {steps}"
        )
        if args["reload_at"] is not None:
            setup += f", optimizer rebuilt from its state_dict before step {args['reload_at'] + 1}"
        return setup


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
            args["device"] = ctx.device
            try:
                got = student(ctx, "function_vjp", **args)["out"]
            except STUDENT_FAILURES as error:
                return Outcome(False, explain_failure(ctx.function.name, error))
            call = declared.oracle_call()
            expected = pytorch(ctx, declared.oracle.path, "function_vjp", **args, call=call)["out"]
            if not isinstance(got, np.ndarray) or got.shape != expected.shape:
                shape = getattr(got, "shape", type(got).__name__)
                return Outcome(False, f"the output has shape {shape}, expected {expected.shape}")
            error = relative_error(got, expected)
            if not error <= FORWARD_TOLERANCE[dtype]:
                shapes = ", ".join(str(value.shape) for value in inputs)
                return Outcome(
                    False,
                    f"{ctx.function.name}.apply on {dtype} inputs of shapes {shapes}: the output "
                    f"differs from {declared.oracle.wording} by a relative error of {error:.3g} "
                    f"(allowed {FORWARD_TOLERANCE[dtype]:g}); expected starts {head(expected)}, "
                    f"got {head(got)}",
                )
        return Outcome(True)


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
        try:
            analytic = student(ctx, "function_vjp", inputs=inputs, grad_out=grad_out, **common)
            outs = student(ctx, "function_forward_many", input_list=moved, **common)
        except STUDENT_FAILURES as error:
            return Outcome(False, explain_failure(ctx.function.name, error))
        names = [value.name for value in self.function.inputs]
        wrong = []
        for i, (name, ds) in enumerate(zip(names, directions, strict=True)):
            grad = analytic["grads"][i]
            if grad is None or grad.shape != inputs[i].shape:
                got = "no gradient" if grad is None else f"shape {grad.shape}"
                wrong.append(f"the gradient for {name} is {got}, expected shape {inputs[i].shape}")
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
        return Outcome(False, text)


def fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """torch.nn.init's fan_in and fan_out: (out, in, *kernel) weights."""
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def draw_tensor(ctx: CheckContext, shape: tuple, kwargs: dict, dtype: str = "float32") -> dict:
    seed = int(ctx.rng.integers(2**31))
    return student(
        ctx,
        "init_draw",
        shape=list(shape),
        kwargs=kwargs,
        seed=seed,
        dtype=dtype,
        device=ctx.device,
    )


def in_place_problem(name: str, shape: tuple, drawn: dict) -> str | None:
    if not drawn["returned_same"]:
        return f"{name} on a tensor of shape {shape} must return the tensor it was given"
    if not np.all(np.isfinite(drawn["values"])):
        return f"{name} on a tensor of shape {shape} left entries unfilled (NaN) in that tensor"
    return None


@dataclass(frozen=True)
class TorchInitDistribution(Check):
    """Draws on each of `shapes` with each of `settings` (keyword arguments) match
    `target`."""

    kind: ClassVar[str] = "torch_init_distribution"
    target: Target
    settings: tuple[Mapping[str, object], ...]
    shapes: tuple[tuple[int, ...], ...] = INIT_SHAPES

    def __post_init__(self) -> None:
        super().__post_init__()
        self.require(isinstance(self.target, Target), f"target={self.target!r} (a Target)")
        valid = isinstance(self.settings, tuple) and all(
            isinstance(setting, Mapping) for setting in self.settings
        )
        self.require(valid and len(self.settings) > 0, f"settings={self.settings!r}")
        self.require(shape_list(self.shapes), f"shapes={self.shapes!r}")

    def describe(self, function: FunctionSpec) -> str:
        return f"fills the tensor in place from {self.target.formula} (linear and conv shapes)"

    def run(self, ctx: CheckContext) -> Outcome:
        target = self.target
        name = ctx.function.name
        for kwargs in self.settings:
            for shape in self.shapes:
                try:
                    drawn = draw_tensor(ctx, shape, dict(kwargs))
                except STUDENT_FAILURES as error:
                    return Outcome(False, explain_failure(ctx.function.name, error))
                if problem := in_place_problem(name, shape, drawn):
                    return Outcome(False, problem)
                fan_in, fan_out = fans(shape)
                scale = target_scale(ctx, target, fan_in, fan_out, dict(kwargs))
                if problems := sample_problems(drawn["values"], target, scale):
                    call = ", ".join([f"shape={shape}", *(f"{k}={v!r}" for k, v in kwargs.items())])
                    header = f"{name}({call}), fan_in={fan_in}, fan_out={fan_out}:"
                    return Outcome(False, "\n".join([header, *problems]))
        return Outcome(True)


@dataclass(frozen=True)
class TorchIsOrthogonal(Check):
    """Each of `shapes`, filled with each of `gains`, is gain-scaled (semi-)orthogonal."""

    kind: ClassVar[str] = "torch_is_orthogonal"
    gains: tuple[float, ...] = (1.0, 2.0)
    shapes: tuple[tuple[int, ...], ...] = ORTHOGONAL_SHAPES

    def __post_init__(self) -> None:
        super().__post_init__()
        valid = isinstance(self.gains, tuple) and len(self.gains) > 0
        valid = valid and all(isinstance(g, int | float) and g > 0 for g in self.gains)
        self.require(valid, f"gains={self.gains!r}")
        self.require(shape_list(self.shapes), f"shapes={self.shapes!r}")

    def describe(self, function: FunctionSpec) -> str:
        return "fills the tensor in place with a gain-scaled (semi-)orthogonal matrix"

    def run(self, ctx: CheckContext) -> Outcome:
        name = ctx.function.name
        for gain in self.gains:
            for shape in self.shapes:
                try:
                    drawn = draw_tensor(ctx, shape, {"gain": gain}, dtype="float64")
                except STUDENT_FAILURES as error:
                    return Outcome(False, explain_failure(ctx.function.name, error))
                if problem := in_place_problem(name, shape, drawn):
                    return Outcome(False, problem)
                if problem := gram_problem(name, shape, drawn["values"], gain):
                    return Outcome(False, problem)
        return Outcome(True)


def gram_problem(name: str, shape: tuple, values: np.ndarray, gain: float) -> str | None:
    """What is wrong with a tensor's values, viewed as a matrix, as a gain-scaled
    (semi-)orthogonal one; None when nothing is."""
    w = values.reshape(shape[0], -1)
    error = gram_deviation(w, gain)
    if error <= ORTHOGONALITY_TOLERANCE * gain**2:
        return None
    rows = "rows" if w.shape[0] < w.shape[1] else "columns"
    return (
        f"{name}(shape={shape}, gain={gain}), viewed as {w.shape}: its {rows} should "
        f"be orthogonal with norm {gain:g}; largest deviation of the Gram matrix "
        f"from {gain**2:g}·I is {error:.3g}"
    )
