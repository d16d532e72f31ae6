"""torch_trajectory_matches: an optimizer's trajectory against the hidden reference and
PyTorch's namesake (its dotted path declared by the course pack), on float32 and float64,
two parameter groups, a parameter without gradient and a state_dict reload; a divergence
from the reference names the known mistake whose trajectory is the student's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

import numpy as np

from grader import tolerances
from grader.assignments.spec import Check, FunctionSpec
from grader.checks.compare import relative_error
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.mistakes import Match, name_mistake, reproduces
from grader.checks.recording import Variant
from grader.checks.torch_objects import (
    Driven,
    head,
    pytorch,
    reference,
    shape_list,
    student,
    torch_path,
    variant,
)

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


def variant_trajectory(ctx: CheckContext, args: dict, _: Variant, impl: Driven) -> list:
    """A variant's trajectory on the setting in `args`."""
    return variant(ctx, impl, "optimizer_trajectory", **args)


def flat(trajectory: list) -> dict[tuple[int, int], np.ndarray]:
    """A trajectory by (step, parameter)."""
    return {
        (step, index): value
        for step, values in enumerate(trajectory)
        for index, value in enumerate(values)
    }


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
        the setting in `args` (with the known mistake it reproduces); None when it follows
        both."""
        expected = reference(ctx, "optimizer_trajectory", **args)
        tolerance = TOLERANCE[args["dtype"]]
        if problem := first_divergence(got, expected, tolerance):
            mistake = self.identify(ctx, args, got, expected)
            found = f"{self.setup(ctx, args, group_lr)}: against the reference, {problem}"
            return "\n".join(filter(None, [found, mistake]))
        oracle = pytorch(ctx, self.oracle, "optimizer_trajectory", **args)
        if problem := first_divergence(got, oracle, tolerance):
            return f"{self.setup(ctx, args, group_lr)}: against {self.oracle_home}, {problem}"
        return None

    def identify(self, ctx: CheckContext, args: dict, got: list, expected: list) -> str | None:
        """The known mistake whose trajectory is the student's at every step and parameter
        (`reproduces`), agreeing on finite values where the student's leaves the
        reference's: compared as `identify_mistake` compares outputs."""
        tolerance = TOLERANCE[args["dtype"]]
        mine = flat(got)
        wrong = {
            where
            for where, theirs in flat(expected).items()
            if not relative_error(mine[where], theirs) <= tolerance
        }

        def compare(trajectory: list) -> Match | None:
            theirs = flat(trajectory)
            if theirs.keys() != mine.keys():
                return None
            agree = {where: reproduces(mine[where], theirs[where], tolerance) for where in mine}
            same = all(agreement.agrees for agreement in agree.values())
            evidence = any(agree[where].on_finite_values for where in wrong)
            return Match(exact=True) if same and evidence else None

        return name_mistake(ctx, partial(variant_trajectory, ctx, args), compare)

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
