"""The battery of checks that assignment specs compose, one frozen dataclass per kind.

Each check holds its options as typed fields, runs on a `CheckContext` and returns an
`Outcome`; it knows nothing of any particular assignment. `CHECKS` lists the classes by
kind, for code that has only a kind (a report's results).
"""

from __future__ import annotations

from grader.assignments.spec import Check
from grader.checks.distribution import DrawsFromRng, MatchesDistribution
from grader.checks.experiments import ActivationStatistics
from grader.checks.gradient import GradientMatchesNumeric
from grader.checks.mutation import KeepsInputsUnchanged
from grader.checks.network_sanity import (
    InitialLossIsChance,
    LossRisesWithRegularization,
    NetworkGradientMatchesNumeric,
)
from grader.checks.properties import SatisfiesProperty
from grader.checks.reference import MatchesReference
from grader.checks.structure import HasKNonzerosPerColumn, IsOrthogonal
from grader.checks.timing import RunsAsFastAsReference
from grader.checks.torch_functions import TorchForwardMatches, TorchGradientMatchesNumeric
from grader.checks.torch_initializers import TorchInitDistribution, TorchIsOrthogonal
from grader.checks.torch_optimizers import TorchTrajectoryMatches
from grader.checks.training import NetworkOverfits
from grader.checks.trajectory import TrajectoryMatchesReference
from grader.checks.wellformed import ReturnsWellFormed

CHECKS: dict[str, type[Check]] = {
    check.kind: check
    for check in (
        ReturnsWellFormed,
        MatchesReference,
        GradientMatchesNumeric,
        KeepsInputsUnchanged,
        SatisfiesProperty,
        TrajectoryMatchesReference,
        DrawsFromRng,
        MatchesDistribution,
        IsOrthogonal,
        HasKNonzerosPerColumn,
        ActivationStatistics,
        InitialLossIsChance,
        LossRisesWithRegularization,
        NetworkGradientMatchesNumeric,
        NetworkOverfits,
        TorchTrajectoryMatches,
        TorchForwardMatches,
        TorchGradientMatchesNumeric,
        TorchInitDistribution,
        TorchIsOrthogonal,
        RunsAsFastAsReference,
    )
}

__all__ = [
    "CHECKS",
    "ActivationStatistics",
    "DrawsFromRng",
    "GradientMatchesNumeric",
    "HasKNonzerosPerColumn",
    "InitialLossIsChance",
    "IsOrthogonal",
    "KeepsInputsUnchanged",
    "LossRisesWithRegularization",
    "MatchesDistribution",
    "MatchesReference",
    "NetworkGradientMatchesNumeric",
    "NetworkOverfits",
    "ReturnsWellFormed",
    "RunsAsFastAsReference",
    "SatisfiesProperty",
    "TorchForwardMatches",
    "TorchGradientMatchesNumeric",
    "TorchInitDistribution",
    "TorchIsOrthogonal",
    "TorchTrajectoryMatches",
    "TrajectoryMatchesReference",
]
