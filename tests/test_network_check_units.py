"""The network checks on their own, in this process: the cifar spec's networks built from
a fake student made of the reference's own pieces (which passes) with one piece swapped
for a wrong one (which fails, and is named as the suspect)."""

from __future__ import annotations

import numpy as np
import pytest
from fakes import FakeStudent, context

import reference.cifar as pieces
from grader.assignments import load_assignment
from grader.checks import (
    InitialLossIsChance,
    LossRisesWithRegularization,
    NetworkGradientMatchesNumeric,
    NetworkOverfits,
)

(CIFAR,) = load_assignment("cifar")
REFERENCE = {name: getattr(pieces, name) for name in CIFAR.pieces}


def check_of(kind: type, function: str = "two_layer_net"):
    (check,) = [c for c in CIFAR.function(function).checks if isinstance(c, kind)][:1]
    return check


def run(kind: type, function: str = "two_layer_net", **wrong: object):
    student = FakeStudent(**{**REFERENCE, **wrong})
    return check_of(kind, function).run(context(CIFAR, function, student))


def doubled_loss(x, y):
    loss, dx = pieces.softmax_loss(x, y)
    return 2 * loss, 2 * dx


def relu_backward_passes_dout(dout, cache):
    return dout.copy()


def no_penalty(w, reg):
    return 0.0, np.zeros_like(w)


@pytest.mark.parametrize(
    ("kind", "function"),
    [
        (InitialLossIsChance, "two_layer_net"),
        (LossRisesWithRegularization, "two_layer_net"),
        (NetworkGradientMatchesNumeric, "batchnorm_net"),
        (NetworkOverfits, "two_layer_net"),
    ],
)
def test_the_reference_pieces_pass(kind: type, function: str) -> None:
    outcome = run(kind, function)
    assert outcome.passed, outcome.feedback


def test_a_doubled_loss_is_not_at_chance() -> None:
    outcome = run(InitialLossIsChance, softmax_loss=doubled_loss)
    assert not outcome.passed
    assert "the loss is 4.60522, expected ln(10) = 2.302585 ± 0.001" in outcome.feedback
    assert "\nSuspect: softmax_loss." in outcome.feedback


def test_a_regularizer_without_a_penalty_does_not_raise_the_loss() -> None:
    outcome = run(LossRisesWithRegularization, l2_regularization=no_penalty)
    assert not outcome.passed
    assert "the loss should rise strictly with reg, but got reg=0: 2.30261" in outcome.feedback
    assert "\nSuspect: l2_regularization." in outcome.feedback


def test_a_relu_backward_that_passes_dout_is_the_suspect_of_the_gradient_check() -> None:
    outcome = run(NetworkGradientMatchesNumeric, relu_backward=relu_backward_passes_dout)
    assert not outcome.passed
    assert "Suspect: relu_forward/relu_backward" in outcome.feedback, outcome.feedback
