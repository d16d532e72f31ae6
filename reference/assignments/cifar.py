"""The `cifar` assignment (course-api.md): end-to-end checks on real CIFAR-10 images with
networks the grader assembles from the student's layers.py, optim.py and initializers.py.

The layers, the loss, the regularizer and the initializer are declared here, as data the
engine's network code reads (grader/checks/network.py): a new layer or network needs its
reference function(s) and an entry here, no engine change.

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
from grader.checks.network import Architecture, Layer, Param, Settings, Stage
from grader.checks.training import Recipe

AFFINE = Layer(
    "affine", "affine_forward", "affine_backward", params=(Param("w"), Param("b", fill=0.0))
)
RELU = Layer("relu", "relu_forward", "relu_backward", kink=True)
BATCHNORM = Layer(
    "batchnorm",
    "batchnorm_forward",
    "batchnorm_backward",
    params=(Param("gamma", fill=1.0), Param("beta", fill=0.0)),
    settings=Settings("bn_param", state=("running_mean", "running_var")),
    noted=True,
)
DROPOUT = Layer(
    "dropout",
    "dropout_forward",
    "dropout_backward",
    settings=Settings("dropout_param", seed="seed"),
    noted=True,
)
LAYERS = (AFFINE, RELU, BATCHNORM, DROPOUT)
LOSS, REGULARIZER, INITIALIZER = "softmax_loss", "l2_regularization", "he_normal"
CLASSES = 10

PIECES = {
    **dict.fromkeys(
        (*(name for layer in LAYERS for name in layer.functions), LOSS, REGULARIZER), "layers"
    ),
    "adam": "optim",
    "sgd_momentum": "optim",
    INITIALIZER: "initializers",
}


def two_layer(hidden: int, *middle: Stage) -> Architecture:
    """affine – middle – affine – softmax, with L2 on both weights."""
    stages = (AFFINE(hidden), *middle, AFFINE(CLASSES))
    return Architecture(stages, loss=LOSS, regularizer=REGULARIZER, loss_label="softmax")


TWO_LAYER = two_layer(50, RELU())
BATCHNORM_NET = two_layer(50, BATCHNORM(), RELU())
DROPOUT_NET = two_layer(50, RELU(), DROPOUT(p=0.75))
GRADIENT_NETS = {
    "two_layer_net": two_layer(20, RELU()),
    "batchnorm_net": two_layer(20, BATCHNORM(), RELU()),
    "dropout_net": two_layer(20, RELU(), DROPOUT(p=0.7)),
}


def overfit(
    points: float, net: Architecture, optimizer: str, learning_rate: float, budget: int
) -> Check:
    recipe = Recipe(net, optimizer, learning_rate, budget=budget, initializer=INITIALIZER)
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
            overfit(3, TWO_LAYER, "adam", 1e-3, 35),
            overfit(3, TWO_LAYER, "sgd_momentum", 1e-2, 35),
        ),
        network(
            "batchnorm_net",
            gradient("batchnorm_net", 2),
            overfit(3, BATCHNORM_NET, "adam", 1e-2, 65),
        ),
        network(
            "dropout_net",
            gradient("dropout_net", 2),
            overfit(3, DROPOUT_NET, "adam", 2e-3, 30),
        ),
    ),
)
