"""The Gradescope autograder zip: `setup.sh`, `run_autograder`, the engine's source and the
course pack.

Gradescope extracts the zip into /autograder/source, runs setup.sh once as root to build the
image, and runs /autograder/run_autograder (a copy) for every submission, from /autograder
(https://gradescope-autograders.readthedocs.io/en/latest/specs/). The engine is installed
from the bundled source as a package (its wheel holds `grader` only); the course pack stays
in /autograder/source, readable by root alone, and is named to the grader by $GRADER_COURSE,
never put on PYTHONPATH, which every process started below would inherit.
"""

from __future__ import annotations

import shlex
import zipfile
from collections.abc import Iterator
from pathlib import Path

from grader import course
from grader.assignments import load_assignment
from grader.assignments.spec import AssignmentSpec
from grader.grading import DEFAULT_DEADLINE
from grader.late import NO_PENALTY, PenaltyRule
from grader.release import ReleaseError

ENGINE_ROOT = Path(__file__).resolve().parents[1]
ENGINE_FILES = ("grader", "pyproject.toml", "README.md")
COURSE_FILES = (course.PACKAGE, "assignments")
SCRIPT_MODE = 0o755
# Gradescope has no GPU: a requirement listed here is installed as its CPU build.
CPU_BUILDS = {"torch": "torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu"}

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope image set-up, run once as root. Base image: Ubuntu 22.04 (its python3 is 3.10;
# the grader needs Python >= 3.10). Installs Python, bubblewrap for the sandbox, what the
# assignment needs beyond the engine (the CPU build of torch for gpu), and the engine from
# /autograder/source (the package `grader` only: the course pack is not installed
# anywhere); then makes /autograder/source, which holds the course pack (solutions, hidden
# inputs), readable by root alone.
set -euo pipefail
apt-get update -qq
apt-get install -y -qq python3 python3-pip bubblewrap
python3 -c 'import sys; assert sys.version_info >= (3, 10), "the grader needs Python >= 3.10"'
{requirements}pip3 install -q /autograder/source
chown -R root:root /autograder/source
chmod -R go-rwx /autograder/source
"""
RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope entry point: grade /autograder/submission into /autograder/results/results.json
# with the engine setup.sh installed and the course pack in /autograder/source, named by
# GRADER_COURSE (not PYTHONPATH: student code must not find it on its path).
set -uo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
PYTHON="${{AUTOGRADER_PYTHON:-python3}}"
export GRADER_COURSE="$ROOT/source"
# Gradescope's working folder; `python -m` puts it on sys.path, so never source/.
cd "$ROOT"
mkdir -p results
# An unreadable submission still gets a results.json (score 0, and why); exit 2 is ours.
# --deadline ends the grading, reports written, before Gradescope's own timeout does.
"$PYTHON" -m grader grade {assignment} submission --format json \\
    --deadline {deadline:g} --out results/results.json{late} || true
"""
# Gradescope writes submission_metadata.json beside submission/: created_at, the due dates
LATE_OPTIONS = " \\\n    --late-penalty {rule} --gradescope-metadata submission_metadata.json"


def _files(root: Path, names: tuple[str, ...]) -> Iterator[Path]:
    """The files under `root/name` for each name, without bytecode (built where it ran, and
    written again on the image by whoever imports the module)."""
    for name in names:
        path = root / name
        for file in [path] if path.is_file() else sorted(path.rglob("*")):
            if file.is_file() and file.suffix != ".pyc" and "__pycache__" not in file.parts:
                yield file


def _engine_root() -> Path:
    """The engine's source checkout: setup.sh installs the engine from it, so an engine
    installed from a wheel (no pyproject.toml beside `grader/`) cannot be bundled."""
    if not (ENGINE_ROOT / "pyproject.toml").is_file():
        raise ReleaseError(
            f"{ENGINE_ROOT} is not the engine's source checkout: run `grader bundle` with the "
            "engine installed from its source (pip install -e)"
        )
    return ENGINE_ROOT


def setup_script(specs: list[AssignmentSpec]) -> str:
    """setup.sh, installing the packages these assignments need beyond the engine (none for
    the NumPy ones: no torch)."""
    names = dict.fromkeys(name for spec in specs for name in spec.requirements)
    installs = "".join(f"pip3 install -q {CPU_BUILDS.get(name, name)}\n" for name in names)
    return SETUP_SH.format(requirements=installs)


def run_script(assignment: str, deadline: float, late_penalty: PenaltyRule) -> str:
    """run_autograder, with the late options when there is a penalty to take."""
    rule = str(late_penalty)
    late = LATE_OPTIONS.format(rule=shlex.quote(rule)) if late_penalty.rate else ""
    return RUN_AUTOGRADER.format(assignment=assignment, deadline=deadline, late=late)


def _write_script(archive: zipfile.ZipFile, name: str, text: str) -> None:
    info = zipfile.ZipInfo(name)
    info.external_attr = SCRIPT_MODE << 16
    archive.writestr(info, text)


def bundle(
    assignment: str,
    out: Path,
    deadline: float = DEFAULT_DEADLINE,
    late_penalty: PenaltyRule = NO_PENALTY,
) -> Path:
    """Write the autograder zip for `assignment` to `out`: the scripts, the engine's source
    and the course pack, all at the root of the archive (Gradescope's /autograder/source).
    `deadline`: the seconds each grading may take (keep it below the autograder timeout set
    on Gradescope, 600 s by default); `late_penalty`: the rule run_autograder applies to
    Gradescope's submission time and due date."""
    specs = load_assignment(assignment)
    if out.suffix != ".zip":
        raise ReleaseError(f"{out}: the autograder bundle must be a .zip file")
    engine, pack = _engine_root(), course.course_root()
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        _write_script(archive, "setup.sh", setup_script(specs))
        _write_script(
            archive,
            "run_autograder",
            run_script(assignment, deadline, late_penalty),
        )
        for root, names in ((engine, ENGINE_FILES), (pack, COURSE_FILES)):
            for file in _files(root, names):
                archive.write(file, file.relative_to(root))
    return out
