"""The `cifar` assignment (course-api.md): end-to-end checks on real CIFAR-10 images with
networks the grader assembles from the student's layers.py, optim.py and initializers.py.

Step budgets: at least twice the most steps the reference needed to fit the 20 images over
200 seeds (benchmarks/calibrate_cifar.py prints those numbers).
"""

from __future__ import annotations

from grader.assignments.spec import AssignmentSpec, Check, FunctionSpec
from grader.checks import (
    InitialLossIsChance,
    LossRisesWithRegularization,
    NetworkGradientMatchesNumeric,
    NetworkOverfits,
)
from grader.checks.network import Architecture
from grader.checks.training import Recipe

PIECES = {
    **dict.fromkeys(
        (
            "affine_forward",
            "affine_backward",
            "relu_forward",
            "relu_backward",
            "batchnorm_forward",
            "batchnorm_backward",
            "dropout_forward",
            "dropout_backward",
            "softmax_loss",
            "l2_regularization",
        ),
        "layers",
    ),
    "adam": "optim",
    "sgd_momentum": "optim",
    "he_normal": "initializers",
}
TWO_LAYER = Architecture(hidden=50)
BATCHNORM = Architecture(hidden=50, batchnorm=True)
DROPOUT = Architecture(hidden=50, keep=0.75)
GRADIENT_NETS = {
    "two_layer_net": Architecture(hidden=20),
    "batchnorm_net": Architecture(hidden=20, batchnorm=True),
    "dropout_net": Architecture(hidden=20, keep=0.7),
}


def overfit(recipe: Recipe, points: float) -> Check:
    return NetworkOverfits(points, recipe)


def gradient(name: str, points: float) -> Check:
    return NetworkGradientMatchesNumeric(points, GRADIENT_NETS[name])


def network(name: str, *checks: Check) -> FunctionSpec:
    return FunctionSpec(name, "layers", "plain", checks)


ASSIGNMENT = AssignmentSpec(
    id="cifar",
    title="CIFAR-10: sanity checks and overfitting with your own pieces",
    reference_module="reference.cifar",
    pieces=PIECES,
    functions=(
        network(
            "two_layer_net",
            InitialLossIsChance(1, TWO_LAYER),
            LossRisesWithRegularization(1, TWO_LAYER),
            gradient("two_layer_net", 2),
            overfit(Recipe(TWO_LAYER, "adam", 1e-3, budget=35), 3),
            overfit(Recipe(TWO_LAYER, "sgd_momentum", 1e-2, budget=35), 3),
        ),
        network(
            "batchnorm_net",
            gradient("batchnorm_net", 2),
            overfit(Recipe(BATCHNORM, "adam", 1e-2, budget=65), 3),
        ),
        network(
            "dropout_net",
            gradient("dropout_net", 2),
            overfit(Recipe(DROPOUT, "adam", 2e-3, budget=30), 3),
        ),
    ),
)
