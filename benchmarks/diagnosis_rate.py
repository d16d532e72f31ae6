"""How often the grader names a bug, and how often it names one wrongly, over the bug
corpus (tests/corpus/*/bugs), the realistic corpus (tests/corpus/realistic) and the
independent hand-ins (tests/corpus/independent, graded in full; their TRUTH.json gives
each function's verdict and, where one fits, its mistake).

A bug is a (file, function) pair that should lose points: a bug fragment's function, or a
function a realistic file EXPECTs to "lose". Its expected name is the file's MISTAKE (a
key, or for a realistic file a dict by function; a realistic bug without one says that no
known mistake fits). A name is wrong when it differs from the expected one, or when it is
given to a function that should keep full marks. Bug fragments without MISTAKE cannot tell
a right name from a wrong one: their names are counted as unverified. Each file is graded
only on the functions it can change, as in the tests.

    PYTHONPATH=$PWD python benchmarks/diagnosis_rate.py [--assignment layers ...] [--list]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import (  # noqa: E402 - the corpus helpers live beside the tests
    CORPORA,
    FAST,
    REALISTIC,
    assignment_of,
    fragment_constants,
    functions_at_risk,
    named_by_function,
    points_by_function,
    submission_with,
)

from grader import grading  # noqa: E402
from grader.assignments import load_assignment  # noqa: E402


@dataclass
class Tally:
    bugs: int = 0
    named: int = 0
    named_as_expected: int = 0
    unverified: int = 0
    missed: list[str] = field(default_factory=list)
    unnamed: list[str] = field(default_factory=list)
    unverified_names: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    correct_forms: int = 0
    unfair: list[str] = field(default_factory=list)


def expectations(path: Path) -> tuple[dict[str, str], dict[str, str | None]]:
    """(verdict by function, expected name by function; None: no name may be given, absent:
    unknown) for one corpus file."""
    constants = fragment_constants(path)
    if path.is_relative_to(REALISTIC):
        mistakes = constants.get("MISTAKE", {})
        expect = constants["EXPECT"]
        return expect, {f: mistakes.get(f) for f, verdict in expect.items()}
    target = path.parent.name
    names = {target: constants["MISTAKE"]} if "MISTAKE" in constants else {}
    return {target: "lose"}, names


def tally_file(path: Path, tally: Tally) -> None:
    assignment = assignment_of(path)
    (spec,) = load_assignment(assignment)
    expect, names = expectations(path)
    with tempfile.TemporaryDirectory() as folder:
        submission = submission_with(path, Path(folder) / "submission")
        at_risk = functions_at_risk(spec, submission, path)
        report = grading.grade(assignment, submission, replace(FAST, only=at_risk))
    totals = points_by_function(report)
    named = named_by_function(report)
    label = f"{path.relative_to(CORPORA)}"
    for function, verdict in expect.items():
        got = named.get(function, set())
        score, maximum = totals.get(function, (0.0, 0.0))
        if verdict == "full":
            tally.correct_forms += 1
            if got:
                tally.wrong.append(f"{label} {function}: correct form named {sorted(got)}")
            if score < maximum:
                tally.unfair.append(f"{label} {function}: correct form lost points")
            continue
        if score >= maximum:
            tally.missed.append(f"{label} {function}: kept full marks")
        tally.bugs += 1
        if got:
            tally.named += 1
        else:
            tally.unnamed.append(f"{label} {function}")
        if function not in names:
            if got:
                tally.unverified += 1
                tally.unverified_names.append(f"{label} {function}: named {sorted(got)}")
            continue
        wanted = names[function]
        if got and got != {wanted}:
            tally.wrong.append(f"{label} {function}: named {sorted(got)}, expected {wanted}")
        elif got:
            tally.named_as_expected += 1


INDEPENDENT = CORPORA / "independent"


def tally_hand_in(folder: Path, tally: Tally) -> None:
    """One independent hand-in, every function graded; a function its TRUTH.json does not
    list (a composite such as a timed training run) is not counted."""
    assignment = folder.parent.name
    functions = json.loads((folder / "TRUTH.json").read_text())["functions"]
    report = grading.grade(assignment, folder, FAST)
    totals = points_by_function(report)
    named = named_by_function(report)
    label = str(folder.relative_to(CORPORA))
    for function, entry in functions.items():
        got = named.get(function, set())
        score, maximum = totals.get(function, (0.0, 0.0))
        if entry["verdict"] != "lose":
            tally.correct_forms += entry["verdict"] == "full"
            if got:
                tally.wrong.append(f"{label} {function}: {entry['verdict']} named {sorted(got)}")
            if (score < maximum) if entry["verdict"] == "full" else score > 0:
                tally.unfair.append(f"{label} {function}: {entry['verdict']}, {score}/{maximum}")
            continue
        tally.bugs += 1
        if score >= maximum:
            tally.missed.append(f"{label} {function}: kept full marks")
        if not got:
            tally.unnamed.append(f"{label} {function}")
            continue
        tally.named += 1
        if "mistake" not in entry:
            tally.unverified += 1
            tally.unverified_names.append(f"{label} {function}: named {sorted(got)}")
        elif got != {entry["mistake"]}:
            tally.wrong.append(
                f"{label} {function}: named {sorted(got)}, expected {entry['mistake']}"
            )
        else:
            tally.named_as_expected += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", action="append", help="only these assignments")
    parser.add_argument(
        "--list", action="store_true", help="list the bugs given no name or an unverified one"
    )
    arguments = parser.parse_args()
    chosen = arguments.assignment
    files = sorted(CORPORA.glob("*/bugs/*/*.py")) + sorted(REALISTIC.glob("*/*.py"))
    groups: dict[str, Tally] = {}
    for path in files:
        if chosen and assignment_of(path) not in chosen:
            continue
        group = "realistic" if path.is_relative_to(REALISTIC) else "bug corpus"
        tally_file(path, groups.setdefault(group, Tally()))
    for folder in sorted(INDEPENDENT.glob("*/*/")):
        if not chosen or folder.parent.name in chosen:
            tally_hand_in(folder, groups.setdefault("independent", Tally()))
    for group, tally in groups.items():
        share = 100.0 * tally.named / tally.bugs if tally.bugs else 0.0
        print(
            f"{group}: {tally.bugs} bugs, {tally.named} named ({share:.0f}%; "
            f"{tally.named_as_expected} as expected, {tally.unverified} unverified), "
            f"{len(tally.wrong)} wrong names, {tally.correct_forms} correct forms "
            f"({len(tally.unfair)} lost points), {len(tally.missed)} bugs that kept full marks"
        )
        listed = tally.unnamed + tally.unverified_names if arguments.list else []
        for line in tally.wrong + tally.unfair + tally.missed + listed:
            print(f"  {line}")


if __name__ == "__main__":
    main()
