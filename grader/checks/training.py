"""network_overfits: the lecture's sanity check that a network can overfit a tiny training
set, run on real CIFAR-10 images with the student's initializer, optimizer and layers.

The grader drives the loop: every step calls the student's functions in the worker and
gets plain arrays back. Accuracy and loss are computed from those arrays by the reference
forward pass in test mode, so the verdict never rests on what student code reports. The
step budget is at least twice the most steps the reference needed over 200 seeds
(benchmarks/calibrate_cifar.py), so a correct submission that draws its random numbers
differently still fits with room to spare.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from grader.assignments.spec import Check, FunctionSpec
from grader.checks.blame import find_suspects
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.network import (
    Architecture,
    Piece,
    Pieces,
    as_float_array,
    as_pair,
    backward,
    evaluate,
    forward,
)
from grader.cifar10 import load_images
from grader.report.model import Attachments, Plot, Series, Table
from grader.sandbox.codec import RngSeed

RATIO_STEPS = 5  # steps whose update-to-weight ratios are reported
CURVE_ROWS = 8


@dataclass(frozen=True)
class Recipe:
    """How the grader trains a network: which pieces, learning rate and step budget.
    `initializer` (shape, rng) draws each weight; `optimizer` (w, dw, config) -> (next_w,
    config) updates every parameter."""

    net: Architecture
    optimizer: str
    learning_rate: float
    budget: int
    target_loss: float = 0.01
    initializer: str = field(kw_only=True)

    def pieces(self) -> tuple[Piece, ...]:
        return ((self.initializer,), (self.optimizer,), *self.net.pieces())

    def describe(self) -> str:
        return (
            f"{self.net.describe()}, weights from {self.initializer}, trained with "
            f"{self.optimizer} (learning rate {self.learning_rate:g})"
        )


@dataclass
class TrainingRun:
    losses: list[float] = field(default_factory=list)  # per step, as the pieces computed it
    accuracy: float = 0.0  # after the last step, by the reference in test mode
    loss: float = math.inf
    fitted_at: int | None = None
    ratios: list[tuple[float, ...]] = field(default_factory=list)  # per weight, early steps
    error: Exception | None = None  # the student failure that stopped training

    @property
    def fitted(self) -> bool:
        return self.fitted_at is not None


def update_ratio(before: np.ndarray, after: np.ndarray) -> float:
    scale = float(np.linalg.norm(before))
    return float(np.linalg.norm(after - before)) / scale if scale else math.inf


def initial_weights(recipe: Recipe, pieces: Pieces, inputs: int, seed: int) -> dict:
    weights = {}
    for offset, (key, shape) in enumerate(recipe.net.weight_shapes(inputs).items()):
        value = pieces.call(recipe.initializer, (shape, RngSeed(seed + offset))).value
        weights[key] = as_float_array(value, shape, f"{recipe.initializer}({shape})")
    return weights


def train(recipe: Recipe, pieces: Pieces, x: np.ndarray, y: np.ndarray, seed: int) -> TrainingRun:
    """Full-batch training until the images are fitted or the budget is spent."""
    run, net = TrainingRun(), recipe.net
    try:
        params = net.initial_params(initial_weights(recipe, pieces, x.shape[1], seed))
        configs: dict[str, object] = {
            key: {"learning_rate": recipe.learning_rate} for key in params
        }
        state: dict[int, dict[str, np.ndarray]] = {}
        for step in range(1, recipe.budget + 1):
            tape = forward(net, pieces, params, x, y, seed=seed + step, state=state)
            run.losses.append(tape.loss)
            grads = backward(net, pieces, params, tape)
            pieces.forget(tape.caches)
            updated = {}
            for key, value in params.items():
                reply = pieces.call(recipe.optimizer, (value, grads[key], configs[key]), keep=(1,))
                next_w, config = as_pair(reply.value, recipe.optimizer, "next_w, config")
                pieces.forget([configs[key]])
                configs[key] = config
                updated[key] = as_float_array(next_w, value.shape, f"{recipe.optimizer}'s next_w")
            if step <= RATIO_STEPS:
                run.ratios.append(
                    tuple(update_ratio(params[key], updated[key]) for key in net.weights)
                )
            params, state = updated, tape.state
            run.accuracy, run.loss = evaluate(net, pieces.reference, params, state, x, y)
            if not math.isfinite(run.loss):
                break
            if run.accuracy == 1.0 and run.loss <= recipe.target_loss:
                run.fitted_at = step
                break
    except STUDENT_FAILURES as error:
        run.error = error
    return run


def diagnostics(recipe: Recipe, yours: TrainingRun, reference: TrainingRun) -> Attachments:
    """Loss curve and early update-to-weight ratios: reported, never scored."""
    steps = len(yours.losses)
    shown = sorted({*range(1, min(steps, CURVE_ROWS - 1) + 1), steps} - {0})
    weights, rows = recipe.net.weights, []
    for step in shown:
        ratios = yours.ratios[step - 1] if step <= len(yours.ratios) else (None,) * len(weights)
        theirs = reference.losses[step - 1] if step <= len(reference.losses) else None
        rows.append(
            (
                step,
                f"{yours.losses[step - 1]:.4g}",
                "" if theirs is None else f"{theirs:.4g}",
                *("" if ratio is None else f"{ratio:.2e}" for ratio in ratios),
            )
        )
    title = f"training loss with your {recipe.optimizer}{recipe.net.variant()}"
    longest = max(len(yours.losses), len(reference.losses))
    ratios = tuple(f"|Δ{key}|/|{key}|" for key in weights)
    columns = ("step", "your loss", "reference loss", *ratios)
    curves = (
        Series("yours", padded(yours.losses, longest)),
        Series("reference", padded(reference.losses, longest), reference=True),
    )
    return Attachments(
        tables=(Table(title, columns, tuple(rows)),),
        plots=(
            Plot(title, "step", tuple(range(1, longest + 1)), curves, log_y=True, y_label="loss"),
        ),
    )


def padded(values: list[float], length: int) -> tuple[float | None, ...]:
    return (*values, *([None] * (length - len(values))))


@dataclass(frozen=True)
class NetworkOverfits(Check):
    """Training by `recipe` fits the 20 images within its step budget."""

    kind: ClassVar[str] = "network_overfits"
    kit: ClassVar[bool] = False
    recipe: Recipe

    def __post_init__(self) -> None:
        super().__post_init__()
        self.require(isinstance(self.recipe, Recipe), f"recipe={self.recipe!r} (a Recipe)")

    def calls(self) -> frozenset[str]:
        return frozenset(name for piece in self.recipe.pieces() for name in piece)

    def describe(self, function: FunctionSpec) -> str:
        recipe = self.recipe
        return (
            f"overfits 20 CIFAR-10 images{recipe.net.variant()} (your {recipe.initializer} and "
            f"{recipe.optimizer}, within {recipe.budget} steps)"
        )

    def run(self, ctx: CheckContext) -> Outcome:
        recipe = self.recipe
        images = load_images(ctx.cifar_dir)
        x, y, seed = images.x, images.y, int(ctx.rng.integers(2**30))
        yours = train(
            recipe, Pieces(ctx.student, ctx.reference, frozenset(recipe.pieces())), x, y, seed
        )
        reference = train(recipe, Pieces(ctx.reference, ctx.reference, frozenset()), x, y, seed)
        attached = diagnostics(recipe, yours, reference) if yours.losses else Attachments()
        if yours.fitted:
            return Outcome(True, attachments=attached)
        setting = f"Trained {recipe.describe()} on {images.source}"
        if yours.error is not None:
            why = explain_failure(ctx.function.name, yours.error)
            stopped = f"training stopped at step {len(yours.losses) + 1}: {why}"
            return Outcome(False, f"{setting}: {stopped}", attachments=attached)
        steps = len(yours.losses)
        result = (
            f"after {steps} steps the training accuracy is {yours.accuracy:.0%} and the loss "
            f"{yours.loss:.4g} (needed: 100% and a loss ≤ {recipe.target_loss:g}; the reference "
            f"gets there in {reference.fitted_at} steps)"
        )
        if not math.isfinite(yours.loss):
            result = (
                f"the loss became {yours.loss} at step {steps}: training diverged (the reference "
                f"fits the images in {reference.fitted_at} steps)"
            )

        def works(pieces: Pieces) -> bool:
            return train(recipe, pieces, x, y, seed).fitted

        goal = f"overfits within {recipe.budget} steps"
        blame = find_suspects(recipe.pieces(), ctx.student, ctx.reference, works, goal)
        return Outcome(False, f"{setting}: {result}.\n{blame}", attachments=attached)
