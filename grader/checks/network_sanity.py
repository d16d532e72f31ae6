"""The lecture's sanity checks on a network built from the student's layers, on real
CIFAR-10 images: the initial loss is chance, L2 regularization raises it, and the composed
backward pass agrees with a numerical gradient of the composed forward pass.

Feedback names the suspect piece by re-running the check with one student piece at a time
(grader/checks/blame.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from grader import tolerances
from grader.assignments.spec import Check, FunctionSpec
from grader.checks.blame import find_suspects
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.implementations import Implementation
from grader.checks.network import Architecture, Piece, Pieces, backward, forward
from grader.checks.numeric import STEP, centered, nudged
from grader.cifar10 import ImageSet, load_images
from grader.report.model import Attachments, Table

SMALL_STD = 1e-3  # "small initial weights": scores near zero, so the loss is ln(classes)
CHANCE_TOLERANCE = tolerances.CHANCE_LOSS
GRADIENT_TOLERANCE = tolerances.GRADIENT
REGULARIZATION = (0.0, 0.1, 1.0, 10.0)
DIRECTIONS = 3  # random directions per parameter for the directional derivatives
KINK_MARGIN = tolerances.NETWORK_KINK_MARGIN
GRADIENT_FLOOR = tolerances.NETWORK_GRADIENT_FLOOR
REDRAWS = 50
MASK_SEED = 231  # one fixed random mask for every forward pass of a gradient check


def student_pieces(ctx: CheckContext, pieces: tuple[Piece, ...]) -> Pieces:
    return Pieces(ctx.student, ctx.reference, frozenset(pieces))


def small_params(net: Architecture, inputs: int, rng: np.random.Generator) -> dict:
    shapes = net.weight_shapes(inputs)
    return net.initial_params({k: SMALL_STD * rng.standard_normal(s) for k, s in shapes.items()})


def passes(test: Callable[[Pieces], bool]) -> Callable[[Pieces], bool]:
    """A student failure inside a blame run counts as the check failing."""

    def guarded(pieces: Pieces) -> bool:
        try:
            return test(pieces)
        except STUDENT_FAILURES:
            return False

    return guarded


@dataclass(frozen=True)
class NetworkCheck(Check):
    """A check on the network `net` that the grader assembles from the student's pieces."""

    kit: ClassVar[bool] = False
    net: Architecture

    def __post_init__(self) -> None:
        super().__post_init__()
        self.require(isinstance(self.net, Architecture), f"net={self.net!r} (an Architecture)")

    def calls(self) -> frozenset[str]:
        return frozenset(name for piece in self.net.pieces(regularized=True) for name in piece)

    def small_network(self, ctx: CheckContext) -> tuple[ImageSet, dict]:
        """The images, and small random weights for the network."""
        images = load_images(ctx.cifar_dir)
        return images, small_params(self.net, images.x.shape[1], ctx.rng)


@dataclass(frozen=True)
class InitialLossIsChance(NetworkCheck):
    kind: ClassVar[str] = "initial_loss_is_chance"

    def describe(self, function: FunctionSpec) -> str:
        return "with small random weights the loss on 20 CIFAR-10 images is ln(10)"

    def run(self, ctx: CheckContext) -> Outcome:
        net, (images, params) = self.net, self.small_network(ctx)
        x, y = images.x, images.y
        chance = math.log(net.classes)

        def loss(pieces: Pieces) -> float:
            return forward(net, pieces, params, x, y).loss

        try:
            got = loss(student_pieces(ctx, net.pieces()))
        except STUDENT_FAILURES as error:
            return Outcome(False, explain_failure(ctx.function.name, error))
        if abs(got - chance) <= CHANCE_TOLERANCE:
            return Outcome(True)
        goal = "starts at ln(10)"
        blame = find_suspects(
            net.pieces(),
            ctx.student,
            ctx.reference,
            passes(lambda pieces: abs(loss(pieces) - chance) <= CHANCE_TOLERANCE),
            goal,
        )
        return Outcome(
            False,
            f"{net.describe()} with weights drawn from N(0, {SMALL_STD:g}²) and zero biases, on "
            f"{images.source}: the loss is {got:.6g}, expected ln({net.classes}) = {chance:.6f} "
            f"± {CHANCE_TOLERANCE:g} (scores near zero give every class probability 1/"
            f"{net.classes}).\n{blame}",
        )


@dataclass(frozen=True)
class LossRisesWithRegularization(NetworkCheck):
    kind: ClassVar[str] = "loss_rises_with_regularization"

    def describe(self, function: FunctionSpec) -> str:
        return "the loss rises as L2 regularization is turned up"

    def run(self, ctx: CheckContext) -> Outcome:
        net, (images, params) = self.net, self.small_network(ctx)
        x, y = images.x, images.y
        pieces = net.pieces(regularized=True)

        def losses(pieces: Pieces) -> list[float]:
            return [forward(net, pieces, params, x, y, reg=reg).loss for reg in REGULARIZATION]

        def rises(values: list[float]) -> bool:
            return all(later > earlier for earlier, later in zip(values, values[1:], strict=False))

        try:
            got = losses(student_pieces(ctx, pieces))
        except STUDENT_FAILURES as error:
            return Outcome(False, explain_failure(ctx.function.name, error))
        table = Table(
            "loss of the two-layer net as L2 regularization grows",
            ("reg", "your loss"),
            tuple((f"{r:g}", f"{v:.6g}") for r, v in zip(REGULARIZATION, got, strict=True)),
        )
        if rises(got):
            return Outcome(True)
        listed = ", ".join(f"reg={r:g}: {v:.6g}" for r, v in zip(REGULARIZATION, got, strict=True))
        blame = find_suspects(
            pieces, ctx.student, ctx.reference, passes(lambda p: rises(losses(p))), "rises with reg"
        )
        return Outcome(
            False,
            f"{net.describe()} with the L2 penalty of {net.regularizer} on "
            f"{' and '.join(net.weights)}, on "
            f"{images.source}: the loss should rise strictly with reg, but got {listed}.\n{blame}",
            attachments=Attachments(tables=(table,)),
        )


def away_from_kinks(
    net: Architecture, reference: Implementation, params: dict, data: tuple[np.ndarray, np.ndarray]
) -> bool:
    """Whether what enters each layer with a kink (a ReLU) stays KINK_MARGIN away from it,
    by the reference, so that numerical steps do not cross it."""
    kinked = [index for index, stage in enumerate(net) if stage.layer.kink]
    if not kinked:
        return True
    everything = Pieces(reference, reference, frozenset())
    tape = forward(net, everything, params, *data, seed=MASK_SEED)
    return all(np.min(np.abs(tape.inputs[index])) >= KINK_MARGIN for index in kinked)


def gradient_params(
    net: Architecture,
    reference: Implementation,
    data: tuple[np.ndarray, np.ndarray],
    rng: np.random.Generator,
) -> dict:
    """He-scale weights and other parameters jittered around their fill values, away from
    every kink."""
    x = data[0]
    for _ in range(REDRAWS):
        shapes = net.weight_shapes(x.shape[1])
        params = {
            key: rng.standard_normal(shape) * math.sqrt(2.0 / shape[0])
            for key, shape in shapes.items()
        }
        params = net.initial_params(params)
        for key, (shape, param) in net.shapes(x.shape[1]).items():
            if not param.weights:
                params[key] = param.fill + 0.1 * rng.standard_normal(shape)
        if away_from_kinks(net, reference, params, data):
            return params
    raise RuntimeError("could not draw parameters away from the kinks")


def gradient_errors(
    net: Architecture,
    pieces: Pieces,
    params: dict,
    data: tuple[np.ndarray, np.ndarray],
    reg: float,
    directions: dict[str, list[np.ndarray]],
) -> dict[str, float]:
    """Per parameter, the norm-wise relative error between the backward pass's directional
    derivatives and centered differences of the forward pass along the same directions."""
    x, y = data

    def loss(values: dict) -> float:
        return forward(net, pieces, values, x, y, seed=MASK_SEED, reg=reg).loss

    tape = forward(net, pieces, params, x, y, seed=MASK_SEED, reg=reg)
    grads = backward(net, pieces, params, tape)
    pieces.forget(tape.caches)
    errors = {}
    for key, vectors in directions.items():
        analytic = np.array([float(np.sum(grads[key] * v)) for v in vectors])
        values = [loss(params | {key: point}) for v in vectors for point in nudged(params[key], v)]
        numeric = centered(values)
        scale = max(float(np.linalg.norm(analytic)), float(np.linalg.norm(numeric)), GRADIENT_FLOOR)
        errors[key] = float(np.linalg.norm(analytic - numeric)) / scale
    return errors


@dataclass(frozen=True)
class NetworkGradientMatchesNumeric(NetworkCheck):
    """With an L2 penalty of strength `reg`."""

    kind: ClassVar[str] = "network_gradient_matches_numeric"
    reg: float = 0.1

    def __post_init__(self) -> None:
        super().__post_init__()
        self.require(isinstance(self.reg, int | float) and self.reg >= 0, f"reg={self.reg!r}")

    def describe(self, function: FunctionSpec) -> str:
        return (
            f"whole-network gradient ({'–'.join(self.net.names)}, L2) matches a numerical gradient"
        )

    def run(self, ctx: CheckContext) -> Outcome:
        net, reg = self.net, self.reg
        images = load_images(ctx.cifar_dir)
        data = (images.x, images.y)
        params = gradient_params(net, ctx.reference, data, ctx.rng)
        directions = {
            key: [ctx.rng.standard_normal(value.shape) for _ in range(DIRECTIONS)]
            for key, value in params.items()
        }
        pieces = net.pieces(regularized=True)

        def errors(pieces: Pieces) -> dict[str, float]:
            return gradient_errors(net, pieces, params, data, reg, directions)

        try:
            got = errors(student_pieces(ctx, pieces))
        except STUDENT_FAILURES as error:
            return Outcome(False, explain_failure(ctx.function.name, error))
        wrong = {key: error for key, error in got.items() if not error <= GRADIENT_TOLERANCE}
        if not wrong:
            return Outcome(True)
        blame = find_suspects(
            pieces,
            ctx.student,
            ctx.reference,
            passes(lambda p: max(errors(p).values()) <= GRADIENT_TOLERANCE),
            "matches the numerical gradient",
        )
        listed = ", ".join(f"{key} (relative error {error:.2g})" for key, error in wrong.items())
        right = ", ".join(key for key in got if key not in wrong) or "none"
        masks = dict.fromkeys(
            s.layer.name for s in net if s.layer.settings and s.layer.settings.seed
        )
        seeded = "".join(f", {name} seed {MASK_SEED}" for name in masks)
        return Outcome(
            False,
            f"{net.describe()} with L2 reg={reg:g}{seeded} on {images.source}: the gradients "
            f"your backward passes compose disagree with centered differences (step {STEP:g}) of "
            f"the loss your forward passes compose, along {DIRECTIONS} random directions per "
            f"parameter, for {listed} (tolerance {GRADIENT_TOLERANCE:g}); these agree: {right}."
            f"\n{blame}",
        )
