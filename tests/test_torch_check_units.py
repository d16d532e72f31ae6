"""The PyTorch checks on their own, against tiny torch objects driven in this process by
the worker's own torch procedures (tests/fakes.py `InProcessTorchWorker`): a correct object
passes, a wrong one fails with the words a student reads. PyTorch's own objects stand in
for the hidden reference; known mistakes are objects declared inline (`declared`), named
only when they reproduce what the student's object does."""

from __future__ import annotations

import functools

import pytest

torch = pytest.importorskip("torch")

from fakes import Mistakes, TorchStudent, course_module, torch_context  # noqa: E402 - after guard

from grader.assignments.spec import AssignmentSpec, FunctionSpec  # noqa: E402
from grader.checks import (  # noqa: E402
    TorchForwardMatches,
    TorchGradientMatchesNumeric,
    TorchInitDistribution,
    TorchIsOrthogonal,
    TorchTrajectoryMatches,
)
from grader.checks.distribution import Target  # noqa: E402
from grader.checks.torch_functions import AutogradFunction, Oracle, TensorInput  # noqa: E402

LINEAR = AutogradFunction(
    inputs=(TensorInput("x", (6, 4)), TensorInput("weight", (3, 4)), TensorInput("bias", (3,))),
    oracle=Oracle("torch.nn.functional.linear", "F.linear"),
    output=(6, 3),
)


class LinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias):
        ctx.save_for_backward(x, weight)
        return x @ weight.T + bias

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        return grad @ weight, grad.T @ x, grad.sum(0)


class NoBias(LinearFunction):
    @staticmethod
    def forward(ctx, x, weight, bias):
        ctx.save_for_backward(x, weight)
        return x @ weight.T


class MeanBiasGrad(LinearFunction):
    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        return grad @ weight, grad.T @ x, grad.mean(0)


class PlainSGD(torch.optim.Optimizer):
    """SGD that ignores momentum and weight decay."""

    def __init__(self, params, lr=1e-2, momentum=0.0, weight_decay=0.0):
        super().__init__(params, {"lr": lr, "momentum": momentum, "weight_decay": weight_decay})

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p.add_(p.grad, alpha=-group["lr"])


def fan_in_uniform_(tensor, gain=1.0):
    """The bound of kaiming_uniform, not of xavier_uniform."""
    bound = gain * (3.0 / tensor.shape[1]) ** 0.5
    with torch.no_grad():
        return tensor.uniform_(-bound, bound)


def returns_new_tensor_(tensor, gain=1.0):
    return torch.nn.init.xavier_uniform_(torch.empty_like(tensor), gain)


def normal_(tensor, gain=1.0):
    with torch.no_grad():
        return tensor.normal_(0.0, gain / tensor.shape[1] ** 0.5)


XAVIER = Target(
    "uniform",
    lambda fan_in, fan_out, gain=1.0: gain * (6.0 / (fan_in + fan_out)) ** 0.5,
    "U(±gain·sqrt(6/(fan_in+fan_out)))",
)
CHECKS = {
    "LinearFunction": (TorchForwardMatches(1, LINEAR), TorchGradientMatchesNumeric(1, LINEAR)),
    "SGD": (
        TorchTrajectoryMatches(
            1, ({"lr": 0.1}, {"lr": 0.1, "momentum": 0.9}), 1e-2, "torch.optim.SGD"
        ),
    ),
    "xavier_uniform_": (TorchInitDistribution(1, XAVIER, ({}, {"gain": 2.0})),),
    "orthogonal_": (TorchIsOrthogonal(1),),
}
TOY = AssignmentSpec(
    "toy_torch",
    "toy PyTorch objects",
    course_module("fake_torch_reference"),  # the reference's objects live in its worker
    tuple(FunctionSpec(name, "toy", "plain", checks) for name, checks in CHECKS.items()),
)
REFERENCE = {
    "LinearFunction": LinearFunction,
    "SGD": torch.optim.SGD,
    "xavier_uniform_": torch.nn.init.xavier_uniform_,
    "orthogonal_": torch.nn.init.orthogonal_,
}


def run(function: str, index: int, mistakes: Mistakes | None = None, **student: object):
    check = CHECKS[function][index]
    ctx = torch_context(TOY, function, TorchStudent(**student), REFERENCE, mistakes=mistakes)
    return check.run(ctx)


def fails_with(outcome, *phrases: str) -> str:
    assert not outcome.passed, outcome.feedback
    for phrase in phrases:
        assert phrase in outcome.feedback, outcome.feedback
    return outcome.feedback


@pytest.mark.parametrize(
    ("function", "index"),
    [(name, i) for name, checks in CHECKS.items() for i in range(len(checks))],
)
def test_the_reference_objects_pass(function: str, index: int) -> None:
    assert run(function, index, **REFERENCE).passed


def test_a_forward_without_its_bias_differs_from_the_oracle() -> None:
    fails_with(
        run("LinearFunction", 0, LinearFunction=NoBias),
        "LinearFunction.apply on float64 inputs of shapes (6, 4), (3, 4), (3,): the output "
        "differs from F.linear by a relative error of",
    )


def test_a_bias_gradient_averaged_over_the_batch_is_named_by_input() -> None:
    feedback = fails_with(
        run("LinearFunction", 1, LinearFunction=MeanBiasGrad),
        "the gradients from backward disagree with centered differences",
        "bias: relative error",
    )
    assert "x: relative error" not in feedback and "weight: relative error" not in feedback


def test_a_function_that_raises_fails_with_the_workers_words() -> None:
    class Broken(LinearFunction):
        @staticmethod
        def forward(ctx, x, weight, bias):
            raise NotImplementedError

    fails_with(
        run("LinearFunction", 0, LinearFunction=Broken),
        "LinearFunction is not implemented yet: it raised NotImplementedError",
    )


def test_an_optimizer_that_ignores_momentum_diverges_from_the_reference() -> None:
    fails_with(
        run("SGD", 0, SGD=PlainSGD),
        "SGD(lr=0.1, momentum=0.9) on float64 cpu tensors",
        "against the reference, after step 2, parameter 0",
    )


def test_a_missing_optimizer_is_reported_as_missing() -> None:
    fails_with(run("SGD", 0), "SGD is not defined in your student.py")


def test_an_initializer_with_the_wrong_bound_fails_the_distribution_test() -> None:
    fails_with(
        run("xavier_uniform_", 0, xavier_uniform_=fan_in_uniform_),
        "xavier_uniform_(shape=(300, 500)), fan_in=500, fan_out=300:",
    )


def test_an_initializer_must_fill_and_return_the_tensor_it_was_given() -> None:
    fails_with(
        run("xavier_uniform_", 0, xavier_uniform_=returns_new_tensor_),
        "xavier_uniform_ on a tensor of shape (300, 500) must return the tensor it was given",
    )


def test_a_gaussian_matrix_is_not_orthogonal() -> None:
    fails_with(
        run("orthogonal_", 0, orthogonal_=normal_),
        "orthogonal_(shape=(30, 50), gain=1.0), viewed as (30, 50): its rows should be "
        "orthogonal with norm 1",
    )


# --- known mistakes: variants of the (empty) reference module, driven in this process -----


class TransposedWeightGrad(LinearFunction):
    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        return grad @ weight, x.T @ grad, grad.sum(0)


def scaled_xavier_(factor: float):
    def xavier_uniform_(tensor, gain=1.0):
        return torch.nn.init.xavier_uniform_(tensor, gain * factor)

    return xavier_uniform_


def orthogonal_without_gain_(tensor, gain=1.0):
    return torch.nn.init.orthogonal_(tensor)


def declared(function: str, *variants: tuple[str, object]) -> Mistakes:
    """Known mistakes of `function`, each (key, the object that makes it)."""
    return {function: [(key, f"the {key} mistake", {function: obj}) for key, obj in variants]}


LINEAR_MISTAKES = declared(
    "LinearFunction",
    ("no-bias", NoBias),
    ("weight-grad-transposed", TransposedWeightGrad),
    ("bias-grad-mean", MeanBiasGrad),
)


def names(feedback: str) -> list[str]:
    return [line for line in feedback.splitlines() if "mistake (" in line]


def test_a_forward_that_a_variant_reproduces_is_named_and_no_other() -> None:
    feedback = fails_with(
        run("LinearFunction", 0, LINEAR_MISTAKES, LinearFunction=NoBias),
        "differs from F.linear",
    )
    assert names(feedback) == ["Known mistake (no-bias): the no-bias mistake"]


def test_a_backward_is_named_by_the_gradients_it_returns() -> None:
    feedback = fails_with(
        run("LinearFunction", 1, LINEAR_MISTAKES, LinearFunction=MeanBiasGrad),
        "bias: relative error",
    )
    assert names(feedback) == ["Known mistake (bias-grad-mean): the bias-grad-mean mistake"]


def test_a_gradient_autograd_refuses_is_named_by_what_backward_returned() -> None:
    feedback = fails_with(
        run("LinearFunction", 1, LINEAR_MISTAKES, LinearFunction=TransposedWeightGrad),
        "LinearFunction raised RuntimeError",
        "invalid gradient at index 1",
    )
    assert names(feedback) == [
        "Known mistake (weight-grad-transposed): the weight-grad-transposed mistake"
    ]


def test_a_variant_that_does_not_reproduce_the_student_is_not_named() -> None:
    others = declared("LinearFunction", ("bias-grad-mean", MeanBiasGrad))
    for index, student in ((0, NoBias), (1, TransposedWeightGrad)):
        feedback = fails_with(run("LinearFunction", index, others, LinearFunction=student))
        assert names(feedback) == []


def test_an_optimizer_is_named_by_its_whole_trajectory() -> None:
    mistakes = declared(
        "SGD",
        ("dampened", functools.partial(torch.optim.SGD, dampening=0.9)),
        ("momentum-ignored", PlainSGD),
    )
    feedback = fails_with(run("SGD", 0, mistakes, SGD=PlainSGD), "against the reference")
    assert names(feedback) == ["Known mistake (momentum-ignored): the momentum-ignored mistake"]
    half_dampened = functools.partial(torch.optim.SGD, dampening=0.5)
    assert names(fails_with(run("SGD", 0, mistakes, SGD=half_dampened))) == []


def test_an_initializer_is_named_likely_by_its_distribution() -> None:
    mistakes = declared(
        "xavier_uniform_", ("fan-in-bound", fan_in_uniform_), ("doubled", scaled_xavier_(2.0))
    )
    feedback = fails_with(run("xavier_uniform_", 0, mistakes, xavier_uniform_=fan_in_uniform_))
    assert names(feedback) == ["Likely mistake (fan-in-bound): the fan-in-bound mistake"]


def test_a_variant_that_draws_the_target_distribution_explains_no_failure() -> None:
    """1.5% too wide fails the variance test on 150,000 values, yet the two-sample test
    cannot tell it from a correct variant's 20,000."""
    mistakes = declared("xavier_uniform_", ("looks-right", torch.nn.init.xavier_uniform_))
    student = scaled_xavier_(1.015)
    feedback = fails_with(run("xavier_uniform_", 0, mistakes, xavier_uniform_=student), "std")
    assert names(feedback) == []


def test_an_orthogonal_fill_is_named_by_its_singular_values() -> None:
    mistakes = declared(
        "orthogonal_", ("ignores-gain", orthogonal_without_gain_), ("no-qr", normal_)
    )
    unscaled = fails_with(run("orthogonal_", 0, mistakes, orthogonal_=orthogonal_without_gain_))
    assert names(unscaled) == ["Known mistake (ignores-gain): the ignores-gain mistake"]
    gaussian = fails_with(run("orthogonal_", 0, mistakes, orthogonal_=normal_))
    assert names(gaussian) == [
        "Likely mistake (no-qr): the no-qr mistake (your singular values are spread like "
        "this mistake's)"
    ]
