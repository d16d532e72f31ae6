"""Checks are typed objects: a wrong option is refused when the spec is built, every kind
is listed by the registry, each describes itself in the words reports have always used,
and a kit reduces a hidden check to its kind, points and visibility."""

from __future__ import annotations

import math
import sys

import pytest

from grader.assignments import load_assignment
from grader.assignments.spec import Check, FunctionSpec
from grader.checks import (
    CHECKS,
    ActivationStatistics,
    DrawsFromRng,
    GradientMatchesNumeric,
    HasKNonzerosPerColumn,
    InitialLossIsChance,
    IsOrthogonal,
    KeepsInputsUnchanged,
    LossRisesWithRegularization,
    MatchesDistribution,
    MatchesReference,
    NetworkGradientMatchesNumeric,
    NetworkOverfits,
    ReturnsWellFormed,
    RunsAsFastAsReference,
    SatisfiesProperty,
    TorchForwardMatches,
    TorchGradientMatchesNumeric,
    TorchInitDistribution,
    TorchIsOrthogonal,
    TorchTrajectoryMatches,
    TrajectoryMatchesReference,
)
from grader.checks.distribution import Target
from grader.checks.properties import Property
from grader.checks.timing import Workload
from grader.checks.training import Recipe
from grader.kit import HiddenCheck, decode_spec, encode_spec, property_modules
from reference.assignments.cifar import GRADIENT_NETS
from reference.assignments.gpu import LINEAR

PLAIN = FunctionSpec("f", "m", "plain", ())
BACKWARD = FunctionSpec("f_backward", "m", "backward", (), forward="f_forward")
NET = GRADIENT_NETS["batchnorm_net"]
NORMAL = Target("normal", lambda fan_in, fan_out: math.sqrt(2.0 / fan_in), "N(0, 2/fan_in)")
PROPERTY = Property("is odd", lambda: None, lambda impl, example: None)
WORKLOAD = Workload("assignments/gpu_workloads.py", "batchnorm_step", {})

DESCRIPTIONS = [
    (ReturnsWellFormed(1), PLAIN, "returns float64 values of the right shapes"),
    (MatchesReference(1), PLAIN, "matches the reference"),
    (MatchesReference(1, case_range=(1, None)), PLAIN, "matches the reference on further inputs"),
    (MatchesReference(1, label="in test mode"), PLAIN, "matches the reference in test mode"),
    (GradientMatchesNumeric(1), PLAIN, "gradients match a numerical gradient of your loss"),
    (GradientMatchesNumeric(1), BACKWARD, "gradients match a numerical gradient of your forward"),
    (KeepsInputsUnchanged(1), PLAIN, "does not modify its inputs in place"),
    (SatisfiesProperty(1, PROPERTY), PLAIN, "is odd"),
    (TrajectoryMatchesReference(1), PLAIN, "trajectory matches the reference over 50 steps"),
    (
        TrajectoryMatchesReference(1, steps=20, parameters=2),
        PLAIN,
        "keeps separate state per parameter (2 parameters, 20 steps)",
    ),
    (DrawsFromRng(1), PLAIN, "is reproducible with a seeded rng and differs across seeds"),
    (
        MatchesDistribution(1, NORMAL),
        PLAIN,
        "draws from N(0, 2/fan_in) (mean, variance, KS test; square and non-square)",
    ),
    (IsOrthogonal(1), PLAIN, "is (semi-)orthogonal: WᵀW or WWᵀ = gain²·I, tall, wide and square"),
    (
        HasKNonzerosPerColumn(1, (((10, 40), {"k": 15}),)),
        PLAIN,
        "has exactly min(k, fan_in) nonzero N(0, scale²) weights per column",
    ),
    (
        ActivationStatistics(1, "he_relu"),
        PLAIN,
        "activation statistics with relu stay in the reference band",
    ),
    (
        InitialLossIsChance(1, NET),
        PLAIN,
        "with small random weights the loss on 20 CIFAR-10 images is ln(10)",
    ),
    (
        LossRisesWithRegularization(1, NET),
        PLAIN,
        "the loss rises as L2 regularization is turned up",
    ),
    (
        NetworkGradientMatchesNumeric(1, NET),
        PLAIN,
        "whole-network gradient (affine–batchnorm–relu–affine, L2) matches a numerical gradient",
    ),
    (
        NetworkOverfits(1, Recipe(NET, "adam", 1e-2, budget=65, initializer="he_normal")),
        PLAIN,
        "overfits 20 CIFAR-10 images with batchnorm (your he_normal and adam, within 65 steps)",
    ),
    (
        TorchTrajectoryMatches(1, ({}, {"lr": 0.1}), 1e-2, oracle="torch.optim.Adam"),
        PLAIN,
        "trajectories match the reference and torch.optim (2 settings, float32 and float64, two "
        "parameter groups, a parameter without gradient, state_dict reload)",
    ),
    (TorchForwardMatches(1, LINEAR), PLAIN, "forward matches F.linear (float32 and float64)"),
    (
        TorchGradientMatchesNumeric(1, LINEAR),
        PLAIN,
        "backward agrees with a numerical gradient of the forward (float64)",
    ),
    (
        TorchInitDistribution(1, NORMAL, ({},)),
        PLAIN,
        "fills the tensor in place from N(0, 2/fan_in) (linear and conv shapes)",
    ),
    (
        TorchIsOrthogonal(1),
        PLAIN,
        "fills the tensor in place with a gain-scaled (semi-)orthogonal matrix",
    ),
    (
        RunsAsFastAsReference(1, "Adam.step", WORKLOAD),
        PLAIN,
        "Adam.step runs about as fast as the reference on the same device",
    ),
]


@pytest.mark.parametrize(("check", "function", "expected"), DESCRIPTIONS)
def test_every_check_describes_itself_as_reports_always_have(
    check: Check, function: FunctionSpec, expected: str
) -> None:
    assert check.describe(function) == expected


def test_the_registry_lists_every_kind_once_and_the_descriptions_cover_them_all() -> None:
    assert all(kind == check.kind for kind, check in CHECKS.items())
    assert {type(check) for check, _, _ in DESCRIPTIONS} == set(CHECKS.values())
    assert {kind for kind, check in CHECKS.items() if not check.kit} == {
        "initial_loss_is_chance",
        "loss_rises_with_regularization",
        "network_gradient_matches_numeric",
        "network_overfits",
        "torch_trajectory_matches",
        "runs_as_fast_as_reference",
    }


@pytest.mark.parametrize(
    "build",
    [
        lambda: MatchesReference(1, cases=(0, 1)),  # the old option name: now case_range
        lambda: ReturnsWellFormed(1, case=2),
        lambda: TrajectoryMatchesReference(1, step=50),
        lambda: SatisfiesProperty(1),  # a required option missing
        lambda: SatisfiesProperty(1, PROPERTY, "hidden"),  # visibility is keyword-only
    ],
)
def test_an_unknown_or_missing_option_fails_when_the_spec_is_built(build) -> None:
    with pytest.raises(TypeError):
        build()


@pytest.mark.parametrize(
    "build",
    [
        lambda: ReturnsWellFormed(1, cases=(0, 2)),  # a range where a count is meant
        lambda: GradientMatchesNumeric(1, cases=0),
        lambda: MatchesReference(1, case_range=2),  # a count where a range is meant
        lambda: MatchesReference(1, case_range=(2, 1)),
        lambda: MatchesReference(1, case_range=(-1, None)),
        lambda: TrajectoryMatchesReference(1, parameters=0),
        lambda: SatisfiesProperty(1, "is odd"),
        lambda: MatchesDistribution(1, "N(0, 1)"),
        lambda: KeepsInputsUnchanged(1, visibility="hiden"),
        lambda: RunsAsFastAsReference(1, "Adam.step", {"procedure": "prepare"}),
    ],
)
def test_a_wrong_option_value_fails_when_the_spec_is_built(build) -> None:
    with pytest.raises(ValueError, match="invalid option"):
        build()


def test_a_kit_keeps_of_a_hidden_check_only_its_kind_points_and_visibility() -> None:
    (spec,) = load_assignment("layers")
    modules = {name: sys.modules[name] for name in property_modules(spec)}
    decoded = decode_spec(encode_spec(spec), modules)
    for function, carried in zip(spec.functions, decoded.functions, strict=True):
        for check, kept in zip(function.checks, carried.checks, strict=True):
            assert (kept.kind, kept.points, kept.visibility) == (
                check.kind,
                check.points,
                check.visibility,
            )
            if check.visibility == "visible":
                assert type(kept) is type(check)
            else:
                assert kept == HiddenCheck(
                    kind=check.kind, points=check.points, visibility="hidden"
                )
