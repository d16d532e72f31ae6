"""Student starter code, generated from the reference: solution blocks become stubs.

In `reference/<module>.py`, everything between `# BEGIN SOLUTION` and `# END SOLUTION`
(marker lines included) is replaced by a `raise NotImplementedError`, indented like the
markers. A block at column 0 (a private helper) disappears. Run
`python -m grader.starter` to regenerate `assignments/`; a test fails when they drift.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from grader import course
from grader.assignments import load_assignment

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
_DEF = re.compile(r"^\s*(?:async\s+)?def\s+(\w+)")


def starter_modules() -> dict[str, tuple[str, ...]]:
    """Assignment id -> the student modules it grades (the cifar assignment reuses the
    layers, optimizers and initializers modules)."""
    return {spec.id: spec.modules for spec in load_assignment("all")}


class MarkerError(ValueError):
    """Unbalanced solution markers in a reference file."""


def make_stub(source: str) -> str:
    lines, inside, function = [], False, None
    for number, line in enumerate(source.splitlines(keepends=True), 1):
        stripped = line.strip()
        if match := _DEF.match(line):
            function = match.group(1)
        if stripped == BEGIN:
            if inside:
                raise MarkerError(f"line {number}: nested {BEGIN}")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            if indent:
                lines.append(f'{indent}raise NotImplementedError("{function}")\n')
        elif stripped == END:
            if not inside:
                raise MarkerError(f"line {number}: {END} without {BEGIN}")
            inside = False
        elif not inside:
            lines.append(line)
    if inside:
        raise MarkerError(f"{BEGIN} never closed")
    return re.sub(r"\n{3,}(?=\S)", "\n\n\n", "".join(lines))


def stub_path(assignment: str, module: str) -> Path:
    """Where a module's stub lives: under the first assignment that ships the module (the
    cifar assignment reuses the layers, optimizers and initializers stubs)."""
    owner = next(name for name, modules in starter_modules().items() if module in modules)
    return course.course_root() / "assignments" / owner / f"{module}.py"


def expected_stubs() -> dict[Path, str]:
    return {
        stub_path(assignment, module): make_stub(
            (course.reference_dir() / f"{module}.py").read_text(encoding="utf-8")
        )
        for assignment, modules in starter_modules().items()
        for module in modules
    }


def starter_submission(assignment: str, directory: Path) -> Path:
    """The untouched stubs of an assignment, as a student would first hand them in."""
    directory.mkdir(parents=True, exist_ok=True)
    for module in starter_modules()[assignment]:
        shutil.copyfile(stub_path(assignment, module), directory / f"{module}.py")
    return directory


def reference_submission(directory: Path) -> Path:
    """A submission made of the reference modules themselves (it must score full marks)."""
    directory.mkdir(parents=True, exist_ok=True)
    for modules in starter_modules().values():
        for module in modules:
            source = course.reference_dir() / f"{module}.py"
            if source.exists():
                shutil.copyfile(source, directory / source.name)
    return directory


def main() -> int:
    for path, text in expected_stubs().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(course.course_root())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
