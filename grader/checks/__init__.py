"""The battery of named checks that assignment specs compose.

Each check takes a `CheckContext` and its `CheckSpec` and returns an `Outcome`; it knows
nothing of any particular assignment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from grader.assignments.spec import CheckSpec, FunctionSpec
from grader.checks import (
    distribution,
    experiments,
    gradient,
    mutation,
    network_sanity,
    properties,
    reference,
    structure,
    timing,
    torch_objects,
    training,
    trajectory,
    wellformed,
)
from grader.checks.context import CheckContext, Outcome


@dataclass(frozen=True)
class Check:
    """`kit`: the check can run in a student kit, from the reference's recorded answers
    on fixed inputs; checks that need the reference on what the student's code produced
    (training with blame, timing) run only where the course pack is."""

    kind: str
    run: Callable[[CheckContext, CheckSpec], Outcome]
    describe: Callable[[CheckSpec, FunctionSpec], str]
    kit: bool = True


CHECKS: dict[str, Check] = {
    check.kind: check
    for check in (
        Check("returns_well_formed", wellformed.returns_well_formed, wellformed.describe),
        Check("matches_reference", reference.matches_reference, reference.describe),
        Check("gradient_matches_numeric", gradient.gradient_matches_numeric, gradient.describe),
        Check("keeps_inputs_unchanged", mutation.keeps_inputs_unchanged, mutation.describe),
        Check("satisfies_property", properties.satisfies_property, properties.describe),
        Check(
            "trajectory_matches_reference",
            trajectory.trajectory_matches_reference,
            trajectory.describe,
        ),
        Check("draws_from_rng", distribution.draws_from_rng, distribution.describe_draws),
        Check(
            "matches_distribution",
            distribution.matches_distribution,
            distribution.describe_distribution,
        ),
        Check("is_orthogonal", structure.is_orthogonal, structure.describe_orthogonal),
        Check(
            "has_k_nonzeros_per_column",
            structure.has_k_nonzeros_per_column,
            structure.describe_sparse,
        ),
        Check(
            "activation_statistics",
            experiments.activation_statistics,
            experiments.describe,
        ),
        Check(
            "initial_loss_is_chance",
            network_sanity.initial_loss_is_chance,
            network_sanity.describe_initial_loss,
            kit=False,
        ),
        Check(
            "loss_rises_with_regularization",
            network_sanity.loss_rises_with_regularization,
            network_sanity.describe_regularization,
            kit=False,
        ),
        Check(
            "network_gradient_matches_numeric",
            network_sanity.network_gradient_matches_numeric,
            network_sanity.describe_gradient,
            kit=False,
        ),
        Check("network_overfits", training.network_overfits, training.describe, kit=False),
        Check(
            "torch_trajectory_matches",
            torch_objects.torch_trajectory_matches,
            torch_objects.describe_trajectory,
            kit=False,
        ),
        Check(
            "torch_forward_matches",
            torch_objects.torch_forward_matches,
            torch_objects.describe_parity,
        ),
        Check(
            "torch_gradient_matches_numeric",
            torch_objects.torch_gradient_matches_numeric,
            torch_objects.describe_gradient,
        ),
        Check(
            "torch_init_distribution",
            torch_objects.torch_init_distribution,
            torch_objects.describe_init,
        ),
        Check(
            "torch_is_orthogonal",
            torch_objects.torch_is_orthogonal,
            torch_objects.describe_orthogonal,
        ),
        Check(
            "runs_as_fast_as_reference",
            timing.runs_as_fast_as_reference,
            timing.describe,
            kit=False,
        ),
    )
}
