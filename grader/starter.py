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

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
PROJECT_ROOT = Path(__file__).resolve().parents[1]
STARTER_MODULES = {
    "layers": ("layers",),
    "optimizers": ("optim",),
    "initializers": ("initializers",),
    "cifar": ("layers", "optim", "initializers"),
    "gpu": ("gpu",),
}
_DEF = re.compile(r"^\s*(?:async\s+)?def\s+(\w+)")


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
    owner = next(name for name, modules in STARTER_MODULES.items() if module in modules)
    return PROJECT_ROOT / "assignments" / owner / f"{module}.py"


def expected_stubs() -> dict[Path, str]:
    return {
        stub_path(assignment, module): make_stub(
            (PROJECT_ROOT / "reference" / f"{module}.py").read_text(encoding="utf-8")
        )
        for assignment, modules in STARTER_MODULES.items()
        for module in modules
    }


def starter_submission(assignment: str, directory: Path) -> Path:
    """The untouched stubs of an assignment, as a student would first hand them in."""
    directory.mkdir(parents=True, exist_ok=True)
    for module in STARTER_MODULES[assignment]:
        shutil.copyfile(stub_path(assignment, module), directory / f"{module}.py")
    return directory


def reference_submission(directory: Path) -> Path:
    """A submission made of the reference modules themselves (it must score full marks)."""
    directory.mkdir(parents=True, exist_ok=True)
    for modules in STARTER_MODULES.values():
        for module in modules:
            source = PROJECT_ROOT / "reference" / f"{module}.py"
            if source.exists():
                shutil.copyfile(source, directory / source.name)
    return directory


def main() -> int:
    for path, text in expected_stubs().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
