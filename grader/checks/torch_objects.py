"""Checks for the PyTorch objects of the `gpu` assignment: optimizer trajectories against
the hidden reference and torch.optim, autograd Functions against F.linear / F.batch_norm
and a numerical gradient, initializers as distributions.

The student's objects run in the student's worker and the reference and PyTorch's own
objects in a worker of their own (grader/sandbox/torch_driver.py does the driving on both
sides); only float64 arrays come back, and every comparison happens here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
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


def oracle(ctx: CheckContext, module: str, procedure: str, **args: object) -> object:
    """The hidden reference (which the reference worker holds under the student module's
    name) or PyTorch itself ("torch"), in the reference worker."""
    request = {"module": module, "name": ctx.function.name, **args}
    return ctx.reference_worker.drive(procedure, request)


def arguments(setting: dict) -> str:
    return ", ".join(f"{key}={value!r}" for key, value in setting.items())


def trajectory_inputs(rng: np.random.Generator) -> tuple[list, list]:
    """Initial parameters and per-step gradients; parameter 1 has no gradient every third
    step (it must then be left alone)."""
    params = [rng.standard_normal(shape) for shape in PARAM_SHAPES]
    grads = [
        [
            None if i == 1 and step % 3 == 0 else rng.standard_normal(s)
            for i, s in enumerate(PARAM_SHAPES)
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
    is its learning rate when a setting gives none)."""

    kind: ClassVar[str] = "torch_trajectory_matches"
    kit: ClassVar[bool] = False
    settings: tuple[Mapping[str, object], ...]
    default_lr: float

    def __post_init__(self) -> None:
        super().__post_init__()
        valid = isinstance(self.settings, tuple) and all(
            isinstance(setting, Mapping) for setting in self.settings
        )
        self.require(valid and len(self.settings) > 0, f"settings={self.settings!r}")
        self.require(isinstance(self.default_lr, int | float), f"default_lr={self.default_lr!r}")

    def describe(self, function: FunctionSpec) -> str:
        count = len(self.settings)
        return (
            f"trajectories match the reference and torch.optim ({count} settings, float32 and "
            "float64, two parameter groups, a parameter without gradient, state_dict reload)"
        )

    def run(self, ctx: CheckContext) -> Outcome:
        params, grads = trajectory_inputs(ctx.rng)
        for setting in self.settings:
            defaults = dict(setting)
            group_lr = defaults.get("lr", self.default_lr) / 2
            groups = [[[0, 1], {}], [[2], {"lr": group_lr}]]
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
                    if problem := trajectory_problem(ctx, args, got, group_lr):
                        return Outcome(False, problem)
        return Outcome(True)


def trajectory_problem(ctx: CheckContext, args: dict, got: list, group_lr: float) -> str | None:
    """How the student's trajectory diverges from the reference's, then torch.optim's, on
    the setting in `args`; None when it follows both."""
    oracles = ((ctx.function.module, "the reference"), ("torch", "torch.optim"))
    for source, label in oracles:
        expected = oracle(ctx, source, "optimizer_trajectory", **args)
        if problem := first_divergence(got, expected, TOLERANCE[args["dtype"]]):
            setup = (
                f"{ctx.function.name}({arguments(args['defaults'])}) on {args['dtype']} "
                f"{ctx.device} tensors of shapes {list(PARAM_SHAPES)}, parameter 2 in a second "
                f"group with lr={group_lr:g}, parameter 1 without gradient on steps 1, 4, 7, 10"
            )
            if args["reload_at"] is not None:
                setup += (
                    f", optimizer rebuilt from its state_dict before step {args['reload_at'] + 1}"
                )
            return f"{setup}: against {label}, {problem}"
    return None


def function_inputs(name: str, rng: np.random.Generator) -> tuple[list, list]:
    """Inputs (and extra non-tensor arguments) for an autograd Function."""
    if name == "LinearFunction":
        return [rng.standard_normal(s) for s in ((8, 5), (3, 5), (3,))], []
    x = rng.standard_normal((16, 6)) * 2.0 + 0.5
    return [x, 1.0 + 0.3 * rng.standard_normal(6), rng.standard_normal(6)], [1e-5]


@dataclass(frozen=True)
class TorchForwardMatches(Check):
    """`oracle` words the PyTorch function the forward is compared with."""

    kind: ClassVar[str] = "torch_forward_matches"
    oracle: str

    def __post_init__(self) -> None:
        super().__post_init__()
        self.require(isinstance(self.oracle, str), f"oracle={self.oracle!r}")

    def describe(self, function: FunctionSpec) -> str:
        return f"forward matches {self.oracle} (float32 and float64)"

    def run(self, ctx: CheckContext) -> Outcome:
        inputs, extra = function_inputs(ctx.function.name, ctx.rng)
        for dtype in ("float64", "float32"):
            args = {"inputs": inputs, "extra": extra, "grad_out": None, "dtype": dtype}
            args["device"] = ctx.device
            try:
                got = student(ctx, "function_vjp", **args)["out"]
            except STUDENT_FAILURES as error:
                return Outcome(False, explain_failure(ctx.function.name, error))
            expected = oracle(ctx, "torch", "function_vjp", **args)["out"]
            if not isinstance(got, np.ndarray) or got.shape != expected.shape:
                shape = getattr(got, "shape", type(got).__name__)
                return Outcome(False, f"the output has shape {shape}, expected {expected.shape}")
            error = relative_error(got, expected)
            if not error <= FORWARD_TOLERANCE[dtype]:
                shapes = ", ".join(str(value.shape) for value in inputs)
                return Outcome(
                    False,
                    f"{ctx.function.name}.apply on {dtype} inputs of shapes {shapes}: the output "
                    f"differs from {self.oracle} by a relative error of {error:.3g} "
                    f"(allowed {FORWARD_TOLERANCE[dtype]:g}); expected starts {head(expected)}, "
                    f"got {head(got)}",
                )
        return Outcome(True)


@dataclass(frozen=True)
class TorchGradientMatchesNumeric(Check):
    """Directional derivatives of <grad_out, forward> along random directions, by centered
    differences, against the gradients the student's backward returns."""

    kind: ClassVar[str] = "torch_gradient_matches_numeric"

    def describe(self, function: FunctionSpec) -> str:
        return "backward agrees with a numerical gradient of the forward (float64)"

    def run(self, ctx: CheckContext) -> Outcome:
        inputs, extra = function_inputs(ctx.function.name, ctx.rng)
        grad_out_shape = (inputs[0].shape[0], inputs[1].shape[0])
        grad_out = ctx.rng.standard_normal(grad_out_shape)
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
        names = (
            ("x", "weight", "bias")
            if ctx.function.name == "LinearFunction"
            else ("x", "gamma", "beta")
        )
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
    """Draws on INIT_SHAPES with each of `settings` (keyword arguments) match `target`."""

    kind: ClassVar[str] = "torch_init_distribution"
    target: Target
    settings: tuple[Mapping[str, object], ...]

    def __post_init__(self) -> None:
        super().__post_init__()
        self.require(isinstance(self.target, Target), f"target={self.target!r} (a Target)")
        valid = isinstance(self.settings, tuple) and all(
            isinstance(setting, Mapping) for setting in self.settings
        )
        self.require(valid and len(self.settings) > 0, f"settings={self.settings!r}")

    def describe(self, function: FunctionSpec) -> str:
        return f"fills the tensor in place from {self.target.formula} (linear and conv shapes)"

    def run(self, ctx: CheckContext) -> Outcome:
        target = self.target
        name = ctx.function.name
        for kwargs in self.settings:
            for shape in INIT_SHAPES:
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
    kind: ClassVar[str] = "torch_is_orthogonal"

    def describe(self, function: FunctionSpec) -> str:
        return "fills the tensor in place with a gain-scaled (semi-)orthogonal matrix"

    def run(self, ctx: CheckContext) -> Outcome:
        name = ctx.function.name
        for gain in (1.0, 2.0):
            for shape in ORTHOGONAL_SHAPES:
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
