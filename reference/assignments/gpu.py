"""The `gpu` assignment (course-api.md, gpu.py table): PyTorch optimizers, initializers and
autograd Functions, checked against the hidden reference and PyTorch's own objects on the
selected device, and timed against the reference there.

PyTorch's objects are named by dotted paths; the timed workloads are builders in the public
`gpu_workloads.py` beside this file, which both workers run."""

from __future__ import annotations

import math

from grader.assignments.spec import AssignmentSpec, Check, FunctionSpec
from grader.checks import (
    RunsAsFastAsReference,
    TorchForwardMatches,
    TorchGradientMatchesNumeric,
    TorchInitDistribution,
    TorchIsOrthogonal,
    TorchTrajectoryMatches,
)
from grader.checks.distribution import Target
from grader.checks.timing import Workload
from grader.checks.torch_functions import Arg, AutogradFunction, Oracle, TensorInput
from grader.cifar10 import load_sample

MODULE = "gpu"
WORKLOADS = "assignments/gpu_workloads.py"
GAINS = {"relu": math.sqrt(2.0), "tanh": 5.0 / 3, "linear": 1.0, "sigmoid": 1.0}
OPTIMIZER_SIZES = [[1024, 1024], [1024, 1024], [1024, 1024], [1048576]]  # 4.2M parameters


def kaiming_std(fan_in: int, fan_out: int, a: float = 0.0, nonlinearity: str = "relu") -> float:
    gain = math.sqrt(2.0 / (1 + a**2)) if nonlinearity == "leaky_relu" else GAINS[nonlinearity]
    return gain / math.sqrt(fan_in)


def optimizer(name: str, default_lr: float, settings: tuple[dict, ...]) -> FunctionSpec:
    """Compared with torch.optim's namesake; timed on one step over OPTIMIZER_SIZES."""
    timed = Workload(
        WORKLOADS,
        "optimizer_step",
        {"optimizer": name, "sizes": OPTIMIZER_SIZES, "kwargs": settings[-1]},
    )
    return FunctionSpec(
        name,
        MODULE,
        "plain",
        (
            TorchTrajectoryMatches(3, settings, default_lr, oracle=f"torch.optim.{name}"),
            RunsAsFastAsReference(1, f"{name}.step over 4.2M float32 parameters", timed),
        ),
    )


def initializer(name: str, check: Check) -> FunctionSpec:
    return FunctionSpec(name, MODULE, "plain", (check,))


def autograd_function(name: str, declared: AutogradFunction, *extra: Check) -> FunctionSpec:
    checks = (TorchForwardMatches(1, declared), TorchGradientMatchesNumeric(2, declared))
    return FunctionSpec(name, MODULE, "plain", checks + extra)


LINEAR = AutogradFunction(
    inputs=(TensorInput("x", (8, 5)), TensorInput("weight", (3, 5)), TensorInput("bias", (3,))),
    oracle=Oracle("torch.nn.functional.linear", "F.linear"),
    output=(8, 3),
)
BATCHNORM = AutogradFunction(
    inputs=(
        TensorInput("x", (16, 6), scale=2.0, shift=0.5),
        TensorInput("gamma", (6,), scale=0.3, shift=1.0),
        TensorInput("beta", (6,)),
    ),
    oracle=Oracle(
        "torch.nn.functional.batch_norm",
        "F.batch_norm (training mode)",
        args=(Arg("x"), None, None, Arg("gamma"), Arg("beta")),
        kwargs={"training": True, "eps": Arg("eps")},
    ),
    extra={"eps": 1e-5},
)


def training_workload() -> Workload:
    images = load_sample()
    return Workload(
        WORKLOADS, "training_step", {"images": images.x, "labels": images.y, "hidden": 256}
    )


ASSIGNMENT = AssignmentSpec(
    id="gpu",
    title="PyTorch: optimizers, initializers and autograd Functions, timed on the device",
    reference_module="reference.gpu",
    reference_worker=("gpu",),
    requirements=("torch",),
    preload=("torch",),
    functions=(
        optimizer(
            "SGD",
            1e-2,
            (
                {"lr": 0.1},
                {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.01},
                {"lr": 0.05, "momentum": 0.9, "nesterov": True},
            ),
        ),
        optimizer(
            "RMSprop",
            1e-2,
            ({}, {"lr": 0.01, "alpha": 0.9, "eps": 1e-6, "weight_decay": 0.1}),
        ),
        optimizer(
            "Adam",
            1e-3,
            ({}, {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.1}),
        ),
        initializer(
            "xavier_uniform_",
            TorchInitDistribution(
                2,
                Target(
                    "uniform",
                    lambda fi, fo, gain=1.0: gain * math.sqrt(6.0 / (fi + fo)),
                    "U(±gain·sqrt(6/(fan_in+fan_out)))",
                ),
                settings=({}, {"gain": 2.0}),
            ),
        ),
        initializer(
            "kaiming_normal_",
            TorchInitDistribution(
                2,
                Target("normal", kaiming_std, "N(0, gain²/fan_in)"),
                settings=({}, {"a": 0.2, "nonlinearity": "leaky_relu"}),
            ),
        ),
        initializer("orthogonal_", TorchIsOrthogonal(2)),
        autograd_function("LinearFunction", LINEAR),
        autograd_function(
            "BatchNormFunction",
            BATCHNORM,
            RunsAsFastAsReference(
                1,
                "BatchNormFunction forward+backward on a (4096, 256) batch",
                Workload(
                    WORKLOADS,
                    "batchnorm_step",
                    {"function": "BatchNormFunction", "shape": [4096, 256], "eps": 1e-5},
                ),
            ),
        ),
        FunctionSpec(
            "training_run",
            MODULE,
            "plain",
            (
                RunsAsFastAsReference(
                    2,
                    "a training step of linear–batchnorm–relu–linear (hidden 256) on the 20 "
                    "CIFAR-10 images, built from your kaiming_normal_, LinearFunction, "
                    "BatchNormFunction and Adam",
                    training_workload(),
                ),
            ),
            uses=("kaiming_normal_", "LinearFunction", "BatchNormFunction", "Adam"),
        ),
    ),
)
