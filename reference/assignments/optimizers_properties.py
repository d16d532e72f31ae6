"""Hypothesis properties of the update rules, checked on the student's code.

Every comparison of steps uses the update rules' one tolerance (grader.tolerances
UPDATE_RULE, as their reference checks do), on gradients of magnitude at least 0.1, so
that algebraically equivalent forms (epsilon inside or outside a square root, Kingma &
Ba's efficient Adam, in-place updates) pass every check alike."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from grader import tolerances
from grader.checks.implementations import Implementation
from grader.checks.properties import Property, PropertyViolation, property_factory


def _step(student: Implementation, name: str, w: np.ndarray, dw: np.ndarray, config: dict):
    value = student.call(name, (w, dw, config)).value
    if not (isinstance(value, tuple | list) and len(value) == 2 and isinstance(value[1], dict)):
        raise PropertyViolation(f"{name} should return (next_w, config)")
    return np.asarray(value[0], dtype=np.float64), value[1]


TOLERANCE = tolerances.UPDATE_RULE


def _gradients(low: float = 0.1, high: float = 10.0) -> st.SearchStrategy[np.ndarray]:
    magnitudes = st.floats(low, high, allow_nan=False)
    signed = st.tuples(magnitudes, st.booleans()).map(lambda p: p[0] if p[1] else -p[0])
    return st.integers(1, 6).flatmap(lambda n: arrays(np.float64, (n,), elements=signed))


def _adam_first_step(student: Implementation, example) -> None:
    dw, lr = example["dw"], example["learning_rate"]
    w = np.zeros_like(dw)
    next_w, _ = _step(student, "adam", w, dw, {"learning_rate": lr})
    if not np.allclose(np.abs(next_w - w), lr, rtol=TOLERANCE, atol=0):
        raise PropertyViolation(
            f"the first Adam step should move every coordinate by learning_rate={lr} "
            f"(bias correction); moved {np.abs(next_w - w)}"
        )


adam_first_step_is_learning_rate = Property(
    "first step moves every coordinate by about learning_rate (bias correction)",
    lambda: st.fixed_dictionaries(
        {"dw": _gradients(), "learning_rate": st.sampled_from([1e-3, 1e-2, 0.1])}
    ),
    _adam_first_step,
)


def _terminal_velocity(name: str):
    def holds(student: Implementation, example) -> None:
        g, momentum = example["g"], example["momentum"]
        config = {"learning_rate": 0.01, "momentum": momentum}
        w = np.zeros_like(g)
        for _ in range(150):
            next_w, config = _step(student, name, w, g, config)
            step, w = next_w - w, next_w
        expected = -0.01 * g / (1 - momentum)
        if not np.allclose(step, expected, rtol=TOLERANCE, atol=0):
            raise PropertyViolation(
                f"under a constant gradient the step should approach "
                f"-learning_rate*g/(1-momentum) = {expected}; after 150 steps it is {step}"
            )

    return holds


def _constant_gradient_and_momentum() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {"g": _gradients(0.1, 5.0), "momentum": st.sampled_from([0.5, 0.8, 0.9])}
    )


momentum_terminal_velocity = Property(
    "under a constant gradient the step approaches learning_rate*g/(1-momentum)",
    _constant_gradient_and_momentum,
    _terminal_velocity("sgd_momentum"),
    max_examples=5,
)

nesterov_terminal_velocity = Property(
    "under a constant gradient the step approaches learning_rate*g/(1-momentum)",
    _constant_gradient_and_momentum,
    _terminal_velocity("nesterov_momentum"),
    max_examples=5,
)


def _adagrad_never_grows(student: Implementation, example) -> None:
    grads = example["grads"]
    config: dict = {"learning_rate": 0.1}
    w, previous = np.zeros(grads.shape[1]), None
    for dw in grads:
        next_w, config = _step(student, "adagrad", w, dw, config)
        step = np.abs(next_w - w)
        w = next_w
        if previous is not None and np.any(step > previous * (1 + 1e-9) + 1e-15):
            raise PropertyViolation(
                f"under a constant gradient an AdaGrad step grew: {previous} -> {step}"
            )
        previous = step


adagrad_step_never_grows = Property(
    "the step for a constant gradient never grows",
    lambda: _gradients(0.1, 5.0).map(lambda g: {"grads": np.tile(g, (8, 1))}),
    _adagrad_never_grows,
    max_examples=8,
)


def _decreases_quadratic(name: str, learning_rate: float):
    def holds(student: Implementation, example) -> None:
        a, w = example["curvature"], example["start"]
        config: dict = {"learning_rate": learning_rate}
        start_loss = 0.5 * float(np.sum(a * w**2))
        for _ in range(30):
            w, config = _step(student, name, w, a * w, config)
        loss = 0.5 * float(np.sum(a * w**2))
        if not loss < start_loss:
            raise PropertyViolation(
                f"30 steps at learning_rate={learning_rate} on a convex quadratic did not "
                f"decrease it: {start_loss:.4g} -> {loss:.4g}"
            )

    return holds


def _quadratic() -> st.SearchStrategy[dict]:
    sizes = st.integers(1, 5)
    return sizes.flatmap(
        lambda n: st.fixed_dictionaries(
            {
                "curvature": arrays(np.float64, (n,), elements=st.floats(0.5, 2.0)),
                "start": arrays(np.float64, (n,), elements=st.floats(1.0, 3.0)),
            }
        )
    )


@property_factory
def decreases_quadratic(name: str, learning_rate: float) -> Property:
    return Property(
        "decreases a convex quadratic at a small learning rate",
        _quadratic,
        _decreases_quadratic(name, learning_rate),
        max_examples=5,
    )


def _scale_invariant(name: str):
    def holds(student: Implementation, example) -> None:
        dw, scale = example["dw"], example["scale"]
        w = np.ones_like(dw)
        first, _ = _step(student, name, w, dw, {"learning_rate": 0.01})
        scaled, _ = _step(student, name, w, scale * dw, {"learning_rate": 0.01})
        if not np.allclose(first - w, scaled - w, rtol=TOLERANCE, atol=0):
            raise PropertyViolation(
                f"multiplying the gradient by {scale} changed the step: {first - w} vs "
                f"{scaled - w} (the step should be invariant to the gradient's scale)"
            )

    return holds


@property_factory
def scale_invariant(name: str) -> Property:
    return Property(
        "step is invariant to scaling the gradient (up to epsilon)",
        lambda: st.fixed_dictionaries(
            {"dw": _gradients(0.3, 10.0), "scale": st.sampled_from([10.0, 1000.0])}
        ),
        _scale_invariant(name),
    )
