"""torch_trajectory_matches: an optimizer's trajectory against the hidden reference and
PyTorch's namesake (its dotted path declared by the course pack), on float32 and float64,
two parameter groups, a parameter without gradient and a state_dict reload."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from grader import tolerances
from grader.assignments.spec import Check, FunctionSpec
from grader.checks.compare import relative_error
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.torch_objects import head, pytorch, reference, shape_list, student, torch_path

STEPS, RELOAD_AT = 12, 6
PARAM_SHAPES = ((6, 4), (5,), (3, 3))
SKIPPED = 1  # the parameter left without a gradient every third step
TOLERANCE = tolerances.TORCH_TRAJECTORY


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
