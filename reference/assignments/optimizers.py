"""The `optimizers` assignment: update rules, learning-rate schedules and parameter
averaging (course-api.md, optim.py table).

Update rules are compared with a tolerance of 1e-4 (norm-wise relative): where epsilon is
added (inside or outside a square root) is a free choice and moves a step by under 1e-5
on our gradients, while the classic mistakes move it by 1e-2 or more.
"""

from __future__ import annotations

from grader import tolerances
from grader.assignments.spec import AssignmentSpec, Check, FunctionSpec, split_points
from grader.checks import (
    KeepsInputsUnchanged,
    MatchesReference,
    ReturnsWellFormed,
    SatisfiesProperty,
    TrajectoryMatchesReference,
)
from reference.assignments import optimizers_inputs as inputs
from reference.assignments import optimizers_properties as props

MODULE = "optim"
RULE_TOLERANCE = tolerances.UPDATE_RULE
# well-formed, one step from the defaults, from a supplied state, from another (hidden),
# trajectories of one and of two (hidden) parameters, dw untouched
RULE_WEIGHTS = (1, 2, 1, 1, 2, 1, 1)
PLAIN_WEIGHTS = (5, 3, 2)  # visible reference, hidden reference, well-formed


def update_rule(name: str, points: float, *extra: Check) -> FunctionSpec:
    """One step from defaults and from a supplied state, 50-step trajectories (one and two
    parameters), dw untouched; w and config may be updated in place."""
    well_formed, default, supplied, other, one, two, unchanged = split_points(points, RULE_WEIGHTS)
    config = inputs.HYPERPARAMETERS[name]
    checks = (
        ReturnsWellFormed(well_formed, cases=1),
        MatchesReference(default, case_range=(0, 2), label="for one step from the default config"),
        MatchesReference(supplied, case_range=(2, 3), label="for one step from a supplied state"),
        MatchesReference(
            other,
            case_range=(3, 4),
            label="for one step from another supplied state",
            visibility="hidden",
        ),
        TrajectoryMatchesReference(one, config=config, steps=50),
        TrajectoryMatchesReference(two, config=config, steps=50, parameters=2, visibility="hidden"),
        KeepsInputsUnchanged(unchanged),
    )
    return FunctionSpec(
        name,
        MODULE,
        "plain",
        checks + extra,
        inputs.update_rule(name),
        returns=("next_w", "config"),
        dict_outputs={"config": inputs.STATE_KEYS[name]},
        mutable_args=(0, 2),
        tolerance=RULE_TOLERANCE,
    )


def plain(name: str, cases, points: float, returns: tuple[str, ...]) -> FunctionSpec:
    visible, hidden, well_formed = split_points(points, PLAIN_WEIGHTS)
    checks = (
        MatchesReference(visible, case_range=(0, 2)),
        MatchesReference(hidden, case_range=(2, None), visibility="hidden"),
        ReturnsWellFormed(well_formed, cases=1),
    )
    return FunctionSpec(name, MODULE, "plain", checks, cases, returns=returns)


ASSIGNMENT = AssignmentSpec(
    id="optimizers",
    title="Optimizers: update rules, schedules, averaging",
    reference_module="reference.optim",
    functions=(
        update_rule("sgd", 2, SatisfiesProperty(0.5, props.decreases_quadratic("sgd", 0.1))),
        update_rule("sgd_momentum", 4, SatisfiesProperty(1, props.momentum_terminal_velocity)),
        update_rule("nesterov_momentum", 4, SatisfiesProperty(1, props.nesterov_terminal_velocity)),
        update_rule("adagrad", 3, SatisfiesProperty(1, props.adagrad_step_never_grows)),
        update_rule(
            "rmsprop",
            4,
            SatisfiesProperty(0.5, props.scale_invariant("rmsprop")),
            SatisfiesProperty(0.5, props.decreases_quadratic("rmsprop", 0.01)),
        ),
        update_rule(
            "adam",
            5,
            SatisfiesProperty(1, props.adam_first_step_is_learning_rate),
            SatisfiesProperty(0.5, props.scale_invariant("adam")),
            SatisfiesProperty(0.5, props.decreases_quadratic("adam", 0.01)),
        ),
        update_rule(
            "adadelta", 4, SatisfiesProperty(0.5, props.decreases_quadratic("adadelta", 1.0))
        ),
        plain("step_decay", inputs.step_decay, 1, ("lr",)),
        plain("exponential_decay", inputs.exponential_decay, 1, ("lr",)),
        plain("inverse_time_decay", inputs.inverse_time_decay, 1, ("lr",)),
        plain("linear_decay", inputs.linear_decay, 1.5, ("lr",)),
        plain("ema_update", inputs.ema, 1.5, ("avg",)),
    ),
)
