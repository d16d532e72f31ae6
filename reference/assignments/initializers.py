"""The `initializers` assignment (course-api.md, initializers.py table): random
initializers judged as distributions, plus the lecture's activation-statistics
experiments run on the student's weights."""

from __future__ import annotations

import math

import numpy as np

from grader.assignments.spec import AssignmentSpec, Case, CheckSpec, FunctionSpec, split_points
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


def experiment(name: str, points: float) -> CheckSpec:
    return CheckSpec("activation_statistics", points, options={"experiment": name})


def initializer(
    name: str,
    kind: str,
    options: dict,
    points: float,
    *extra: CheckSpec,
    kwargs: dict | None = None,
) -> FunctionSpec:
    """Well-formed, reproducible from the rng, and the check of what it draws (`kind`)."""
    kwargs = kwargs or {}
    well_formed, rng, drawn = split_points(points, INIT_WEIGHTS)
    checks = (
        CheckSpec("returns_well_formed", well_formed, options={"cases": 3}),
        CheckSpec("draws_from_rng", rng, options={"kwargs": kwargs}),
        CheckSpec(kind, drawn, options=options),
    )
    return FunctionSpec(name, MODULE, "plain", checks + extra, shapes(kwargs), returns=("W",))


def random_init(
    name: str, target: Target, points: float, *extra: CheckSpec, kwargs: dict | None = None
) -> FunctionSpec:
    options = {"target": target, "kwargs": kwargs or {}}
    return initializer(name, "matches_distribution", options, points, *extra, kwargs=kwargs)


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
                CheckSpec("matches_reference", 0.5, options={"cases": (0, None)}),
                CheckSpec("returns_well_formed", 0.5, options={"cases": 3}),
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
            "is_orthogonal",
            {"gains": (1.0, 2.0)},
            3.05,
            experiment("orthogonal_tanh", 0.5),
        ),
        initializer(
            "sparse",
            "has_k_nonzeros_per_column",
            {
                "settings": (
                    ((200, 300), {"k": 15, "scale": 1.0}),
                    ((10, 40), {"k": 15, "scale": 0.5}),
                    ((400, 50), {"k": 30, "scale": 2.0}),
                )
            },
            3.05,
        ),
    ),
)
