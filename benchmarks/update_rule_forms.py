"""Worst relative error of each algebraically equivalent update-rule form in the corpus
(tests/corpus/optimizers/correct_*) against the reference, on what the checks compare:
one step from the checks' inputs, 50-step trajectories, and the properties' quantities
(Adam's first step against learning_rate, scale invariance, terminal velocity). Every one
must sit below the update rules' one tolerance (grader.tolerances.UPDATE_RULE).

    PYTHONPATH=$PWD python benchmarks/update_rule_forms.py

The corpus files are our own test code, imported here in-process.
"""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path

import numpy as np

from grader import tolerances
from grader.checks.compare import relative_error
from grader.checks.inputs import away_from_zero
from grader.checks.trajectory import SHAPE, Problem
from reference import optim as reference
from reference.assignments import optimizers_inputs as inputs

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "optimizers"
RULES = tuple(inputs.STATE_KEYS)
SEEDS = range(20)


def load(path: Path) -> object:
    spec = importlib.util.spec_from_file_location(f"form_{path.parent.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def step(rule, w, dw, config):
    next_w, config = rule(np.array(w, copy=True), np.array(dw, copy=True), copy.deepcopy(config))
    return np.asarray(next_w, dtype=np.float64), config


def one_step_error(form, name: str) -> float:
    """matches_reference: next_w and every state entry, on the checks' own inputs."""
    worst = 0.0
    for seed in SEEDS:
        for case in inputs.update_rule(name)(np.random.default_rng(seed)):
            w, dw, config = case.args
            mine, my_config = step(getattr(form, name), w, dw, config)
            theirs, their_config = step(getattr(reference, name), w, dw, config)
            errors = [relative_error(mine, theirs)]
            for key in inputs.STATE_KEYS[name]:
                errors.append(
                    relative_error(np.asarray(my_config[key]), np.asarray(their_config[key]))
                )
            worst = max(worst, *errors)
    return worst


def trajectory_error(form, name: str, steps: int = 50) -> float:
    """trajectory_matches_reference: w after every step of a drive on a quadratic."""
    worst = 0.0
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        target = rng.standard_normal(SHAPE)
        start = target + away_from_zero(rng, SHAPE, 0.3, 2.0)
        problem = Problem(start, rng.uniform(0.5, 2.0, SHAPE), target)
        mine = theirs = start
        my_config, their_config = (
            dict(inputs.HYPERPARAMETERS[name]),
            dict(inputs.HYPERPARAMETERS[name]),
        )
        for _ in range(steps):
            mine, my_config = step(getattr(form, name), mine, problem.gradient(mine), my_config)
            theirs, their_config = step(
                getattr(reference, name), theirs, problem.gradient(theirs), their_config
            )
            worst = max(worst, relative_error(mine, theirs))
    return worst


def property_error(form, name: str) -> float:
    """The properties' element-wise quantities, at their inputs' extremes (|g| from 0.1)."""
    rng = np.random.default_rng(0)
    worst = 0.0
    g = np.concatenate([[0.1, -0.1, 0.3, 10.0], away_from_zero(rng, (60,), 0.1, 10.0)])
    rule = getattr(form, name)
    if name == "adam":
        for lr in (1e-3, 1e-2, 0.1):
            moved, _ = step(rule, np.zeros_like(g), g, {"learning_rate": lr})
            worst = max(worst, float(np.max(np.abs(np.abs(moved) - lr) / lr)))
    if name in ("adam", "rmsprop"):
        strong = np.abs(g) >= 0.3
        w = np.ones(int(strong.sum()))
        first, _ = step(rule, w, g[strong], {"learning_rate": 0.01})
        for scale in (10.0, 1000.0):
            scaled, _ = step(rule, w, scale * g[strong], {"learning_rate": 0.01})
            gap = np.abs((first - w) - (scaled - w)) / np.abs(scaled - w)
            worst = max(worst, float(np.max(gap)))
    if name in ("sgd_momentum", "nesterov_momentum"):
        for momentum in (0.5, 0.8, 0.9):
            config, w = {"learning_rate": 0.01, "momentum": momentum}, np.zeros_like(g)
            for _ in range(150):
                next_w, config = step(rule, w, g, config)
                moved, w = next_w - w, next_w
            expected = -0.01 * g / (1 - momentum)
            worst = max(worst, float(np.max(np.abs(moved - expected) / np.abs(expected))))
    return worst


def main() -> None:
    tolerance = tolerances.UPDATE_RULE
    print(f"tolerance (grader.tolerances.UPDATE_RULE): {tolerance:.0e}")
    print(f"{'submission':32} {'rule':18} {'one step':>9} {'trajectory':>10} {'properties':>10}")
    for path in sorted(CORPUS.glob("correct*/optim.py")):
        form = load(path)
        for name in RULES:
            errors = (
                one_step_error(form, name),
                trajectory_error(form, name),
                property_error(form, name),
            )
            flag = "" if max(errors) <= tolerance else "  OVER"
            cells = " ".join(f"{e:10.1e}" for e in errors)
            print(f"{path.parent.name:32} {name:18} {cells}{flag}")


if __name__ == "__main__":
    main()
