"""The one known-mistake matcher: an exact match beats a likely one, two exact matches
that name different mistakes name none, the first registered likely match wins, a variant
that cannot run explains nothing, one wording for the verdict, a kit recording asks every
variant, and equal non-finite patterns alone never match."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from grader.checks.mistakes import Agreement, Match, name_mistake, record_variants, reproduces
from grader.checks.recording import Variant, registered_mistakes


def context(keys: list[str], recording: bool = False) -> SimpleNamespace:
    listed = [(Variant("f", key, f"{key} words"), key) for key in keys]
    source = SimpleNamespace(variants=lambda module, target: listed, recording=recording)
    return SimpleNamespace(
        source=source,
        assignment=SimpleNamespace(reference_module="reference.layers"),
        function=SimpleNamespace(name="f"),
    )


def behaves(mistake: Variant, variant: str) -> str:
    if variant == "broken":
        raise ZeroDivisionError
    return variant


def test_an_exact_match_beats_a_likely_one_and_two_exact_ones_name_nothing() -> None:
    """Two different mistakes that both reproduce everything the student returned are two
    explanations this evidence cannot tell apart: naming either could be wrong."""
    matches = {
        "a": Match(exact=False, detail="your dx matches this mistake"),
        "b": Match(exact=False),
        "c": Match(exact=True),
        "d": Match(exact=True),
    }
    ctx = context(["broken", "a", "b", "c"])
    assert name_mistake(ctx, behaves, matches.get) == "Known mistake (c): c words"
    assert name_mistake(context(["a", "c", "d"]), behaves, matches.get) is None
    ctx = context(["broken", "b", "a"])
    assert name_mistake(ctx, behaves, matches.get) == "Likely mistake (b): b words"
    ctx = context(["a", "b"])
    assert name_mistake(ctx, behaves, matches.get) == (
        "Likely mistake (a): a words (your dx matches this mistake)"
    )
    assert name_mistake(context(["broken", "x"]), behaves, matches.get) is None


def test_recording_a_kit_asks_every_variant_and_nothing_otherwise() -> None:
    asked: list[str] = []

    def behaviour(mistake: Variant, variant: str) -> None:
        asked.append(behaves(mistake, variant))

    record_variants(context(["a", "broken", "b"], recording=True), behaviour)
    record_variants(context(["c"], recording=False), behaviour)
    assert asked == ["a", "b"]


def test_mistakes_are_found_beside_the_reference_module() -> None:
    assert {m.target for m in registered_mistakes("reference.layers")} >= {"batchnorm_forward"}
    assert registered_mistakes("reference.cifar") == ()


def test_a_value_is_reproduced_only_by_agreeing_finite_values() -> None:
    nan, inf = float("nan"), float("inf")
    row = np.array([1.0, nan, 3.0])
    assert reproduces(row, row + 1e-9, 1e-6) == Agreement(True, True)
    assert reproduces(row, np.array([1.0, nan, 3.1]), 1e-6) == Agreement(False, False)
    # an inf loss (log of an underflowed probability) is no nan loss (overflow) ...
    assert not reproduces(inf, nan, 1e-6).agrees
    assert not reproduces(np.array([1.0, inf]), np.array([1.0, -inf]), 1e-6).agrees
    # ... and even the same non-finite value is no evidence on its own
    assert reproduces(nan, nan, 1e-6) == Agreement(True, False)
    assert reproduces(np.array([1.0, 2.0]), np.array([[1.0, 2.0]]), 1e-6) == Agreement(False, False)


def test_one_mistake_may_come_in_several_forms() -> None:
    forms = [
        m
        for m in registered_mistakes("reference.layers")
        if (m.target, m.key) == ("softmax_loss", "log-of-probability-plus-epsilon")
    ]
    assert len(forms) > 1 and len({m.description for m in forms}) == len(forms)
