"""Hypothesis properties of the `layers` functions, checked on the student's code.

Statistical properties state their false-failure probability: dropout's keep fraction
uses a bound of 6.1 binomial standard deviations on 20,000 units, which a correct
implementation exceeds with probability below 1.1e-9 per example (normal approximation),
so below 1e-8 over a check's examples.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from grader.assignments.spec import Case
from grader.checks.compare import aligned
from grader.checks.implementations import Implementation
from grader.checks.procedures import as_array
from grader.checks.properties import Property, PropertyViolation

DROPOUT_UNITS = 20_000
DROPOUT_Z = 6.1


def _floats(bound: float) -> st.SearchStrategy[float]:
    return st.floats(-bound, bound, allow_nan=False, allow_subnormal=False)


def _matrix(bound: float, rows=(1, 6), cols=(1, 6)) -> st.SearchStrategy[np.ndarray]:
    shapes = st.tuples(st.integers(*rows), st.integers(*cols))
    return shapes.flatmap(lambda shape: arrays(np.float64, shape, elements=_floats(bound)))


def _forward(student: Implementation, name: str, *args) -> np.ndarray:
    value = student.call(name, args, keep=(1,)).value
    out = value[0] if isinstance(value, tuple | list) and value else value
    if not isinstance(out, np.ndarray):
        raise PropertyViolation(f"{name} returned {type(out).__name__} as out, not an array")
    return out


def _call(student: Implementation, name: str, *args, keep: tuple[int, ...] = ()) -> tuple:
    value = student.call(name, args, keep=keep).value
    if not isinstance(value, tuple | list) or len(value) != 2:
        raise PropertyViolation(f"{name} should return a pair, got {type(value).__name__}")
    return tuple(value)


def _close(got: object, expected: object, tolerance: float) -> bool:
    """Equal up to `tolerance` (scaled by the largest expected entry) and up to axes of
    size 1, like every value check."""
    got, expected = as_array(got), np.asarray(expected, dtype=np.float64)
    got = None if got is None else aligned(got, expected.shape)
    if got is None or not np.all(np.isfinite(got)):
        return False
    scale = max(1.0, float(np.max(np.abs(expected), initial=0.0)))
    return bool(np.max(np.abs(got - expected), initial=0.0) <= tolerance * scale)


def _sigmoid_holds(student: Implementation, example) -> None:
    x = example["x"]
    out, mirrored = (
        _forward(student, "sigmoid_forward", x),
        _forward(student, "sigmoid_forward", -x),
    )
    if not (np.all(np.isfinite(out)) and np.all((out >= 0) & (out <= 1))):
        raise PropertyViolation("sigmoid(x) must be finite and within [0, 1]")
    if not _close(out + mirrored, np.ones_like(x), 1e-12):
        raise PropertyViolation("sigmoid(x) + sigmoid(-x) should be 1")


sigmoid_bounded_and_symmetric = Property(
    "stays in [0, 1] and sigmoid(x) + sigmoid(-x) = 1 for |x| up to 1000",
    lambda: st.fixed_dictionaries({"x": _matrix(1000.0)}),
    _sigmoid_holds,
)


def _tanh_holds(student: Implementation, example) -> None:
    x = example["x"]
    out, mirrored = _forward(student, "tanh_forward", x), _forward(student, "tanh_forward", -x)
    if not _close(mirrored, -out, 1e-12) or np.any(np.abs(out) > 1):
        raise PropertyViolation("tanh(-x) should be -tanh(x), with |tanh(x)| <= 1")


tanh_is_odd = Property(
    "is odd and bounded: tanh(-x) = -tanh(x), |tanh(x)| <= 1",
    lambda: st.fixed_dictionaries({"x": _matrix(1000.0)}),
    _tanh_holds,
)


def _softplus_holds(student: Implementation, example) -> None:
    x = example["x"]
    out = _forward(student, "softplus_forward", x)
    mirrored = _forward(student, "softplus_forward", -x)
    if not np.all(np.isfinite(out)) or np.any(out < 0):
        raise PropertyViolation("softplus(x) must be finite and non-negative (overflow?)")
    if not _close(out - mirrored, x, 1e-9):
        raise PropertyViolation("softplus(x) - softplus(-x) should equal x")


softplus_difference_is_identity = Property(
    "is finite and softplus(x) - softplus(-x) = x for |x| up to 1000",
    lambda: st.fixed_dictionaries({"x": _matrix(1000.0)}),
    _softplus_holds,
)


@st.composite
def _classification(draw, bound: float = 10.0) -> dict:
    n, c = draw(st.integers(1, 6)), draw(st.integers(2, 6))
    x = draw(arrays(np.float64, (n, c), elements=_floats(bound)))
    y = draw(arrays(np.int64, (n,), elements=st.integers(0, c - 1)))
    return {"x": x, "y": y}


def _svm_holds(student: Implementation, example) -> None:
    x, y = example["x"].copy(), example["y"]
    rows = np.arange(len(y))
    x[rows, y] = np.max(x, axis=1) + 1.5
    loss, dx = _call(student, "svm_loss", x, y)
    if not _close(loss, 0.0, 1e-12) or not _close(dx, np.zeros_like(x), 1e-12):
        raise PropertyViolation(
            f"with every correct-class score ahead by more than 1 the loss and dx should be 0 "
            f"(scores={np.array2string(x, precision=3)}); got loss {loss}"
        )


svm_zero_when_margins_met = Property(
    "is 0 (with zero gradient) when every margin is met",
    _classification,
    _svm_holds,
)


def _shift_holds(name: str, *extra):
    def holds(student: Implementation, example) -> None:
        x, y, shift = example["x"], example["y"], example["shift"]
        loss, dx = _call(student, name, x, y, *extra)
        shifted_loss, shifted_dx = _call(student, name, x + shift[:, None], y, *extra)
        if not (_close(shifted_loss, loss, 1e-7) and _close(shifted_dx, dx, 1e-7)):
            raise PropertyViolation(
                f"adding a constant to each row of the logits changed the result: loss "
                f"{loss} without the shift, {shifted_loss} with it (subtract the row max)"
            )

    return holds


def _with_shift() -> st.SearchStrategy[dict]:
    return _classification().flatmap(
        lambda ex: st.fixed_dictionaries(
            {
                "x": st.just(ex["x"]),
                "y": st.just(ex["y"]),
                "shift": arrays(np.float64, (len(ex["y"]),), elements=_floats(1000.0)),
            }
        )
    )


softmax_shift_invariant = Property(
    "is unchanged when a constant (up to 1000) is added to a row of logits",
    _with_shift,
    _shift_holds("softmax_loss"),
)


def _huge_holds(student: Implementation, example) -> None:
    x, y = example["x"] * example["scale"], example["y"]
    loss, dx = (as_array(value) for value in _call(student, "softmax_loss", x, y))
    if loss is None or dx is None:
        raise PropertyViolation("softmax_loss should return a number and an array")
    if not (np.all(np.isfinite(loss)) and np.all(np.isfinite(dx))):
        raise PropertyViolation(f"loss or dx is not finite for logits of size {example['scale']}")
    if loss < -1e-9 or not _close(dx.sum(axis=1), np.zeros(len(y)), 1e-9):
        raise PropertyViolation("the loss must be >= 0 and each row of dx must sum to 0")


softmax_finite_for_huge_logits = Property(
    "gives a finite loss and gradient for logits up to 1e5",
    lambda: _classification(1.0).flatmap(
        lambda ex: st.fixed_dictionaries(
            {"x": st.just(ex["x"]), "y": st.just(ex["y"]), "scale": st.sampled_from([1e3, 1e5])}
        )
    ),
    _huge_holds,
)


@st.composite
def _normalization_input(draw) -> dict:
    n, d = draw(st.integers(4, 40)), draw(st.integers(1, 5))
    x = draw(arrays(np.float64, (n, d), elements=_floats(100.0)))
    gamma = draw(arrays(np.float64, (d,), elements=st.floats(0.5, 3.0)))
    beta = draw(arrays(np.float64, (d,), elements=_floats(3.0)))
    return {"x": x, "gamma": gamma, "beta": beta}


def _batchnorm_holds(student: Implementation, example) -> None:
    x, gamma, beta = example["x"], example["gamma"], example["beta"]
    out = _forward(student, "batchnorm_forward", x, gamma, beta, {"mode": "train"})
    variance = x.var(axis=0)
    expected_std = gamma * np.sqrt(variance / (variance + 1e-5))
    if not _close(out.mean(axis=0), beta, 1e-8):
        raise PropertyViolation(f"per-feature mean of out should be beta={beta}")
    if not _close(out.std(axis=0), expected_std, 1e-6):
        raise PropertyViolation(
            f"per-feature std of out is {out.std(axis=0)}, expected "
            f"gamma*sqrt(var/(var+eps)) = {expected_std} (biased batch variance)"
        )


batchnorm_output_statistics = Property(
    "train mode: each feature of out has mean beta and std gamma (up to eps)",
    _normalization_input,
    _batchnorm_holds,
)


def _layernorm_holds(student: Implementation, example) -> None:
    x = example["x"]
    d = x.shape[1]
    out = _forward(student, "layernorm_forward", x, np.ones(d), np.zeros(d), {})
    variance = x.var(axis=1)
    if not _close(out.mean(axis=1), np.zeros(len(x)), 1e-8):
        raise PropertyViolation("with gamma=1, beta=0 every sample of out should have mean 0")
    if not _close(out.var(axis=1), variance / (variance + 1e-5), 1e-6):
        raise PropertyViolation(
            "with gamma=1, beta=0 every sample of out should have variance var/(var+eps)"
        )


layernorm_per_sample_statistics = Property(
    "normalizes each sample: per-sample mean 0 and variance 1 (up to eps)",
    _normalization_input,
    _layernorm_holds,
)


def _dropout(student: Implementation, x: np.ndarray, **param) -> np.ndarray:
    return _forward(student, "dropout_forward", x, param)


def _dropout_evidence() -> list[Case]:
    """Seeded train-mode calls on which a dropout mistake shows in the values: a 2-D input,
    and a 3-D one whose trailing axes are equal, so that masks drawn for 2-D input still
    broadcast (and a mask drawn from the first two axes differs from a full one)."""
    return [
        Case((np.linspace(0.5, 2.0, 20).reshape(4, 5), {"mode": "train", "p": 0.6, "seed": 7})),
        Case((np.linspace(0.5, 3.0, 64).reshape(4, 4, 4), {"mode": "train", "p": 0.3, "seed": 11})),
    ]


def _dropout_backward_evidence() -> list[Case]:
    """The same seeded train-mode calls, each with a dout for the backward."""
    return [
        Case(case.args, dout=np.linspace(-1.0, 1.0, case.args[0].size).reshape(case.args[0].shape))
        for case in _dropout_evidence()
    ]


def _keep_fraction_holds(student: Implementation, example) -> None:
    p, seed = example["p"], example["seed"]
    out = _dropout(student, np.ones(DROPOUT_UNITS), mode="train", p=p, seed=seed)
    kept = float(np.mean(out != 0))
    bound = DROPOUT_Z * np.sqrt(p * (1 - p) / DROPOUT_UNITS)
    if abs(kept - p) > bound:
        raise PropertyViolation(
            f"kept {kept:.4f} of {DROPOUT_UNITS} units with p={p}; expected {p} +- "
            f"{bound:.4f} (p is the probability of KEEPING a unit)"
        )


dropout_keeps_fraction_p = Property(
    "train mode keeps a fraction p of the units (binomial bound, false-failure < 1e-8)",
    lambda: st.fixed_dictionaries(
        {"p": st.sampled_from([0.2, 0.35, 0.8]), "seed": st.integers(0, 2**31 - 1)}
    ),
    _keep_fraction_holds,
    max_examples=8,
    evidence=_dropout_evidence,
)


def _scaling_holds(student: Implementation, example) -> None:
    x, p, seed = example["x"], example["p"], example["seed"]
    out = aligned(_dropout(student, x, mode="train", p=p, seed=seed), x.shape)
    ok = out is not None and np.all(
        np.isclose(out, 0.0, atol=0) | np.isclose(out, x / p, rtol=1e-12, atol=0)
    )
    if not ok:
        raise PropertyViolation("in train mode every output must be 0 or x/p (inverted dropout)")
    test = _dropout(student, x, mode="test", p=p)
    if not _close(test, x, 0.0):
        raise PropertyViolation("in test mode the output must equal x")


dropout_scales_kept_units = Property(
    "inverted dropout: train outputs are 0 or x/p; test mode returns x",
    lambda: st.fixed_dictionaries(
        {
            "x": _matrix(10.0, (1, 8), (1, 8)).filter(lambda a: np.all(a != 0)),
            "p": st.sampled_from([0.3, 0.5, 0.75]),
            "seed": st.integers(0, 1000),
        }
    ),
    _scaling_holds,
    evidence=_dropout_evidence,
)


def _seed_holds(student: Implementation, example) -> None:
    x, seed = np.ones((50, 40)), example["seed"]
    first = _dropout(student, x, mode="train", p=0.5, seed=seed)
    again = _dropout(student, x, mode="train", p=0.5, seed=seed)
    other = _dropout(student, x, mode="train", p=0.5, seed=seed + 1)
    if not np.array_equal(first, again):
        raise PropertyViolation("the same seed gave different masks (call np.random.seed(seed))")
    if np.array_equal(first, other):
        raise PropertyViolation("different seeds gave the same mask")


dropout_same_seed_same_mask = Property(
    "equal seeds give equal masks, different seeds different ones",
    lambda: st.fixed_dictionaries({"seed": st.integers(0, 2**31 - 2)}),
    _seed_holds,
    max_examples=5,
)


def _backward_mask_holds(student: Implementation, example) -> None:
    """Judged against the student's own forward: dx must be the derivative of what that
    forward computed, out = x * m, so dout * out / x (x is kept away from 0); a backward
    right for the contract (dout / p on the units the forward kept) passes as well."""
    x, p, seed = example["x"], example["p"], example["seed"]
    param = {"mode": "train", "p": p, "seed": seed}
    out, cache = _call(student, "dropout_forward", x, param, keep=(1,))
    dout = np.linspace(-1.0, 1.0, x.size).reshape(x.shape)
    dx = student.call("dropout_backward", (dout, cache)).value
    out = aligned(np.asarray(out, dtype=np.float64), x.shape)
    if out is None:
        raise PropertyViolation(f"dropout_forward returned out of another shape than x {x.shape}")
    own_derivative, contract = dout * out / x, dout * (out != 0) / p
    if not (_close(dx, own_derivative, 1e-12) or _close(dx, contract, 1e-12)):
        raise PropertyViolation(
            "dx should pass dout through exactly the units your forward kept, scaled as your "
            "forward scaled them (dout * out / x)"
        )


dropout_backward_uses_mask = Property(
    "passes dout through exactly the units your forward kept, scaled as your forward scaled them",
    lambda: st.fixed_dictionaries(
        {
            "x": _matrix(10.0, (1, 8), (1, 8)).filter(lambda a: np.all(np.abs(a) > 1e-3)),
            "p": st.sampled_from([0.3, 0.6]),
            "seed": st.integers(0, 1000),
        }
    ),
    _backward_mask_holds,
    evidence=_dropout_backward_evidence,
)
