"""Hostile submissions are graded like any other: each attack fails only what it breaks,
nothing it returns is executed, nothing it starts survives, and the grader is unharmed."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import (
    CORPUS,
    FAST,
    fragment_constants,
    functions_at_risk,
    graded,
    points_by_function,
    submission_with,
)

from grader.assignments import load_assignment
from grader.grading import GradeOptions
from grader.sandbox.launcher import bubblewrap_works

ATTACKS = sorted((CORPUS / "adversarial").glob("*.py"))
PLAIN_SAFE = [path for path in ATTACKS if path.stem not in ("reads_reference", "network_access")]
# Attacks that spin until the per-call timeout stops them: any timeout shows that it does,
# and a short one keeps them from burning a core for long (the calls they reach are tiny).
SPINS, SPIN_TIMEOUT = {"loop_in_function", "import_infinite_loop"}, 1.0


def acts_on_import(statement: ast.stmt) -> bool:
    """Anything but a definition, an import, a docstring or the EXPECT constant."""
    if isinstance(statement, ast.FunctionDef | ast.ClassDef | ast.Import | ast.ImportFrom):
        return False
    if isinstance(statement, ast.Expr):
        return not isinstance(statement.value, ast.Constant)
    if isinstance(statement, ast.Assign):
        return [ast.unparse(target) for target in statement.targets] != ["EXPECT"]
    return True


def graded_where_it_acts(attack: Path, directory: Path, options: GradeOptions = FAST):
    """An attack made of definitions alone can only change the functions that reach them:
    it is graded on those. One that acts when its module is imported, on every function."""
    submission = submission_with(attack, directory)
    if attack.stem in SPINS:
        options = replace(options, timeout=SPIN_TIMEOUT)
    if not any(acts_on_import(statement) for statement in ast.parse(attack.read_text()).body):
        (spec,) = load_assignment("layers")
        options = replace(options, only=functions_at_risk(spec, submission, attack))
    return graded(submission, options)


def check_expectations(report, expect: dict) -> None:
    totals = points_by_function(report)
    if expect.get("all_zero"):
        assert report.score == 0
        return
    lose = set(expect.get("lose", []))
    may_lose = set(expect.get("may_lose", []))
    for function in lose:
        score, maximum = totals[function]
        assert score < maximum, f"{function} should lose points"
    spared = {
        function: points
        for function, points in totals.items()
        if function not in lose | may_lose and points[0] < points[1]
    }
    assert not spared, f"functions that should keep full marks lost points: {spared}"


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda p: p.stem)
def test_attack_is_contained(attack: Path, tmp_path: Path) -> None:
    expect = fragment_constants(attack)["EXPECT"]
    for path in expect.get("no_files", []):
        Path(path).unlink(missing_ok=True)
    report = graded_where_it_acts(attack, tmp_path / "submission")
    check_expectations(report, expect)
    for path in expect.get("no_files", []):
        assert not Path(path).exists(), f"{attack.stem} executed code in the grader: {path}"
    if expect.get("all_zero"):
        assert all(r.feedback for r in report.results)


@pytest.mark.parametrize("attack", PLAIN_SAFE, ids=lambda p: p.stem)
def test_attack_is_contained_without_bubblewrap(attack: Path, tmp_path: Path) -> None:
    expect = fragment_constants(attack)["EXPECT"]
    options = GradeOptions(timeout=5.0, memory_bytes=3 * 2**30)
    env = {"GRADER_NO_BWRAP": "1"}
    previous = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    from grader.sandbox import launcher

    launcher.bubblewrap_refusal.cache_clear()
    try:
        report = graded_where_it_acts(attack, tmp_path / "submission", options)
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        launcher.bubblewrap_refusal.cache_clear()
    assert "WEAKER" in report.isolation
    check_expectations(report, expect)


def test_nothing_started_by_a_submission_survives(tmp_path: Path) -> None:
    attack = CORPUS / "adversarial" / "background_process.py"
    graded(submission_with(attack, tmp_path / "submission"), GradeOptions(timeout=4.0, seed=1))
    # the same attack may be running in a test beside this one: its `sleep` ends with its
    # grading, while a survivor of this grading would stay for 1000 s
    deadline = time.monotonic() + 60
    while (left := running("sleep 1000")) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not left


def running(command: str) -> str:
    return subprocess.run(["pgrep", "-f", command], capture_output=True, text=True).stdout


def test_forged_results_do_not_replace_the_graders(tmp_path: Path) -> None:
    attack = CORPUS / "adversarial" / "forge_results.py"
    submission = submission_with(attack, tmp_path / "submission")
    out = tmp_path / "results.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "grader",
            "grade",
            "layers",
            str(submission),
            "--format",
            "json",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "GRADER_OUT": str(out)},
        timeout=300,
    )
    assert result.returncode == 0
    data = json.loads(out.read_text())
    assert "FORGED_BY_STUDENT" not in out.read_text()
    assert data["score"] == data["extra_data"]["max_score"]


@pytest.mark.skipif(not bubblewrap_works(), reason="bubblewrap unavailable")
def test_isolation_is_stated_in_the_report(reference_report) -> None:
    assert reference_report.isolation.startswith("bubblewrap sandbox: no network")
