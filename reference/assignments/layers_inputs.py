"""Inputs for the `layers` functions. The first cases are small (numerical gradients);
later ones have more dimensions, non-square shapes and, for the stable functions, huge
values. Every generator draws only from the rng it is given."""

from __future__ import annotations

import numpy as np

from grader.assignments.spec import Case
from grader.checks.inputs import away_from_zero, hinge_scores, labels, normal, separated_maxima


def affine(rng: np.random.Generator) -> list[Case]:
    shapes = [((3, 4), 5), ((2, 3, 2), 4), ((4, 2, 3, 2), 7), ((10, 6), 6)]
    cases = []
    for x_shape, m in shapes:
        d = int(np.prod(x_shape[1:]))
        cases.append(Case((normal(rng, x_shape), normal(rng, (d, m)), normal(rng, (m,)))))
    return cases


def elementwise(rng: np.random.Generator) -> list[Case]:
    """For kinked activations: values away from 0."""
    return [Case((away_from_zero(rng, shape),)) for shape in [(3, 4), (2, 3, 4), (6, 5)]]


def with_alpha(alpha: float):
    def generate(rng: np.random.Generator) -> list[Case]:
        return [Case((case.args[0], alpha)) for case in elementwise(rng)]

    return generate


def smooth(rng: np.random.Generator) -> list[Case]:
    """For sigmoid/tanh/softplus: moderate values, then huge ones (stability)."""
    cases = [Case((normal(rng, shape, 2.0),)) for shape in [(3, 4), (2, 3, 4), (6, 5)]]
    huge = np.array([[-1000.0, -50.0, -1.0, 0.5], [30.0, 800.0, -710.0, 745.0]])
    return cases + [Case((huge,), note="very large |x|")]


def prelu(rng: np.random.Generator) -> list[Case]:
    return [
        Case((away_from_zero(rng, (n, d)), rng.uniform(0.05, 0.5, d)))
        for n, d in [(4, 3), (6, 5), (3, 7)]
    ]


def maxout(rng: np.random.Generator) -> list[Case]:
    def draw(n: int, d: int, m: int, k: int):
        def make(rng: np.random.Generator):
            x, w, b = normal(rng, (n, d)), normal(rng, (d, m, k)), normal(rng, (m, k))
            return (np.einsum("nd,dmk->nmk", x, w) + b, x, w, b)

        return make

    cases = []
    for shape in [(3, 4, 2, 3), (5, 3, 4, 2), (6, 5, 3, 4)]:
        _, x, w, b = separated_maxima(rng, draw(*shape))
        cases.append(Case((x, w, b)))
    return cases


def svm(rng: np.random.Generator) -> list[Case]:
    return [Case(hinge_scores(rng, n, c)) for n, c in [(5, 4), (8, 3), (20, 10)]]


def softmax(rng: np.random.Generator) -> list[Case]:
    cases = [Case((normal(rng, (n, c), 2.0), labels(rng, n, c))) for n, c in [(5, 4), (8, 3)]]
    x = normal(rng, (6, 5), 1e4)
    x[3:] *= 2e-4  # ordinary rows beside the huge ones: an overflow shows next to finite values
    return cases + [Case((x, labels(rng, 6, 5)), note="logits around 1e4 in rows 0-2")]


def softmax_smoothed(rng: np.random.Generator) -> list[Case]:
    return [
        Case((*case.args, epsilon), note=case.note)
        for case, epsilon in zip(softmax(rng), (0.1, 0.25, 0.1), strict=True)
    ]


def _bn_param(rng: np.random.Generator, d: int, mode: str, momentum: float | None) -> dict:
    param: dict = {"mode": mode}
    if momentum is not None:
        param.update(
            momentum=momentum,
            running_mean=normal(rng, (d,)),
            running_var=rng.uniform(0.5, 2.0, d),
        )
    return param


def batchnorm_train(rng: np.random.Generator) -> list[Case]:
    cases = []
    for (n, d), momentum in [((6, 3), None), ((8, 5), 0.8), ((30, 4), 0.95)]:
        x = normal(rng, (n, d), 3.0) + rng.uniform(-2, 2, d)
        gamma, beta = rng.uniform(0.5, 2.0, d), normal(rng, (d,))
        cases.append(Case((x, gamma, beta, _bn_param(rng, d, "train", momentum))))
    return cases


def batchnorm(rng: np.random.Generator) -> list[Case]:
    """Train mode first, then test mode with given running statistics."""
    cases = batchnorm_train(rng)
    x, gamma, beta, _ = cases[1].args
    test = Case((x, gamma, beta, _bn_param(rng, x.shape[1], "test", 0.9)), note="test mode")
    return cases[:2] + [test] + cases[2:]


def spatial_batchnorm(rng: np.random.Generator) -> list[Case]:
    cases = []
    for shape, momentum in [((2, 3, 2, 2), None), ((3, 2, 3, 4), 0.7)]:
        c = shape[1]
        x = normal(rng, shape, 2.0) + 1.0
        gamma, beta = rng.uniform(0.5, 2.0, c), normal(rng, (c,))
        cases.append(Case((x, gamma, beta, _bn_param(rng, c, "train", momentum))))
    x, gamma, beta, _ = cases[1].args
    cases.append(Case((x, gamma, beta, _bn_param(rng, 2, "test", 0.9)), note="test mode"))
    return cases


def layernorm(rng: np.random.Generator) -> list[Case]:
    cases = []
    for (n, d), param in [((4, 5), {}), ((3, 8), {"eps": 1e-3}), ((10, 6), {})]:
        x = normal(rng, (n, d), 2.0) + rng.uniform(-1, 1, (n, 1))
        cases.append(Case((x, rng.uniform(0.5, 2.0, d), normal(rng, (d,)), param)))
    return cases


def groupnorm(rng: np.random.Generator) -> list[Case]:
    cases = []
    for shape, groups in [((2, 4, 2, 2), 2), ((2, 6, 2, 3), 3), ((3, 6, 3, 3), 2)]:
        c = shape[1]
        x = normal(rng, shape, 2.0) + 0.5
        gamma = rng.uniform(0.5, 2.0, (1, c, 1, 1))
        beta = normal(rng, (1, c, 1, 1))
        cases.append(Case((x, gamma, beta, groups, {})))
    return cases


def dropout_train(rng: np.random.Generator) -> list[Case]:
    """Seeded train mode: deterministic masks, so gradients can be checked numerically."""
    return [
        Case((away_from_zero(rng, shape), {"mode": "train", "p": p, "seed": seed}))
        for shape, p, seed in [((4, 5), 0.6, 7), ((3, 2, 4), 0.3, 11)]
    ]


def dropout_test(rng: np.random.Generator) -> list[Case]:
    """Test mode, once with a seed: a mask wrongly drawn in test mode is then reproducible,
    so the known mistake can be named."""
    return [
        Case((normal(rng, (4, 5)), {"mode": "test", "p": 0.6, "seed": 3}), note="test mode"),
        Case((normal(rng, (3, 2, 4)), {"mode": "test", "p": 0.3}), note="test mode"),
    ]


def dropout_all(rng: np.random.Generator) -> list[Case]:
    return dropout_train(rng) + dropout_test(rng)


def regularization(rng: np.random.Generator) -> list[Case]:
    return [
        Case((away_from_zero(rng, shape), reg)) for shape, reg in [((4, 3), 0.3), ((5, 6), 2.0)]
    ]


def elastic_net(rng: np.random.Generator) -> list[Case]:
    return [
        Case((away_from_zero(rng, shape), l1, l2))
        for shape, l1, l2 in [((4, 3), 0.2, 0.7), ((5, 6), 1.5, 0.1)]
    ]
