"""The `layers` assignment: forward/backward passes, losses, normalization, dropout,
regularizers (course-api.md, layers.py table). Points roughly follow difficulty."""

from __future__ import annotations

from grader.assignments.spec import AssignmentSpec, Check, FunctionSpec
from grader.checks import (
    KeepsInputsUnchanged,
    MatchesReference,
    ReturnsWellFormed,
    SatisfiesProperty,
)
from grader.checks.battery import backward_checks, forward_checks, loss_checks
from reference.assignments import layers_hidden_properties as hidden_props
from reference.assignments import layers_inputs as inputs
from reference.assignments import layers_properties as props

MODULE = "layers"


def forward(name: str, cases, points: float, *extra: Check, **fields) -> FunctionSpec:
    checks = forward_checks(points, fields.pop("visible_cases", 1)) + extra
    return FunctionSpec(name, MODULE, "forward", checks, cases, **fields)


def backward(name: str, of: str, grads: dict[str, int], points: float, *extra, **fields):
    returns = tuple(grads)
    checks = backward_checks(points) + extra
    return FunctionSpec(
        name, MODULE, "backward", checks, forward=of, returns=returns, gradient_of=grads, **fields
    )


def loss(name: str, cases, points: float, *extra: Check, **fields) -> FunctionSpec:
    return FunctionSpec(
        name,
        MODULE,
        "plain",
        loss_checks(points) + extra,
        cases,
        returns=("loss", "dw" if name.endswith("regularization") else "dx"),
        gradient_of={"dw" if name.endswith("regularization") else "dx": 0},
        **fields,
    )


BN_STATE = ((3, "running_mean"), (3, "running_var"))

ASSIGNMENT = AssignmentSpec(
    id="layers",
    title="Layers: forward and backward passes",
    reference_module="reference.layers",
    functions=(
        forward("affine_forward", inputs.affine, 3),
        backward("affine_backward", "affine_forward", {"dx": 0, "dw": 1, "db": 2}, 4),
        forward("relu_forward", inputs.elementwise, 2),
        backward("relu_backward", "relu_forward", {"dx": 0}, 2),
        forward("leaky_relu_forward", inputs.with_alpha(0.1), 2),
        backward("leaky_relu_backward", "leaky_relu_forward", {"dx": 0}, 2),
        forward("prelu_forward", inputs.prelu, 2),
        backward("prelu_backward", "prelu_forward", {"dx": 0, "dalpha": 1}, 3),
        forward("elu_forward", inputs.with_alpha(0.7), 2),
        backward("elu_backward", "elu_forward", {"dx": 0}, 2),
        forward(
            "sigmoid_forward",
            inputs.smooth,
            2,
            SatisfiesProperty(1, props.sigmoid_bounded_and_symmetric),
        ),
        backward("sigmoid_backward", "sigmoid_forward", {"dx": 0}, 2),
        forward("tanh_forward", inputs.smooth, 2, SatisfiesProperty(0.5, props.tanh_is_odd)),
        backward("tanh_backward", "tanh_forward", {"dx": 0}, 2),
        forward(
            "softplus_forward",
            inputs.smooth,
            2,
            SatisfiesProperty(1, props.softplus_difference_is_identity),
        ),
        backward("softplus_backward", "softplus_forward", {"dx": 0}, 2),
        forward("maxout_forward", inputs.maxout, 3),
        backward("maxout_backward", "maxout_forward", {"dx": 0, "dw": 1, "db": 2}, 4),
        loss("svm_loss", inputs.svm, 4, SatisfiesProperty(1, props.svm_zero_when_margins_met)),
        loss(
            "softmax_loss",
            inputs.softmax,
            4,
            SatisfiesProperty(1, props.softmax_shift_invariant),
            SatisfiesProperty(1, props.softmax_finite_for_huge_logits),
        ),
        loss(
            "softmax_loss_smoothed",
            inputs.softmax_smoothed,
            4,
            SatisfiesProperty(
                1, hidden_props.smoothed_softmax_shift_invariant, visibility="hidden"
            ),
        ),
        forward(
            "batchnorm_forward",
            inputs.batchnorm,
            6,
            SatisfiesProperty(2, props.batchnorm_output_statistics),
            visible_cases=2,
            state=BN_STATE,
        ),
        backward(
            "batchnorm_backward",
            "batchnorm_forward",
            {"dx": 0, "dgamma": 1, "dbeta": 2},
            6,
            cases=inputs.batchnorm_train,
        ),
        forward("spatial_batchnorm_forward", inputs.spatial_batchnorm, 3, state=BN_STATE),
        backward(
            "spatial_batchnorm_backward",
            "spatial_batchnorm_forward",
            {"dx": 0, "dgamma": 1, "dbeta": 2},
            3,
            cases=lambda rng: inputs.spatial_batchnorm(rng)[:2],
        ),
        forward(
            "layernorm_forward",
            inputs.layernorm,
            4,
            SatisfiesProperty(1, props.layernorm_per_sample_statistics),
        ),
        backward("layernorm_backward", "layernorm_forward", {"dx": 0, "dgamma": 1, "dbeta": 2}, 4),
        forward("spatial_groupnorm_forward", inputs.groupnorm, 4),
        backward(
            "spatial_groupnorm_backward",
            "spatial_groupnorm_forward",
            {"dx": 0, "dgamma": 1, "dbeta": 2},
            5,
        ),
        FunctionSpec(
            "dropout_forward",
            MODULE,
            "forward",
            (
                ReturnsWellFormed(0.5, inputs=inputs.dropout_all),
                MatchesReference(0.5, inputs=inputs.dropout_test),
                SatisfiesProperty(1, props.dropout_keeps_fraction_p),
                SatisfiesProperty(1, props.dropout_scales_kept_units),
                SatisfiesProperty(0.5, props.dropout_same_seed_same_mask),
                KeepsInputsUnchanged(0.5, inputs=inputs.dropout_all),
            ),
            inputs.dropout_all,
        ),
        FunctionSpec(
            "dropout_backward",
            MODULE,
            "backward",
            (
                MatchesReference(0.5, label="in test mode", inputs=inputs.dropout_test),
                SatisfiesProperty(1.5, props.dropout_backward_uses_mask),
            ),
            forward="dropout_forward",
            returns=("dx",),
            gradient_of={"dx": 0},
        ),
        loss("l2_regularization", inputs.regularization, 1),
        loss("l1_regularization", inputs.regularization, 1),
        FunctionSpec(
            "elastic_net_regularization",
            MODULE,
            "plain",
            loss_checks(2),
            inputs.elastic_net,
            returns=("loss", "dw"),
            gradient_of={"dw": 0},
        ),
    ),
)
