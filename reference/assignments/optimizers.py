"""The `optimizers` assignment: update rules, learning-rate schedules and parameter
averaging (course-api.md, optim.py table).

Update rules are compared with a tolerance of 1e-4 (norm-wise relative): where epsilon is
added (inside or outside a square root) is a free choice and moves a step by under 1e-5
on our gradients, while the classic mistakes move it by 1e-2 or more.
"""

from __future__ import annotations

from grader import tolerances
from grader.assignments.battery import property_check
from grader.assignments.spec import AssignmentSpec, CheckSpec, FunctionSpec, split_points
from reference.assignments import optimizers_inputs as inputs
from reference.assignments import optimizers_properties as props

MODULE = "optim"
RULE_TOLERANCE = tolerances.UPDATE_RULE
# well-formed, one step from the defaults, from a supplied state, from another (hidden),
# trajectories of one and of two (hidden) parameters, dw untouched
RULE_WEIGHTS = (1, 2, 1, 1, 2, 1, 1)
PLAIN_WEIGHTS = (5, 3, 2)  # visible reference, hidden reference, well-formed


def update_rule(name: str, points: float, *extra: CheckSpec) -> FunctionSpec:
    """One step from defaults and from a supplied state, 50-step trajectories (one and two
    parameters), dw untouched; w and config may be updated in place."""
    well_formed, default, supplied, other, one, two, unchanged = split_points(points, RULE_WEIGHTS)
    trajectory = {"config": inputs.HYPERPARAMETERS[name], "steps": 50}
    checks = (
        CheckSpec("returns_well_formed", well_formed, options={"cases": 1}),
        CheckSpec(
            "matches_reference",
            default,
            options={"cases": (0, 2), "label": "for one step from the default config"},
        ),
        CheckSpec(
            "matches_reference",
            supplied,
            options={"cases": (2, 3), "label": "for one step from a supplied state"},
        ),
        CheckSpec(
            "matches_reference",
            other,
            "hidden",
            {"cases": (3, 4), "label": "for one step from another supplied state"},
        ),
        CheckSpec("trajectory_matches_reference", one, options=trajectory),
        CheckSpec("trajectory_matches_reference", two, "hidden", {**trajectory, "parameters": 2}),
        CheckSpec("keeps_inputs_unchanged", unchanged),
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
        CheckSpec("matches_reference", visible, options={"cases": (0, 2)}),
        CheckSpec("matches_reference", hidden, "hidden", {"cases": (2, None)}),
        CheckSpec("returns_well_formed", well_formed, options={"cases": 1}),
    )
    return FunctionSpec(name, MODULE, "plain", checks, cases, returns=returns)


ASSIGNMENT = AssignmentSpec(
    id="optimizers",
    title="Optimizers: update rules, schedules, averaging",
    reference_module="reference.optim",
    functions=(
        update_rule("sgd", 2, property_check(props.decreases_quadratic("sgd", 0.1), 0.5)),
        update_rule("sgd_momentum", 4, property_check(props.momentum_terminal_velocity, 1)),
        update_rule("nesterov_momentum", 4, property_check(props.nesterov_terminal_velocity, 1)),
        update_rule("adagrad", 3, property_check(props.adagrad_step_never_grows, 1)),
        update_rule(
            "rmsprop",
            4,
            property_check(props.scale_invariant("rmsprop"), 0.5),
            property_check(props.decreases_quadratic("rmsprop", 0.01), 0.5),
        ),
        update_rule(
            "adam",
            5,
            property_check(props.adam_first_step_is_learning_rate, 1),
            property_check(props.scale_invariant("adam"), 0.5),
            property_check(props.decreases_quadratic("adam", 0.01), 0.5),
        ),
        update_rule("adadelta", 4, property_check(props.decreases_quadratic("adadelta", 1.0), 0.5)),
        plain("step_decay", inputs.step_decay, 1, ("lr",)),
        plain("exponential_decay", inputs.exponential_decay, 1, ("lr",)),
        plain("inverse_time_decay", inputs.inverse_time_decay, 1, ("lr",)),
        plain("linear_decay", inputs.linear_decay, 1.5, ("lr",)),
        plain("ema_update", inputs.ema, 1.5, ("avg",)),
    ),
)
