"""The student kit: everything a student needs to run the public checks, and nothing of the
course pack. `grader check` from a kit gives, check by check, the verdicts and feedback of
the instructor's public grading, on every submission of the corpus."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from conftest import (
    CORPORA,
    ROOT,
    kit_replay,
    submission_with,
    verdicts,
)

from grader import course
from grader.assignments import load_assignment
from grader.checks.recording import ReferenceSource, Tape
from grader.grading import NOT_IN_KIT, GradeOptions, grade
from grader.kit import KIT_FILE, load_kit
from grader.report import json_report
from grader.sandbox import codec
from grader.starter import BEGIN, END, reference_submission, starter_submission

KIT_ASSIGNMENTS = ["layers", "optimizers", "initializers", "gpu"]
OPTIONS = GradeOptions(public_only=True, timeout=5.0)
DISTINCTIVE = 25  # characters: shorter lines (`return out, cache`) prove nothing


def _engine_and_stub_lines() -> set[str]:
    texts = [path.read_text() for path in (ROOT / "grader").rglob("*.py")]
    texts += [path.read_text() for path in (ROOT / "assignments").rglob("*.py")]
    return {line.strip() for text in texts for line in text.splitlines()}


def solution_lines() -> set[str]:
    """Distinctive lines of the reference solutions and of every mistake variant."""
    common = _engine_and_stub_lines()
    found: set[str] = set()
    for path in course.reference_dir().glob("*.py"):
        inside = False
        for line in path.read_text().splitlines():
            if line.strip() in (BEGIN, END):
                inside = line.strip() == BEGIN
            elif inside:
                found.add(line.strip())
    for path in (course.reference_dir() / "mistakes").glob("*.py"):
        found.update(line.strip() for line in path.read_text().splitlines())
    return {line for line in found if len(line) >= DISTINCTIVE and line not in common}


def strings_in(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in strings_in(key) + strings_in(item)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in strings_in(item)]
    return []


def kit_texts(folder: Path) -> dict[str, str]:
    """Every text a kit holds: its files, the wheel's members, the strings of its data."""
    texts = {}
    for path in folder.rglob("*"):
        if path.suffix == ".whl":
            with zipfile.ZipFile(path) as wheel:
                for name in wheel.namelist():
                    texts[f"{path.name}/{name}"] = wheel.read(name).decode("utf-8", "replace")
        elif path.name == KIT_FILE:
            data = codec.decode(path.read_bytes())
            texts[path.name] = "\n".join(strings_in(data))
        elif path.is_file():
            texts[str(path)] = path.read_text(errors="replace")
    return texts


def leaked(texts: dict[str, str], lines: set[str]) -> list[str]:
    return [f"{name}: {line}" for name, text in texts.items() for line in lines if line in text]


@pytest.mark.parametrize("assignment", [*KIT_ASSIGNMENTS, "cifar"])
def test_the_kit_holds_no_solution_code_or_mistake_variant(
    assignment: str, kits: dict[str, Path]
) -> None:
    lines = solution_lines()
    assert len(lines) > 300  # the scan has something to find
    texts = kit_texts(kits[assignment])
    assert not leaked(texts, lines)
    wheel_names = [name for name in texts if ".whl/" in name]
    assert wheel_names and all(
        name.split(".whl/")[1].startswith(("grader/", "dl_autograder-")) for name in wheel_names
    )
    files = sorted(path.name for path in kits[assignment].iterdir())
    assert {"README.md", "requirements.txt", "wheels", KIT_FILE, "public_checks.json"} <= set(files)


@pytest.mark.parametrize("assignment", [*KIT_ASSIGNMENTS, "cifar"])
def test_only_the_gpu_kit_installs_torch(assignment: str, kits: dict[str, Path]) -> None:
    """torch (the engine's `gpu` extra, `AssignmentSpec.requirements`) is a line of the gpu
    kit's requirements.txt alone; the engine wheel never requires it."""
    lines = (kits[assignment] / "requirements.txt").read_text().splitlines()
    assert [line for line in lines if "torch" in line] == (["torch"] if assignment == "gpu" else [])
    (wheel,) = (kits[assignment] / "wheels").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = [name for name in archive.namelist() if name.endswith(".dist-info/METADATA")]
        requires = [
            line for line in archive.read(metadata).decode().splitlines() if "Requires" in line
        ]
    assert requires and not [line for line in requires if "torch" in line]


def test_the_scan_finds_a_planted_solution(kits: dict[str, Path], tmp_path: Path) -> None:
    planted = tmp_path / "kit"
    planted.mkdir()
    reference = (course.reference_dir() / "layers.py").read_text()
    (planted / "notes.py").write_text(reference)
    assert leaked(kit_texts(planted), solution_lines())


def _array_digests(value: object) -> set[str]:
    if isinstance(value, np.ndarray):
        return {hashlib.sha256(np.ascontiguousarray(value).tobytes()).hexdigest()}
    if isinstance(value, dict):
        return set().union(*(_array_digests(item) for item in value.values()), set())
    if isinstance(value, list | tuple):
        return set().union(*(_array_digests(item) for item in value), set())
    return set()


@pytest.mark.parametrize("assignment", ["layers", "optimizers"])
def test_the_kit_carries_no_input_that_only_hidden_checks_use(
    assignment: str, kits: dict[str, Path], tmp_path: Path
) -> None:
    """Record every check, hidden ones too: inputs drawn only by hidden checks never reach
    the kit (inputs a visible check shows are public by definition)."""
    tape = Tape()
    options = GradeOptions(timeout=5.0)
    grade(assignment, reference_submission(tmp_path), options, ReferenceSource(tape))
    (spec,) = load_assignment(assignment)
    visibility = {
        f"{spec.id}/{function.name}/{index}": check.visibility
        for function in spec.functions
        for index, check in enumerate(function.checks)
    }
    public, hidden = set(), set()
    for scope, answers in tape.answers.items():
        drawn = [answer for key, answer in answers.items() if key.startswith("cases#")]
        digests = _array_digests(drawn)
        (public if visibility[scope] == "visible" else hidden).update(digests)
    hidden_only = hidden - public
    assert hidden_only
    in_kit = _array_digests(codec.decode((kits[assignment] / KIT_FILE).read_bytes()))
    assert not hidden_only & in_kit


def corpus_entries(assignment: str) -> list[str]:
    """The reference, the stubs and correct_alt (a correct module written differently, which
    every bug fragment is appended to). A correct module passes the same checks on the same
    inputs as the reference, so the other correct modules would replay nothing new; the
    bug fragments are replayed by test_bug_corpus, beside their grading."""
    return ["reference", "stubs", "correct_alt"]


def corpus_entry(assignment: str, name: str, directory: Path) -> Path:
    """An entry as a submission folder."""
    if name == "reference":
        return reference_submission(directory / "reference")
    if name == "stubs":
        return starter_submission(assignment, directory / "stubs")
    return CORPORA / assignment / name


@pytest.mark.parametrize(
    ("assignment", "entry"),
    [(assignment, entry) for assignment in KIT_ASSIGNMENTS for entry in corpus_entries(assignment)],
)
def test_grader_check_from_the_kit_agrees_with_public_grading_on_the_corpus(
    assignment: str, entry: str, kits: dict[str, Path], tmp_path: Path
) -> None:
    """Check by check: same points, same verdict, same feedback. The instructor's side is
    `grade --public-only` restricted to the checks a kit runs (a recording source selects
    exactly those, with the live reference)."""
    path = corpus_entry(assignment, entry, tmp_path)
    expected = grade(assignment, path, OPTIONS, ReferenceSource(Tape()))
    got = kit_replay(assignment, path, OPTIONS, kits[assignment])
    assert verdicts(got.results) == verdicts(expected.results)
    if entry == "reference":
        assert expected.score == pytest.approx(sum(r.max_score for r in expected.results))
    if entry == "stubs":
        assert got.score == 0


def test_the_cifar_kit_says_its_checks_run_when_graded(kits: dict[str, Path]) -> None:
    listing = json.loads((kits["cifar"] / "public_checks.json").read_text())
    assert listing and {entry["runs"] for entry in listing} == {"when graded"}
    assert "run when your work is\ngraded" in (kits["cifar"] / "README.md").read_text()


SITE = "import site; print(site.getsitepackages()[0])"
ENGINE_FILES = (
    "import importlib.metadata as m; "
    "print(*(f.locate() for f in m.distribution('dl-autograder').files if f.suffix == '.py'))"
)


def _run(command: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


@pytest.mark.slow
def test_a_fresh_venv_from_the_kit_checks_like_the_instructor(
    kits: dict[str, Path], tmp_path: Path
) -> None:
    """pip install -r requirements.txt in a fresh venv (from another folder: the wheel is
    found beside the file); `import reference` fails there, nothing installed holds solution
    code, and `grader check` run there agrees with the instructor's public grading.

    This test's pip installs into the venv (`--python`) without byte-compiling what it
    installs (the venv's processes cache what they import): what ends up installed is the
    same, at half the CPU."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    kit = kits["layers"]
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-compile"]
    installed = _run([*pip, "-q", "-r", str(kit / "requirements.txt")], tmp_path)
    assert installed.returncode == 0, installed.stderr[-3000:]
    env = {key: value for key, value in os.environ.items() if not key.startswith("GRADER_")}
    env.pop("PYTHONPATH", None)
    probe = _run([str(python), "-c", "import reference"], tmp_path, env)
    assert "No module named 'reference'" in probe.stderr
    site = Path(_run([str(python), "-c", SITE], tmp_path, env).stdout.strip())
    assert not [entry.name for entry in site.iterdir() if entry.name.startswith("reference")]
    listed = _run([str(python), "-c", ENGINE_FILES], tmp_path, env).stdout.split()
    texts = {name: Path(name).read_text(errors="replace") for name in listed}
    assert len(texts) > 50 and not leaked(texts, solution_lines())
    first_bug = sorted((CORPORA / "layers" / "bugs").glob("*/*.py"))[0]
    chosen = submission_with(first_bug, tmp_path / "bug")
    for path in [chosen, CORPORA / "layers" / "correct_alt"]:
        out = tmp_path / f"{path.name}.json"
        ran = _run(
            [
                str(venv / "bin" / "grader"),
                "check",
                "layers",
                str(path),
                "--kit",
                str(kit / KIT_FILE),
                "--format",
                "json",
                "--out",
                str(out),
            ],
            tmp_path,
            env,
        )
        assert ran.returncode == 0, ran.stderr[-3000:]
        theirs = grade("layers", path, OPTIONS)
        got = json.loads(out.read_text())["tests"]
        assert [(t["name"], t["score"], t["output"]) for t in got] == [
            (r.name, r.score, json_report.test_output(r)[0]) for r in theirs.results
        ]
    in_kit = _run([str(venv / "bin" / "grader"), "check", "layers", "."], kit, env)
    assert in_kit.returncode == 0 and "Visible checks: 0/" in in_kit.stdout, in_kit.stderr


def test_a_check_the_kit_cannot_answer_fails_alone_and_says_why(
    kits: dict[str, Path], tmp_path: Path
) -> None:
    kit = load_kit(kits["layers"] / KIT_FILE)
    answers = dict(kit.source.tape.answers)
    scope = "layers/affine_forward/1"
    assert scope in answers
    del answers[scope]
    submission = reference_submission(tmp_path)
    with kit.in_use():
        source = ReferenceSource(Tape(answers=answers), replay=True)
        report = grade("layers", submission, OPTIONS, source)
    failed = [r for r in report.results if not r.passed]
    assert [(r.function, r.kind) for r in failed] == [("affine_forward", "matches_reference")]
    assert failed[0].feedback == NOT_IN_KIT
