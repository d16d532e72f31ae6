"""The engine as a wheel for a student kit, built from the installed `grader` package.

Written directly (a wheel is a zip with a dist-info folder) so that it works from any
install, offline, and byte for byte the same each time: the `grader` package only, never
the course pack, and without torch, which only the `gpu` kit asks for.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import zipfile
from pathlib import Path

from packaging.requirements import Requirement

import grader

DISTRIBUTION = "dl-autograder"
OPTIONAL = {"torch"}  # the `gpu` extra; also where an install older than the extra lists it
TIMESTAMP = (2020, 1, 1, 0, 0, 0)


def requirements() -> list[str]:
    """The engine's own dependencies (no extras, nothing optional)."""
    listed = importlib.metadata.requires(DISTRIBUTION) or []
    kept = []
    for line in listed:
        requirement = Requirement(line)
        if requirement.marker is None and requirement.name.lower() not in OPTIONAL:
            kept.append(str(requirement))
    return kept


def _digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _files() -> dict[str, bytes]:
    package = Path(grader.__file__).resolve().parent
    return {
        str(Path("grader") / path.relative_to(package)): path.read_bytes()
        for path in sorted(package.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


def _metadata(version: str) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {DISTRIBUTION}",
        f"Version: {version}",
        "Summary: The grader's engine: checks your course work against the public checks.",
        "Requires-Python: >=3.10",
        *(f"Requires-Dist: {requirement}" for requirement in requirements()),
    ]
    return "\n".join(lines) + "\n"


def build_wheel(directory: Path) -> Path:
    """Write the engine wheel into `directory`; returns its path."""
    version = grader.__version__
    name = DISTRIBUTION.replace("-", "_")
    dist_info = f"{name}-{version}.dist-info"
    files = _files()
    files[f"{dist_info}/METADATA"] = _metadata(version).encode()
    files[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: grader.wheel\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    files[f"{dist_info}/entry_points.txt"] = b"[console_scripts]\ngrader = grader.cli:main\n"
    record = [f"{path},{_digest(data)},{len(data)}" for path, data in files.items()]
    files[f"{dist_info}/RECORD"] = ("\n".join([*record, f"{dist_info}/RECORD,,"]) + "\n").encode()
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            info = zipfile.ZipInfo(path, TIMESTAMP)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return target
