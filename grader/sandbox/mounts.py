"""What a bubblewrap sandbox shows of the machine: the system and the Python environment that
student code may import from, with the grader's and the course's files cut out.

Each root is bound read-only whole, and everything hidden below it is covered: a hidden folder
by an empty read-only tmpfs, a hidden file by /dev/null (which a read-only bind makes
unopenable; Python's `site` skips such a .pth). Its name may show, nothing of its content.
Covering costs a mount per hidden entry; listing the visible entries instead cost one per
entry, about 300 in a virtual environment: 0.3 s of every worker start, against 10 ms now.

Hidden are every file of the `dl-autograder` distribution (its dist-info, the `grader`
package, the editable install's finder and .pth, the `grader` script), the running engine's
package and checkout, the course pack, and in every site-packages/dist-packages directory any
entry named `reference` and any .pth, .egg-link or editable finder whose text names one of
those places. Without this, `pip install .` put `grader/` (and a stale build could put
`reference/`) where student code imports numpy from.
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import os
import site
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

from grader import course

DISTRIBUTION = "dl-autograder"
SYSTEM_DIRS = ("/usr", "/bin", "/lib", "/lib64", "/lib32", "/sbin", "/etc")
SITE_NAMES = ("site-packages", "dist-packages")
ENGINE_PACKAGE = Path(__file__).resolve().parents[1]


def _ours(name: str) -> bool:
    """The distribution's metadata or editable-install files, by name."""
    normalized = name.lower().replace("-", "_")
    return normalized.startswith(("dl_autograder-", "dl_autograder.")) or (
        normalized.startswith("__editable__") and "dl_autograder" in normalized
    )


def _editable_target(distribution: importlib.metadata.Distribution) -> Path | None:
    """The checkout an editable install points to (PEP 610 direct_url.json)."""
    try:
        direct = json.loads(distribution.read_text("direct_url.json") or "{}")
    except ValueError:
        return None
    url = direct.get("url", "")
    if direct.get("dir_info", {}).get("editable") and url.startswith("file://"):
        return Path(unquote(urlparse(url).path)).resolve()
    return None


def _distribution_files(distribution: importlib.metadata.Distribution) -> set[Path]:
    """Its top-level entries in the site directory (the whole `grader/`, the whole dist-info)
    and single files elsewhere (a shared `__pycache__`, the `grader` script in bin/)."""
    base = Path(distribution.locate_file("")).resolve()
    found = set()
    for file in distribution.files or ():
        top = file.parts[0]
        relative = top if top not in ("..", "__pycache__") else str(file)
        found.add(Path(os.path.normpath(base / relative)))
    return found


def places() -> set[Path]:
    """Folders student code must never see, nor find named in a startup file: the engine's
    package and checkout, the course pack, the checkouts of editable installs."""
    found = {ENGINE_PACKAGE}
    if (ENGINE_PACKAGE.parent / "pyproject.toml").is_file():
        found.add(ENGINE_PACKAGE.parent)
    if course.available():
        found.add(course.course_root())
    for distribution in importlib.metadata.distributions(name=DISTRIBUTION):
        target = _editable_target(distribution)
        if target is not None:
            found.add(target)
    return found


def site_dirs() -> set[Path]:
    """Every site-packages/dist-packages directory of this interpreter, its base, and /usr."""
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    found = {Path(entry) for entry in [*site.getsitepackages(), *sys.path]}
    for prefix in [*prefixes, "/usr", "/usr/local"]:
        found.update(Path(prefix).glob("lib*/python3*/*-packages"))
    return {path.resolve() for path in found if path.name in SITE_NAMES and path.is_dir()}


def _names_a_place(path: Path, hidden_places: set[Path]) -> bool:
    startup = path.suffix in (".pth", ".egg-link") or path.name.startswith("__editable__")
    if not startup or not path.is_file():
        return False
    try:
        text = path.read_text(errors="replace")[: 1 << 20]
    except OSError:
        return True
    return any(str(place) in text for place in hidden_places)


def course_copies() -> list[Path]:
    """Entries named like the course package (`reference`) in the site directories: course
    files that a stale build/ folder carried into a `pip install .`."""
    return [
        entry
        for directory in site_dirs()
        for entry in directory.iterdir()
        if entry.name.split(".")[0] == course.PACKAGE
    ]


def hidden_paths() -> set[Path]:
    """Everything a sandbox must not show (absolute paths, as found under their site dirs)."""
    hidden_places = places()
    hidden = hidden_places | set(course_copies())
    for distribution in importlib.metadata.distributions(name=DISTRIBUTION):
        hidden |= _distribution_files(distribution)
    for directory in site_dirs():
        for entry in directory.iterdir():
            if _ours(entry.name) or _names_a_place(entry, hidden_places):
                hidden.add(entry)
    return hidden


def python_roots(hidden: set[Path]) -> list[Path]:
    """The interpreter's prefixes and site directories outside the system directories, none
    inside another. Not arbitrary sys.path entries: a script's folder could be /tmp itself
    or a folder of other students' submissions."""
    candidates = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    paths = {Path(entry).resolve() for entry in candidates} | site_dirs()
    system = [Path(directory) for directory in SYSTEM_DIRS]
    keep = {
        path
        for path in paths
        if path.is_dir()
        and path not in (Path("/"), Path("/tmp"))
        and path not in hidden
        and not any(path.is_relative_to(directory) for directory in system)
    }
    return sorted(path for path in keep if not any(other in path.parents for other in keep))


def view(root: Path, hidden: set[Path]) -> list[str]:
    """bwrap arguments that show `root` read-only with the hidden paths below it covered (a
    hidden root is not shown at all)."""
    if root in hidden:
        return []
    if root.is_symlink():
        return ["--symlink", os.readlink(root), str(root)]
    args = ["--ro-bind", str(root), str(root)]
    below = sorted(path for path in hidden if root in path.parents)
    for path in below:
        if any(other in path.parents for other in below) or path.is_symlink():
            # inside a covered folder already; or a link, whose target is covered, visible
            # by design or outside every root (a mount would land on the target)
            continue
        if path.is_dir():
            args += ["--tmpfs", str(path), "--remount-ro", str(path)]
        elif path.exists():
            args += ["--ro-bind", "/dev/null", str(path)]
    return args


@functools.lru_cache(maxsize=4)
def _filesystem(course_root: str) -> tuple[str, ...]:
    hidden = hidden_paths()
    args: list[str] = []
    for directory in SYSTEM_DIRS:
        if os.path.lexists(directory):
            args += view(Path(directory), hidden)
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for root in python_roots(hidden):
        args += view(root, hidden)
    return tuple(args)


def filesystem_args() -> list[str]:
    """The sandbox's file system (computed once per course pack: listing site directories
    and reading distribution metadata takes longer than starting a worker should)."""
    return list(_filesystem(str(course.course_root()) if course.available() else ""))
