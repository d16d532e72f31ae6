"""How many steps the reference needs to fit the 20 images, over many seeds, for every
overfit check of the `cifar` assignment; and its whole-network gradient errors. The step
budgets in reference/assignments/cifar.py must stay at least twice the worst case here.

    python benchmarks/calibrate_cifar.py [--seeds 200] [--cifar-dir PATH]
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import numpy as np

from grader.assignments import load_assignment
from grader.checks.network import Pieces
from grader.checks.network_sanity import (
    DIRECTIONS,
    NetworkGradientMatchesNumeric,
    gradient_errors,
    gradient_params,
)
from grader.checks.recording import ReferenceSource
from grader.checks.training import NetworkOverfits, train
from grader.cifar10 import load_images


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--cifar-dir", type=Path, default=None)
    args = parser.parse_args()
    images = load_images(args.cifar_dir)
    (assignment,) = load_assignment("cifar")
    reference = ReferenceSource().reference(assignment.reference_module)
    pieces = Pieces(reference, reference, frozenset())
    print(f"images: {images.source}; {args.seeds} seeds")
    for function in assignment.functions:
        for check in function.checks:
            if isinstance(check, NetworkOverfits):
                recipe = check.recipe
                unlimited = dataclasses.replace(recipe, budget=10 * recipe.budget)
                steps = [
                    train(unlimited, pieces, images.x, images.y, seed).fitted_at
                    for seed in range(args.seeds)
                ]
                missing = sum(s is None for s in steps)
                found = np.array([s for s in steps if s is not None])
                print(
                    f"{function.name} / {recipe.optimizer}: steps min {found.min()}, median "
                    f"{np.median(found):g}, max {found.max()}, not fitted {missing}; "
                    f"budget {recipe.budget} (x{recipe.budget / found.max():.2f} the max)"
                )
            if isinstance(check, NetworkGradientMatchesNumeric):
                net, worst = check.net, 0.0
                for seed in range(args.seeds // 4):
                    rng = np.random.default_rng(seed)
                    params = gradient_params(net, reference, (images.x, images.y), rng)
                    directions = {
                        k: [rng.standard_normal(v.shape) for _ in range(DIRECTIONS)]
                        for k, v in params.items()
                    }
                    errors = gradient_errors(
                        net, pieces, params, (images.x, images.y), check.reg, directions
                    )
                    worst = max(worst, max(errors.values()))
                print(f"{function.name} / gradient: worst relative error {worst:.2e}")


if __name__ == "__main__":
    main()
