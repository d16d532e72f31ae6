"""Independent student code (tests/corpus/independent, written blind against the course
API and the stubs): every hand-in graded in full gets the verdict its TRUTH.json gives each
function: full marks for correct code however written, fewer points for a real bug and its
known mistake named when one is listed, nothing for a stub, and never a name on a function
that keeps its points."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CORPORA, FAST, named_by_function, points_by_function

from grader import grading

INDEPENDENT = CORPORA / "independent"
GRADED_HERE = ("layers", "optimizers", "initializers")  # gpu: benchmarks/diagnosis_rate.py
HAND_INS = [
    path for assignment in GRADED_HERE for path in sorted((INDEPENDENT / assignment).iterdir())
]


def truth(hand_in: Path) -> dict[str, dict[str, str]]:
    return json.loads((hand_in / "TRUTH.json").read_text())["functions"]


def test_the_corpus_has_bugs_stubs_and_correct_hand_ins() -> None:
    verdicts = [entry["verdict"] for hand_in in HAND_INS for entry in truth(hand_in).values()]
    assert verdicts.count("lose") >= 30 and verdicts.count("stub") >= 5
    correct = [h for h in HAND_INS if all(e["verdict"] == "full" for e in truth(h).values())]
    assert len(correct) >= 10


@pytest.mark.parametrize("hand_in", HAND_INS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_function_gets_its_verdict(hand_in: Path) -> None:
    expected = truth(hand_in)
    report = grading.grade(hand_in.parent.name, hand_in, FAST)
    totals = points_by_function(report)
    named = named_by_function(report)
    assert set(totals) == set(expected)
    for function, (score, maximum) in totals.items():
        entry = expected[function]
        got = named.get(function, set())
        if entry["verdict"] == "full":
            assert score == maximum and not got, f"{function}: {score}/{maximum}, named {got}"
        elif entry["verdict"] == "stub":
            assert score == 0 and not got, f"{function}: {score}/{maximum}, named {got}"
        else:
            assert score < maximum, f"{function} kept full marks: {entry['bug']}"
            wanted = {entry["mistake"]} if "mistake" in entry else set()
            assert got == wanted, f"{function}: named {got or 'nothing'}, expected {wanted}"
