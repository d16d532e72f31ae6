"""activation_statistics: the lecture experiment, a 10-layer, 500-unit network fed
randn(1000, 500) with weights from the student's initializer and no bias.

The worker only returns weight arrays; the grader runs the network and computes the
per-layer activation std, which must stay in a band derived from the reference over 100
seeds (reference/assignments/activation_bands.json): per layer, the wider of [min, max] over
those seeds and mean ± 6 standard deviations, widened by 2%. Under a normal model of the
per-layer std a correct initializer leaves that band with probability below 2e-9 per
layer (below 2e-8 per experiment).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from grader import course
from grader.assignments.spec import Check, FunctionSpec
from grader.checks.context import STUDENT_FAILURES, CheckContext, Outcome, explain_failure
from grader.checks.distribution import draw
from grader.report.model import Attachments, Band, Plot, Series, Table

ACTIVATIONS = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0.0)}
SIGMAS, WIDEN = 6.0, 0.02
BANDS = "assignments/activation_bands.json"


@functools.cache
def bands() -> dict:
    return json.loads(course.read_resource(BANDS))


def band(name: str) -> tuple[np.ndarray, np.ndarray]:
    stats = bands()["experiments"][name]
    mean, sd = np.array(stats["mean_std"]), np.array(stats["sd_std"])
    low = np.minimum(np.array(stats["min_std"]), mean - SIGMAS * sd) * (1 - WIDEN)
    high = np.maximum(np.array(stats["max_std"]), mean + SIGMAS * sd) * (1 + WIDEN)
    return np.maximum(low, 0.0), high


def experiment(name: str) -> dict:
    return bands()["experiments"][name]


def layer_stds(weights: list[np.ndarray], inputs: np.ndarray, activation: str) -> np.ndarray:
    """Per-layer std of the activations (the grader's own forward pass)."""
    stds, h = [], inputs
    with np.errstate(all="ignore"):
        for w in weights:
            h = ACTIVATIONS[activation](h @ w)
            stds.append(float(np.std(h)))
    return np.array(stds)


def attachments(
    title: str, yours: np.ndarray, limits: tuple[np.ndarray, np.ndarray], mean: list[float]
) -> Attachments:
    """Per-layer std against the reference band (and its mean over seeds), as a table and a
    plot, log-scaled when the band nears zero: shown with the verdict, never scored."""
    low, high = limits
    layers = range(1, len(yours) + 1)
    rows = tuple(
        (layer, f"{std:.3g}", f"{bottom:.3g} – {top:.3g}")
        for layer, std, bottom, top in zip(layers, yours, low, high, strict=True)
    )
    curves = (
        Series("yours", tuple(yours.tolist())),
        Series("reference mean", tuple(mean), reference=True),
    )
    plot = Plot(
        title,
        "layer",
        tuple(layers),
        curves,
        band=Band(tuple(low.tolist()), tuple(high.tolist())),
        log_y=bool(np.min(low[low > 0], initial=1.0) < 1e-3),
        y_label="activation std",
    )
    return Attachments(
        tables=(Table(title, ("layer", "your std", "reference band"), rows),), plots=(plot,)
    )


@dataclass(frozen=True)
class ActivationStatistics(Check):
    """The experiment named `experiment` in BANDS, run on the student's initializer."""

    kind: ClassVar[str] = "activation_statistics"
    experiment: str

    def __post_init__(self) -> None:
        super().__post_init__()
        self.require(isinstance(self.experiment, str), f"experiment={self.experiment!r}")

    def describe(self, function: FunctionSpec) -> str:
        setting = experiment(self.experiment)
        return f"activation statistics with {setting['activation']} stay in the reference band"

    def run(self, ctx: CheckContext) -> Outcome:
        setting = experiment(self.experiment)
        config = bands()
        units, layers = config["units"], config["layers"]
        inputs = ctx.rng.standard_normal((config["batch"], units))
        weights = []
        for _ in range(layers):
            try:
                weights.append(
                    draw(
                        ctx.student,
                        setting["init"],
                        (units, units),
                        int(ctx.rng.integers(2**31)),
                        dict(setting.get("init_kwargs", {})),
                    )
                )
            except STUDENT_FAILURES as error:
                return Outcome(False, explain_failure(setting["init"], error))
        yours = layer_stds(weights, inputs, setting["activation"])
        low, high = band(self.experiment)
        title = f"{setting['init']} + {setting['activation']}: activation std per layer"
        attached = attachments(title, yours, (low, high), setting["mean_std"])
        outside = [i for i in range(layers) if not low[i] <= yours[i] <= high[i]]
        if outside:
            first = outside[0]
            return Outcome(
                False,
                f"{title}: layer {first + 1} has std {yours[first]:.3g}, outside the reference "
                f"band {low[first]:.3g} – {high[first]:.3g} (layers outside: "
                f"{', '.join(str(i + 1) for i in outside)})",
                attachments=attached,
            )
        return Outcome(True, attachments=attached)
