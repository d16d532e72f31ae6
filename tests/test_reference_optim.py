"""The reference update rules reproduce the published CS231n expected values."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from optim_expected_values import CS231N_CASES

import reference.optim
from grader.checks.compare import relative_error


@pytest.mark.parametrize("name", sorted(CS231N_CASES))
def test_reference_matches_published_values(name: str) -> None:
    case = CS231N_CASES[name]
    update = getattr(reference.optim, case["function"])
    next_w, config = update(case["w"].copy(), case["dw"].copy(), copy.deepcopy(case["config"]))
    expected = {"next_w": next_w} | {key: config[key] for key in config}
    for key, value in case.items():
        if key.startswith("expected_"):
            got = expected[key.removeprefix("expected_")]
            assert np.max(np.abs(got - value)) <= 5e-9  # printed to 8 decimals
            assert relative_error(got, value) < 1e-8
