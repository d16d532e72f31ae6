"""The `initializers` assignment (course-api.md, initializers.py table): random
initializers judged as distributions, plus the lecture's activation-statistics
experiments run on the student's weights."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial

import numpy as np

from grader.assignments.spec import AssignmentSpec, Case, Check, FunctionSpec, split_points
from grader.checks import (
    ActivationStatistics,
    DrawsFromRng,
    HasKNonzerosPerColumn,
    IsOrthogonal,
    MatchesDistribution,
    MatchesReference,
    ReturnsWellFormed,
)
from grader.checks.distribution import Target
from grader.sandbox.codec import RngSeed

MODULE = "initializers"
INIT_WEIGHTS = (15, 20, 65)  # well-formed, reproducible from the rng, what it draws


def shapes(*extra: dict):
    """Well-formedness cases: square and non-square shapes, with a seeded rng."""

    def generate(rng: np.random.Generator) -> list[Case]:
        kwargs = extra[0] if extra else {}
        return [
            Case((shape, RngSeed(int(rng.integers(2**31)))), kwargs)
            for shape in [(3, 7), (8, 8), (20, 5)]
        ]

    return generate


def experiment(name: str, points: float) -> Check:
    return ActivationStatistics(points, name)


def initializer(
    name: str,
    drawn: Callable[[float], Check],
    points: float,
    *extra: Check,
    kwargs: dict | None = None,
) -> FunctionSpec:
    """Well-formed, reproducible from the rng, and `drawn(points)`: the check of what it
    draws."""
    kwargs = kwargs or {}
    well_formed, rng, drawn_points = split_points(points, INIT_WEIGHTS)
    checks = (
        ReturnsWellFormed(well_formed, cases=3),
        DrawsFromRng(rng, kwargs=kwargs),
        drawn(drawn_points),
    )
    return FunctionSpec(name, MODULE, "plain", checks + extra, shapes(kwargs), returns=("W",))


def random_init(
    name: str, target: Target, points: float, *extra: Check, kwargs: dict | None = None
) -> FunctionSpec:
    drawn = partial(MatchesDistribution, target=target, kwargs=kwargs or {})
    return initializer(name, drawn, points, *extra, kwargs=kwargs)


def _zeros_cases(rng: np.random.Generator) -> list[Case]:
    return [Case((shape,)) for shape in [(3, 7), (8, 8), (20, 5)]]


def glorot_std(fan_in: int, fan_out: int, gain: float = 1.0) -> float:
    return gain * math.sqrt(2.0 / (fan_in + fan_out))


ASSIGNMENT = AssignmentSpec(
    id="initializers",
    title="Initializers: distributions and activation statistics",
    reference_module="reference.initializers",
    functions=(
        FunctionSpec(
            "zeros",
            MODULE,
            "plain",
            (
                MatchesReference(0.5),
                ReturnsWellFormed(0.5, cases=3),
            ),
            _zeros_cases,
            returns=("W",),
        ),
        random_init(
            "small_random",
            Target("normal", lambda fi, fo, scale=0.01: scale, "N(0, scale²), scale=0.01"),
            2,
            experiment("small_random_tanh", 1),
        ),
        random_init(
            "lecun_uniform",
            Target("uniform", lambda fi, fo: 1 / math.sqrt(fi), "U(±1/sqrt(fan_in))"),
            2,
        ),
        random_init(
            "xavier_uniform",
            Target(
                "uniform",
                lambda fi, fo, gain=1.0: gain * math.sqrt(6.0 / (fi + fo)),
                "U(±gain·sqrt(6/(fan_in+fan_out))), gain=1.5",
            ),
            3,
            kwargs={"gain": 1.5},
        ),
        random_init(
            "xavier_normal",
            Target("normal", glorot_std, "N(0, 2/(fan_in+fan_out))"),
            3,
            experiment("xavier_tanh", 1),
            experiment("xavier_relu", 1),
        ),
        random_init(
            "he_normal",
            Target("normal", lambda fi, fo: math.sqrt(2.0 / fi), "N(0, 2/fan_in)"),
            3,
            experiment("he_relu", 1),
        ),
        random_init(
            "he_uniform",
            Target("uniform", lambda fi, fo: math.sqrt(6.0 / fi), "U(±sqrt(6/fan_in))"),
            2,
        ),
        initializer(
            "orthogonal",
            partial(IsOrthogonal, gains=(1.0, 2.0)),
            3.05,
            experiment("orthogonal_tanh", 0.5),
        ),
        initializer(
            "sparse",
            partial(
                HasKNonzerosPerColumn,
                settings=(
                    ((200, 300), {"k": 15, "scale": 1.0}),
                    ((10, 40), {"k": 15, "scale": 0.5}),
                    ((400, 50), {"k": 30, "scale": 2.0}),
                ),
            ),
            3.05,
        ),
    ),
)
