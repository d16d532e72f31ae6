"""Each check on its own, against tiny fake implementations (as scikit-learn tests its
estimator checks): a toy course declared here, a correct fake that passes and wrong fakes
that fail with the words a student reads. No worker, no course pack: every test runs in
milliseconds (tests/fakes.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from fakes import FakeStudent, context, course_module
from hypothesis import strategies as st

from grader.assignments.spec import AssignmentSpec, Case, FunctionSpec
from grader.checks import (
    CHECKS,
    ActivationStatistics,
    DrawsFromRng,
    GradientMatchesNumeric,
    HasKNonzerosPerColumn,
    InitialLossIsChance,
    IsOrthogonal,
    KeepsInputsUnchanged,
    LossRisesWithRegularization,
    MatchesDistribution,
    MatchesReference,
    NetworkGradientMatchesNumeric,
    NetworkOverfits,
    ReturnsWellFormed,
    SatisfiesProperty,
    TorchForwardMatches,
    TorchGradientMatchesNumeric,
    TorchInitDistribution,
    TorchIsOrthogonal,
    TorchTrajectoryMatches,
    TrajectoryMatchesReference,
)
from grader.checks.distribution import Target
from grader.checks.inputs import away_from_zero
from grader.checks.properties import Property, PropertyViolation, examples_drawn, search

# --- the toy course: its reference functions, inputs and specs ---------------------------


def scale_forward(x, a):
    return a * x, (x, a)


def scale_backward(dout, cache):
    _, a = cache
    return a * dout


def square_loss(x):
    return 0.5 * float(np.sum(x**2)), x.copy()


def running_mean_forward(x, running):
    momentum = running["momentum"]
    before = running.get("mean", np.zeros(x.shape[1]))
    running["mean"] = momentum * before + (1 - momentum) * x.mean(axis=0)
    return x - x.mean(axis=0), None


def sgd(w, dw, config):
    config.setdefault("learning_rate", 1e-2)
    return w - config["learning_rate"] * dw, config


def sgd_momentum(w, dw, config):
    config.setdefault("learning_rate", 1e-2)
    velocity = 0.9 * config.get("velocity", np.zeros_like(w)) - config["learning_rate"] * dw
    config["velocity"] = velocity
    return w + velocity, config


def fan_in_normal(shape, rng):
    return rng.standard_normal(shape) / math.sqrt(shape[0])


def orthogonal(shape, rng, gain=1.0):
    q, r = np.linalg.qr(rng.standard_normal((max(shape), min(shape))))
    q = q * np.sign(np.diag(r))
    return gain * (q if shape[0] >= shape[1] else q.T)


def sparse(shape, rng, k=15, scale=1.0):
    w = np.zeros(shape)
    for column in range(shape[1]):
        rows = rng.choice(shape[0], min(k, shape[0]), replace=False)
        w[rows, column] = scale * rng.standard_normal(len(rows))
    return w


def he_normal(shape, rng):
    return rng.standard_normal(shape) * math.sqrt(2.0 / shape[0])


REFERENCE = course_module(
    "fake_course_toy",
    scale_forward=scale_forward,
    scale_backward=scale_backward,
    square_loss=square_loss,
    running_mean_forward=running_mean_forward,
    sgd=sgd,
    sgd_momentum=sgd_momentum,
)


def scale_cases(rng: np.random.Generator) -> list[Case]:
    return [Case((away_from_zero(rng, (3, 4)), 1.5)), Case((away_from_zero(rng, (2, 5)), -0.5))]


def loss_cases(rng: np.random.Generator) -> list[Case]:
    return [Case((away_from_zero(rng, (2, 3)),))]


def running_cases(rng: np.random.Generator) -> list[Case]:
    """Statistics not kept yet (the forward must add them), then kept."""
    first, later = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    return [
        Case((first, {"momentum": 0.9})),
        Case((later, {"mean": first.mean(axis=0), "momentum": 0.9})),
    ]


NO_CHECKS = ()
FUNCTIONS = (
    FunctionSpec("scale_forward", "toy", "forward", NO_CHECKS, scale_cases),
    FunctionSpec(
        "scale_backward",
        "toy",
        "backward",
        NO_CHECKS,
        forward="scale_forward",
        returns=("dx",),
        gradient_of={"dx": 0},
    ),
    FunctionSpec(
        "square_loss",
        "toy",
        "plain",
        NO_CHECKS,
        loss_cases,
        returns=("loss", "dx"),
        gradient_of={"dx": 0},
    ),
    FunctionSpec(
        "running_mean_forward", "toy", "forward", NO_CHECKS, running_cases, state=((1, "mean"),)
    ),
    FunctionSpec("sgd", "toy", "plain", NO_CHECKS, returns=("next_w", "config")),
    FunctionSpec("sgd_momentum", "toy", "plain", NO_CHECKS, returns=("next_w", "config")),
    FunctionSpec("fan_in_normal", "toy", "plain", NO_CHECKS),
    FunctionSpec("orthogonal", "toy", "plain", NO_CHECKS),
    FunctionSpec("sparse", "toy", "plain", NO_CHECKS),
    FunctionSpec("he_normal", "toy", "plain", NO_CHECKS),
)
TOY = AssignmentSpec("toy", "A toy course", REFERENCE, FUNCTIONS)

DOUBLED = ("doubled", "Multiplies by 2a instead of a.")
SIGN = ("wrong-sign", "Steps uphill: subtract the gradient.")
CORRECT_STUDENT = FakeStudent(
    scale_forward=lambda x, a: (x * a, (x, a)),
    scale_backward=lambda dout, cache: dout * cache[1],
    square_loss=lambda x: (float(np.dot(x.ravel(), x.ravel())) / 2, 1.0 * x),
    running_mean_forward=running_mean_forward,
    sgd=sgd,
    sgd_momentum=sgd_momentum,
    fan_in_normal=lambda shape, rng: rng.normal(0.0, 1 / math.sqrt(shape[0]), shape),
    orthogonal=orthogonal,
    sparse=sparse,
    he_normal=he_normal,
)


def student(**functions) -> FakeStudent:
    """The correct student with some functions replaced by wrong ones."""
    return FakeStudent(**{**CORRECT_STUDENT.overrides, **functions})


def grade(check, function: str, fake: FakeStudent = CORRECT_STUDENT, mistakes=None, seed=0):
    return check.run(context(TOY, function, fake, mistakes, seed))


def doubled_forward(x, a):
    return 2 * a * x, (x, a)


def fails_with(outcome, *phrases: str) -> str:
    assert not outcome.passed, outcome.feedback
    for phrase in phrases:
        assert phrase in outcome.feedback, outcome.feedback
    return outcome.feedback


# --- matches_reference --------------------------------------------------------------------


def test_matches_reference_passes_a_correct_fake_on_every_input() -> None:
    outcome = grade(MatchesReference(1), "scale_forward")
    assert outcome.passed and outcome.feedback == "2 inputs checked"


def test_matches_reference_names_the_first_differing_element_and_the_known_mistake() -> None:
    fake = student(scale_forward=doubled_forward)
    mistakes = {"scale_forward": [(*DOUBLED, {"scale_forward": doubled_forward})]}
    feedback = fails_with(
        grade(MatchesReference(1), "scale_forward", fake, mistakes),
        "On input 1: x=array([[",
        ", a=1.5\nout: relative error 5.00e-01 (allowed 1e-06); first differing element "
        "out[0, 0]: expected ",
    )
    assert feedback.endswith("\nKnown mistake (doubled): Multiplies by 2a instead of a.")


def test_matches_reference_names_a_mistake_that_explains_only_some_outputs_as_likely() -> None:
    def half_loss(x):
        return 0.25 * float(np.sum(x**2)), x.copy()

    fake = student(square_loss=lambda x: (0.25 * float(np.sum(x**2)), 3 * x))
    mistakes = {"square_loss": [("half", "Halves the loss.", {"square_loss": half_loss})]}
    feedback = fails_with(grade(MatchesReference(1), "square_loss", fake, mistakes), "\nloss: ")
    assert "\ndx: relative error" in feedback
    assert feedback.endswith(
        "Likely mistake (half): Halves the loss. (your loss matches this mistake)"
    )


def test_matches_reference_without_a_known_mistake_says_only_what_differs() -> None:
    fake = student(scale_forward=doubled_forward)
    feedback = fails_with(grade(MatchesReference(1), "scale_forward", fake), "out: relative error")
    assert "mistake" not in feedback


def test_matches_reference_numbers_inputs_from_the_start_of_its_range() -> None:
    fake = student(scale_forward=lambda x, a: (x, (x, a)) if a < 0 else scale_forward(x, a))
    fails_with(
        grade(MatchesReference(1, case_range=(1, None)), "scale_forward", fake), "On input 2:"
    )
    assert grade(MatchesReference(1, case_range=(0, 1)), "scale_forward", fake).passed


def test_matches_reference_refuses_a_range_with_no_inputs_as_a_spec_error() -> None:
    with pytest.raises(ValueError, match="spec error: no inputs for scale_forward in cases 5:None"):
        grade(MatchesReference(1, case_range=(5, None)), "scale_forward")


def test_matches_reference_compares_the_state_a_forward_writes_back() -> None:
    def forgetful(x, running):
        running["mean"] = x.mean(axis=0)
        return x - x.mean(axis=0), None

    fake = student(running_mean_forward=forgetful)
    fails_with(
        grade(MatchesReference(1), "running_mean_forward", fake), "running['mean']: relative"
    )


def test_a_forward_that_writes_no_state_back_is_malformed() -> None:
    fake = student(running_mean_forward=lambda x, running: (x - x.mean(axis=0), None))
    fails_with(
        grade(MatchesReference(1), "running_mean_forward", fake),
        "running_mean_forward did not write mean back into running "
        "(expected running['mean'] after the call)",
    )


def test_a_forward_without_a_cache_is_malformed() -> None:
    fake = student(scale_forward=lambda x, a: a * x)
    fails_with(
        grade(MatchesReference(1), "scale_forward", fake),
        "scale_forward should return (out, cache)",
    )


def test_a_function_that_raises_is_explained_with_the_input_it_got() -> None:
    def broken(x, a):
        raise ValueError("operands could not be broadcast")

    fails_with(
        grade(MatchesReference(1), "scale_forward", student(scale_forward=broken)),
        "On input 1: x=array(",
        "\nscale_forward raised ValueError: operands could not be broadcast",
    )


def test_a_stub_is_reported_as_not_implemented_yet() -> None:
    def stub(x, a):
        raise NotImplementedError

    fails_with(
        grade(MatchesReference(1), "scale_forward", student(scale_forward=stub)),
        "scale_forward is not implemented yet: it raised NotImplementedError",
    )


def test_a_missing_function_is_reported_as_the_worker_words_it() -> None:
    fake = FakeStudent(scale_backward=scale_backward)
    fails_with(
        grade(MatchesReference(1), "scale_backward", fake),
        "scale_forward is not defined in your student.py",
    )


# --- returns_well_formed -----------------------------------------------------------------


def test_returns_well_formed_passes_float64_arrays_of_the_reference_shapes() -> None:
    assert grade(ReturnsWellFormed(1), "scale_forward").passed
    assert grade(ReturnsWellFormed(1), "square_loss").passed


@pytest.mark.parametrize(
    ("forward", "problem"),
    [
        (lambda x, a: ((a * x).T, None), "out has shape (4, 3); the contract wants (3, 4)"),
        (lambda x, a: ((a * x).astype(np.float32), None), "out has dtype float32; return float64"),
        (
            lambda x, a: ((a * x).tolist(), None),
            "out should be a float64 array or number, got list",
        ),
        (lambda x, a: (np.full_like(x, np.nan), None), "out contains inf or nan where finite"),
    ],
    ids=["shape", "dtype", "type", "nan"],
)
def test_returns_well_formed_says_what_is_wrong_with_the_value(forward, problem: str) -> None:
    outcome = grade(ReturnsWellFormed(1), "scale_forward", student(scale_forward=forward))
    fails_with(outcome, "On input 1: x=array(", f"\n{problem}")


def test_returns_well_formed_checks_every_output_of_a_plain_function() -> None:
    fake = student(square_loss=lambda x: (0.5 * float(np.sum(x**2)), x[0]))
    fails_with(
        grade(ReturnsWellFormed(1), "square_loss", fake),
        "dx has shape (3,); the contract wants (2, 3)",
    )


def test_returns_well_formed_wants_a_tuple_of_every_named_output() -> None:
    fake = student(square_loss=lambda x: 0.5 * float(np.sum(x**2)))
    fails_with(
        grade(ReturnsWellFormed(1), "square_loss", fake),
        "On input 1: square_loss should return a tuple (loss, dx), but returned a single float",
    )


# --- gradient_matches_numeric ------------------------------------------------------------


def negated(dout: np.ndarray, cache: object) -> np.ndarray:
    """A backward with the wrong sign."""
    return -scale_backward(dout, cache)


def test_gradient_matches_numeric_passes_a_correct_backward_and_loss() -> None:
    assert grade(GradientMatchesNumeric(1), "scale_backward").passed
    assert grade(GradientMatchesNumeric(1), "square_loss").passed


def test_a_backward_with_the_wrong_sign_fails_against_the_numerical_gradient() -> None:
    fake = student(scale_backward=negated)
    mistakes = {"scale_backward": [("sign", "Negates the gradient.", {"scale_backward": negated})]}
    feedback = fails_with(
        grade(GradientMatchesNumeric(1), "scale_backward", fake, mistakes),
        "\ndx: relative error 2.00e+00 against the numerical gradient (allowed 1e-05); "
        "largest difference at dx[",
    )
    assert feedback.endswith("\nKnown mistake (sign): Negates the gradient.")
    assert "your scale_forward is wrong" not in feedback


def test_a_loss_whose_gradient_is_off_by_a_factor_fails() -> None:
    fake = student(square_loss=lambda x: (0.5 * float(np.sum(x**2)), 2 * x))
    fails_with(grade(GradientMatchesNumeric(1), "square_loss", fake), "dx: relative error 5.00e-01")


def test_a_backward_keeps_its_points_when_it_differentiates_its_own_forward_or_the_contract() -> (
    None
):
    def doubled_backward(dout, cache):
        return 2 * scale_backward(dout, cache)

    for backward in (scale_backward, doubled_backward):
        fake = student(scale_forward=doubled_forward, scale_backward=backward)
        assert grade(GradientMatchesNumeric(1), "scale_backward", fake).passed
        assert grade(MatchesReference(1), "scale_backward", fake).passed
    both_wrong = student(scale_forward=doubled_forward, scale_backward=negated)
    fails_with(
        grade(GradientMatchesNumeric(1), "scale_backward", both_wrong),
        "(your scale_forward is wrong on this input; your gradients match neither a "
        "numerical gradient of your own scale_forward nor one of the reference scale_forward)",
    )
    fails_with(grade(MatchesReference(1), "scale_backward", both_wrong), "dx: relative error")


def test_a_backward_whose_forward_is_right_is_held_to_the_reference() -> None:
    fake = student(scale_backward=lambda dout, cache: 2 * scale_backward(dout, cache))
    fails_with(grade(MatchesReference(1), "scale_backward", fake), "dx: relative error")
    fails_with(grade(GradientMatchesNumeric(1), "scale_backward", fake), "dx: relative error")


def test_a_correct_gradient_costs_a_few_evaluations_per_direction_not_per_coordinate() -> None:
    """A slow student's forward is called 2 x 3 times per input for the random directions
    (plus once for its outputs and once to see whether it is right), not twice for each of
    the 12 and 10 coordinates."""
    calls = []

    def counted_forward(x, a):
        calls.append(x.shape)
        return x * a, (x, a)

    assert grade(
        GradientMatchesNumeric(1, cases=2), "scale_backward", student(scale_forward=counted_forward)
    ).passed
    assert len(calls) == 2 * (2 + 2 * 3), calls


def test_a_gradient_of_the_wrong_shape_is_named() -> None:
    fake = student(scale_backward=lambda dout, cache: dout.sum(axis=0))
    fails_with(
        grade(GradientMatchesNumeric(1), "scale_backward", fake),
        "dx: expected shape (3, 4), got shape (4,)",
    )


def test_values_in_a_shape_with_extra_axes_of_size_1_lose_only_the_well_formed_check() -> None:
    fake = student(
        scale_forward=lambda x, a: ((a * x)[None], (x, a)),
        scale_backward=lambda dout, cache: scale_backward(dout, cache)[:, None, :],
    )
    assert grade(MatchesReference(1), "scale_forward", fake).passed
    assert grade(MatchesReference(1), "scale_backward", fake).passed
    assert grade(GradientMatchesNumeric(1), "scale_backward", fake).passed
    fails_with(
        grade(ReturnsWellFormed(1), "scale_forward", fake),
        "out has shape (1, 3, 4); the contract wants (3, 4) (the same values; only the axes "
        "of size 1 differ)",
    )


# --- keeps_inputs_unchanged --------------------------------------------------------------


def test_keeps_inputs_unchanged_passes_a_function_that_works_on_copies() -> None:
    assert grade(KeepsInputsUnchanged(1), "scale_forward").passed
    assert grade(KeepsInputsUnchanged(1), "scale_backward").passed


def test_an_in_place_edit_of_an_argument_is_named_with_the_entry_it_changed() -> None:
    def in_place(x, a):
        x *= a
        return x, (x, a)

    fails_with(
        grade(KeepsInputsUnchanged(1), "scale_forward", student(scale_forward=in_place)),
        "On input 1: x=array(",
        "\nscale_forward modified its argument x in place: x[0, 0] was ",
        " after it. Work on a copy (e.g. x.copy()) instead.",
    )


def test_a_backward_that_edits_dout_in_place_is_named() -> None:
    def in_place(dout, cache):
        dout *= cache[1]
        return dout

    fails_with(
        grade(KeepsInputsUnchanged(1), "scale_backward", student(scale_backward=in_place)),
        "scale_backward modified its argument dout in place: dout[0, 0] was",
    )


def test_a_forward_may_write_back_its_state_but_nothing_else_in_that_dict() -> None:
    assert grade(KeepsInputsUnchanged(1), "running_mean_forward").passed

    def decays(x, running):
        running["momentum"] = 0.5
        return running_mean_forward(x, running)

    fails_with(
        grade(
            KeepsInputsUnchanged(1), "running_mean_forward", student(running_mean_forward=decays)
        ),
        "running_mean_forward modified its argument running in place: running['momentum'] "
        "changed from 0.9 to 0.5.",
    )


def test_arguments_the_spec_calls_mutable_may_be_updated_in_place() -> None:
    def in_place_sgd(w, dw, config):
        w -= 1e-2 * dw
        return w, config

    spec = FunctionSpec("sgd", "toy", "plain", NO_CHECKS, mutable_args=(0,))
    cases = [Case((np.ones((2, 2)), np.ones((2, 2)), {}))]
    mutable = AssignmentSpec("toy", "A toy course", REFERENCE, (spec,))
    check = KeepsInputsUnchanged(1, inputs=lambda rng: cases)
    assert check.run(context(mutable, "sgd", student(sgd=in_place_sgd))).passed
    fails_with(
        grade(check, "sgd", student(sgd=in_place_sgd)), "sgd modified its argument w in place"
    )


# --- satisfies_property ------------------------------------------------------------------

SYMMETRIC = Property(
    "is odd: f(-x) = -f(x)",
    lambda: st.fixed_dictionaries({"x": st.floats(-10, 10), "a": st.floats(0.5, 2)}),
    lambda impl, example: _odd(impl, example["x"], example["a"]),
)


def _odd(impl, x: float, a: float) -> None:
    plus = impl.call("scale_forward", (np.array([x]), a)).value[0]
    minus = impl.call("scale_forward", (np.array([-x]), a)).value[0]
    if not np.allclose(minus, -plus):
        raise PropertyViolation(f"f(-x) = {minus[0]:g} but -f(x) = {-plus[0]:g}")


def test_satisfies_property_passes_when_the_property_holds() -> None:
    outcome = grade(SatisfiesProperty(1, SYMMETRIC), "scale_forward")
    assert outcome.passed


def test_satisfies_property_shows_the_smallest_failing_example_and_why() -> None:
    fake = student(scale_forward=lambda x, a: (a * x + 1.0, (x, a)))
    feedback = fails_with(
        grade(SatisfiesProperty(1, SYMMETRIC), "scale_forward", fake),
        "Smallest failing example found: x=0, a=",
        "\nf(-x) = 1 but -f(x) = -1",
    )
    assert feedback.count("\n") == 1


def test_a_student_failure_inside_a_property_is_explained() -> None:
    def broken(x, a):
        raise ZeroDivisionError("division by zero")

    fails_with(
        grade(SatisfiesProperty(1, SYMMETRIC), "scale_forward", student(scale_forward=broken)),
        "Smallest failing example found: x=",
        "\nscale_forward raised ZeroDivisionError: division by zero",
    )


def test_a_passing_student_is_called_on_the_examples_hypothesis_draws() -> None:
    """The draws are made once per property and seed and replayed in later gradings: each
    grading calls the student on exactly the examples a fresh hypothesis search passes."""
    fresh: list[tuple[float, float]] = []
    search(SYMMETRIC, 7, lambda example: fresh.append((example["x"], example["a"])))
    for _ in range(2):
        seen = []

        def recording(x, a, seen=seen):
            seen.append((float(x[0]), a))
            return a * x, (x, a)

        fake = student(scale_forward=recording)
        assert grade(SatisfiesProperty(1, SYMMETRIC), "scale_forward", fake, seed=7).passed
        assert seen[::2] == [(x, a) for x, a in fresh] and len(fresh) > 10
    assert len(examples_drawn(SYMMETRIC, 7)) == len(fresh)


def test_a_replayed_example_that_fails_is_searched_and_shrunk_by_hypothesis() -> None:
    """The replay meets a draw with |x| > 5, which the student below fails (the 8th drawn
    from seed 0, the 4th from seed 11); hypothesis then searches from the start and
    reports its own smallest failure, whatever the seed."""
    fake = student(scale_forward=lambda x, a: (a * x + (np.abs(x) > 5), (x, a)))
    for seed in (0, 11):
        fails_with(
            grade(SatisfiesProperty(1, SYMMETRIC), "scale_forward", fake, seed=seed),
            "Smallest failing example found: x=6, a=1\nf(-x) = -5 but -f(x) = -7",
        )


# --- trajectory_matches_reference --------------------------------------------------------


def test_trajectory_matches_reference_passes_a_correct_update_rule() -> None:
    assert grade(TrajectoryMatchesReference(1), "sgd").passed
    assert grade(TrajectoryMatchesReference(1, steps=20, parameters=2), "sgd_momentum").passed


def test_sgd_with_the_wrong_sign_diverges_at_the_first_step_and_is_named() -> None:
    def uphill(w, dw, config):
        config.setdefault("learning_rate", 1e-2)
        return w + config["learning_rate"] * dw, config

    fake = student(sgd=uphill)
    mistakes = {"sgd": [(*SIGN, {"sgd": uphill})]}
    feedback = fails_with(
        grade(TrajectoryMatchesReference(1, config={"learning_rate": 0.1}), "sgd", fake, mistakes),
        "Driving sgd on a quadratic (w (4, 5), config {'learning_rate': 0.1}): at step 1\n"
        "w: relative error",
    )
    assert feedback.endswith("\nKnown mistake (wrong-sign): Steps uphill: subtract the gradient.")


def test_state_kept_outside_config_shows_with_two_parameters() -> None:
    shared = {}

    def global_velocity(w, dw, config):
        config.setdefault("learning_rate", 1e-2)
        shared["v"] = 0.9 * shared.get("v", np.zeros_like(w)) - config["learning_rate"] * dw
        return w + shared["v"], config

    fake = student(sgd_momentum=global_velocity)
    assert grade(TrajectoryMatchesReference(1, steps=20), "sgd_momentum", fake).passed
    shared.clear()
    fails_with(
        grade(TrajectoryMatchesReference(1, steps=20, parameters=2), "sgd_momentum", fake),
        "at step 1, parameter 2\nw: relative error",
    )


def test_an_update_rule_that_fails_midway_names_the_step() -> None:
    calls = []

    def flaky(w, dw, config):
        calls.append(1)
        if len(calls) == 3:
            raise FloatingPointError("overflow")
        return sgd(w, dw, config)

    fails_with(
        grade(TrajectoryMatchesReference(1), "sgd", student(sgd=flaky)),
        "Driving sgd (w (4, 5), config {}): step 3 failed: sgd raised FloatingPointError: overflow",
    )


def test_an_update_rule_that_loses_its_config_is_malformed() -> None:
    fails_with(
        grade(TrajectoryMatchesReference(1), "sgd", student(sgd=lambda w, dw, config: (w, None))),
        "step 1 failed: sgd should return its config as a dict",
    )


# --- draws_from_rng ----------------------------------------------------------------------


def test_draws_from_rng_passes_an_initializer_that_draws_from_its_generator() -> None:
    assert grade(DrawsFromRng(1), "fan_in_normal").passed


def test_draws_from_the_global_generator_is_not_reproducible() -> None:
    fake = student(fan_in_normal=lambda shape, rng: np.random.standard_normal(shape))
    fails_with(
        grade(DrawsFromRng(1), "fan_in_normal", fake),
        "fan_in_normal((30, 20), rng) gave different weights for two generators with the same "
        "seed: draw every random number from the rng argument, not from np.random.",
    )


def test_drawing_from_the_global_generator_is_named_when_a_variant_does_the_same() -> None:
    fake = student(fan_in_normal=lambda shape, rng: np.random.standard_normal(shape))
    mistakes = {
        "fan_in_normal": [
            ("doubled", "Uses 2/fan_in.", {"fan_in_normal": doubled_variance}),
            ("global", "Uses np.random.", {"fan_in_normal": lambda s, rng: np.random.random(s)}),
        ]
    }
    feedback = fails_with(grade(DrawsFromRng(1), "fan_in_normal", fake, mistakes), "same seed")
    assert feedback.endswith("\nKnown mistake (global): Uses np.random.")


def test_an_initializer_that_ignores_its_generator_gives_the_same_weights_for_every_seed() -> None:
    fake = student(fan_in_normal=lambda shape, rng: np.random.default_rng(0).random(shape))
    fails_with(
        grade(DrawsFromRng(1), "fan_in_normal", fake),
        "fan_in_normal((30, 20), rng) gave the same weights for different seeds",
    )


def test_an_initializer_that_returns_no_array_is_malformed() -> None:
    fake = student(fan_in_normal=lambda shape, rng: rng.standard_normal(shape).tolist())
    fails_with(
        grade(DrawsFromRng(1), "fan_in_normal", fake),
        "fan_in_normal((30, 20)) returned list, expected an array of shape (30, 20)",
    )


# --- matches_distribution ----------------------------------------------------------------

FAN_IN = Target("normal", lambda fan_in, fan_out: 1 / math.sqrt(fan_in), "N(0, 1/fan_in)")
UNIFORM = Target("uniform", lambda fan_in, fan_out: math.sqrt(3 / fan_in), "U(-√(3/fan_in), …)")


def doubled_variance(shape, rng):
    return rng.standard_normal(shape) * math.sqrt(2 / shape[0])


def test_matches_distribution_passes_a_correct_initializer() -> None:
    assert grade(MatchesDistribution(1, FAN_IN), "fan_in_normal").passed


def test_a_draw_at_the_wrong_scale_fails_the_variance_and_ks_tests_and_is_named() -> None:
    fake = student(fan_in_normal=doubled_variance)
    mistakes = {
        "fan_in_normal": [
            (
                "transposed",
                "Uses fan_out.",
                {"fan_in_normal": lambda s, rng: fan_in_normal(s[::-1], rng).T},
            ),
            ("doubled", "Uses 2/fan_in.", {"fan_in_normal": doubled_variance}),
        ]
    }
    feedback = fails_with(
        grade(MatchesDistribution(1, FAN_IN), "fan_in_normal", fake, mistakes),
        "fan_in_normal(shape=(500, 300)), fan_in=500, fan_out=300:\nstd 0.06",
        "expected 0.04472 (variance allowed ±",
        "\nKolmogorov-Smirnov test rejects normal",
    )
    assert feedback.endswith("\nLikely mistake (doubled): Uses 2/fan_in.")


def test_a_normal_draw_is_not_a_uniform_one() -> None:
    fake = student(fan_in_normal=fan_in_normal)
    fails_with(
        grade(MatchesDistribution(1, UNIFORM), "fan_in_normal", fake),
        "lies outside the bound ±0.07746",
    )
    uniform = student(fan_in_normal=lambda s, rng: rng.uniform(-1, 1, s) * math.sqrt(3 / s[0]))
    assert grade(MatchesDistribution(1, UNIFORM), "fan_in_normal", uniform).passed


def test_a_draw_with_nan_fails_before_any_statistics() -> None:
    fake = student(fan_in_normal=lambda shape, rng: np.full(shape, np.nan))
    fails_with(
        grade(MatchesDistribution(1, FAN_IN), "fan_in_normal", fake),
        "fan_in_normal(shape=(500, 300)), fan_in=500, fan_out=300:\ncontains inf or nan",
    )


# --- is_orthogonal -----------------------------------------------------------------------


def test_is_orthogonal_passes_a_qr_based_initializer_at_every_gain() -> None:
    assert grade(IsOrthogonal(1, gains=(1.0, 2.0)), "orthogonal").passed


def test_a_scaled_gaussian_matrix_is_not_orthogonal() -> None:
    fake = student(orthogonal=lambda shape, rng, gain=1.0: fan_in_normal(shape, rng))
    fails_with(
        grade(IsOrthogonal(1), "orthogonal", fake),
        "orthogonal(shape=(50, 30), gain=1.0): WᵀW (orthonormal columns) should be 1·I, "
        "largest deviation",
    )


def test_an_orthogonal_initializer_that_ignores_the_gain_fails_at_that_gain() -> None:
    fake = student(orthogonal=lambda shape, rng, gain=1.0: orthogonal(shape, rng))
    assert grade(IsOrthogonal(1), "orthogonal", fake).passed
    fails_with(
        grade(IsOrthogonal(1, gains=(1.0, 2.0)), "orthogonal", fake),
        "orthogonal(shape=(50, 30), gain=2.0): WᵀW (orthonormal columns) should be 4·I, "
        "largest deviation 3",
    )


ORTHOGONAL_MISTAKES = {
    "orthogonal": [
        (
            "transposed",
            "Q not transposed.",
            {"orthogonal": lambda s, rng, gain=1.0: gain * fan_in_normal(s, rng)},
        ),
        ("no-gain", "Ignores gain.", {"orthogonal": lambda s, rng, gain=1.0: orthogonal(s, rng)}),
    ]
}


def test_a_mistake_is_named_when_its_spectrum_is_the_students() -> None:
    """Ignoring the gain leaves singular values 1 on every draw: the variant's spectrum is
    the student's whatever either drew. Another draw-dependent spectrum does not match."""
    fake = student(orthogonal=lambda shape, rng, gain=1.0: gain * orthogonal(shape[::-1], rng).T)
    assert grade(IsOrthogonal(1, gains=(1.0, 2.0)), "orthogonal", fake, ORTHOGONAL_MISTAKES).passed
    ignores_gain = student(orthogonal=lambda shape, rng, gain=1.0: orthogonal(shape[::-1], rng).T)
    feedback = fails_with(
        grade(IsOrthogonal(1, gains=(2.0,)), "orthogonal", ignores_gain, ORTHOGONAL_MISTAKES),
        "should be 4·I",
    )
    assert feedback.endswith("\nKnown mistake (no-gain): Ignores gain.")
    uniform = student(orthogonal=lambda shape, rng, gain=1.0: gain * rng.uniform(-1, 1, shape))
    feedback = fails_with(
        grade(IsOrthogonal(1), "orthogonal", uniform, ORTHOGONAL_MISTAKES), "largest deviation"
    )
    assert "mistake" not in feedback


def test_a_wide_draw_is_judged_by_its_rows() -> None:
    def tall_only(shape, rng, gain=1.0):
        return orthogonal(shape, rng) if shape[0] >= shape[1] else fan_in_normal(shape, rng)

    fails_with(
        grade(IsOrthogonal(1), "orthogonal", student(orthogonal=tall_only)),
        "orthogonal(shape=(30, 50), gain=1.0): WWᵀ (orthonormal rows) should be 1·I",
    )


# --- has_k_nonzeros_per_column -----------------------------------------------------------

SPARSE_SETTINGS = (((10, 40), {"k": 15}), ((200, 100), {"k": 15, "scale": 0.5}))


def test_has_k_nonzeros_per_column_passes_a_correct_sparse_initializer() -> None:
    assert grade(HasKNonzerosPerColumn(1, SPARSE_SETTINGS), "sparse").passed


def test_k_nonzeros_per_row_instead_of_per_column_is_named() -> None:
    fake = student(sparse=lambda shape, rng, k=15, scale=1.0: sparse(shape[::-1], rng, k, scale).T)
    fails_with(
        grade(HasKNonzerosPerColumn(1, SPARSE_SETTINGS), "sparse", fake),
        "sparse(shape=(10, 40), k=15, scale=1.0): column 0 has ",
        " nonzero weights, expected min(k, fan_in) = 10 in every column (one per output unit)",
    )


def with_replacement(shape, rng, k=15, scale=1.0):
    w = np.zeros(shape)
    for column in range(shape[1]):
        w[rng.integers(0, shape[0], min(k, shape[0])), column] = rng.standard_normal()
    return w * scale


SPARSE_MISTAKES = {
    "sparse": [
        (
            "per-row",
            "k per row.",
            {"sparse": lambda s, rng, k=15, scale=1.0: sparse(s[::-1], rng, k, scale).T},
        ),
        ("replacement", "Rows drawn with replacement.", {"sparse": with_replacement}),
        (
            "no-scale",
            "Ignores scale.",
            {"sparse": lambda s, rng, k=15, scale=1.0: sparse(s, rng, k)},
        ),
    ]
}


def test_a_sparse_layout_is_named_by_its_counts_per_column_and_row() -> None:
    """Columns with fewer than k nonzeros, counted like the variant's (KS test on the
    counts): drawn with replacement. Wrong values in the right layout get no name from
    the layout: every correct-layout variant would match it."""
    fake = student(sparse=with_replacement)
    check = HasKNonzerosPerColumn(1, (((200, 300), {"k": 15}),))
    feedback = fails_with(grade(check, "sparse", fake, SPARSE_MISTAKES), "nonzero weights")
    assert "\nLikely mistake (replacement): Rows drawn with replacement." in feedback
    unscaled = student(sparse=lambda shape, rng, k=15, scale=1.0: sparse(shape, rng, k))
    feedback = fails_with(
        grade(HasKNonzerosPerColumn(1, SPARSE_SETTINGS), "sparse", unscaled, SPARSE_MISTAKES),
        "the nonzero weights: ",
    )
    assert "mistake" not in feedback


def test_sparse_weights_at_the_wrong_scale_fail_the_distribution_tests() -> None:
    fake = student(sparse=lambda shape, rng, k=15, scale=1.0: sparse(shape, rng, k))
    fails_with(
        grade(HasKNonzerosPerColumn(1, SPARSE_SETTINGS), "sparse", fake),
        "sparse(shape=(200, 100), k=15, scale=0.5): the nonzero weights: ",
        "std ",
    )


# --- activation_statistics ---------------------------------------------------------------


def test_activation_statistics_passes_he_with_relu_and_attaches_its_table_and_plot() -> None:
    outcome = grade(ActivationStatistics(1, "he_relu"), "he_normal")
    assert outcome.passed
    (table,) = outcome.attachments.tables
    (plot,) = outcome.attachments.plots
    assert len(table.rows) == 10 and plot.band is not None


def test_an_initializer_at_the_wrong_scale_leaves_the_reference_band() -> None:
    fake = student(he_normal=fan_in_normal)
    outcome = grade(ActivationStatistics(1, "he_relu"), "he_normal", fake)
    fails_with(
        outcome,
        "he_normal + relu: activation std per layer: layer 1 has std ",
        "outside the reference band",
        "(layers outside: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)",
    )
    assert outcome.attachments.tables, "the table is shown with a failure too"


# --- coverage ----------------------------------------------------------------------------

NEEDS_A_WORKER = {"runs_as_fast_as_reference"}  # times two real workers against each other
COVERED = {
    ActivationStatistics,
    DrawsFromRng,
    GradientMatchesNumeric,
    HasKNonzerosPerColumn,
    IsOrthogonal,
    KeepsInputsUnchanged,
    MatchesDistribution,
    MatchesReference,
    ReturnsWellFormed,
    SatisfiesProperty,
    TrajectoryMatchesReference,
    # in tests/test_torch_check_units.py, driven in this process:
    TorchForwardMatches,
    TorchGradientMatchesNumeric,
    TorchInitDistribution,
    TorchIsOrthogonal,
    TorchTrajectoryMatches,
    # in tests/test_network_check_units.py, on the cifar spec's networks:
    InitialLossIsChance,
    LossRisesWithRegularization,
    NetworkGradientMatchesNumeric,
    NetworkOverfits,
}


def test_every_check_that_runs_without_a_worker_has_unit_tests() -> None:
    """A new check either gets tests against fakes (here, for torch objects in
    test_torch_check_units.py, for networks in test_network_check_units.py) or says why
    it cannot."""
    assert {CHECKS[kind] for kind in set(CHECKS) - NEEDS_A_WORKER} == COVERED
