"""A submission packed to travel to another machine: a cluster worker needs no shared file
system, and grades from its unpacked copy exactly what a local grading would read.

A parcel is a tar of the class folder's entry (a file, or a folder with what
`submission.load_submission` reads of it): junk and links are left out (never read),
modification times travel to the nanosecond (they choose between two definitions), and a
data file too large to be copied (`submission.MAX_FILE_BYTES`) travels as its size only,
so the worker leaves it out with the same note.
"""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path, PurePosixPath

from grader.submission import MAX_FILE_BYTES, SOURCE_SUFFIXES, is_kept

MTIME = "grader.mtime_ns"
SIZE_ONLY = "grader.size_only"


class ParcelError(ValueError):
    """A parcel that this module did not write (unsafe path or kind of member)."""


def _members(entry: Path) -> list[tuple[Path, str]]:
    """(file, name in the parcel) for what a local grading could read of `entry`."""
    if not entry.is_dir():
        return [(entry, entry.name)]
    found = []
    for path in sorted(entry.rglob("*")):
        relative = PurePosixPath(path.relative_to(entry).as_posix())
        if not path.is_symlink() and path.is_file() and is_kept(relative):
            found.append((path, f"{entry.name}/{relative}"))
    return found


def _travels_as_size(path: Path, size: int) -> bool:
    """A data file `load_submission` leaves out: its size is all the worker needs."""
    return size > MAX_FILE_BYTES and path.suffix not in SOURCE_SUFFIXES


def pack(entry: Path) -> bytes:
    """The parcel of one class-folder entry (a folder, .zip, .py or .ipynb)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for path, name in _members(entry):
            status = path.stat()
            info = tarfile.TarInfo(name)
            info.mtime = status.st_mtime_ns // 10**9
            info.pax_headers = {MTIME: str(status.st_mtime_ns)}
            if _travels_as_size(path, status.st_size):
                info.pax_headers[SIZE_ONLY] = str(status.st_size)
                archive.addfile(info)
                continue
            info.size = status.st_size
            with path.open("rb") as handle:
                archive.addfile(info, handle)
    return buffer.getvalue()


def unpack(parcel: bytes, scratch: Path) -> Path:
    """Write the parcel's entry into the empty folder `scratch`; returns the entry's path."""
    names = set()
    with tarfile.open(fileobj=io.BytesIO(parcel), mode="r") as archive:
        for info in archive:
            relative = PurePosixPath(info.name)
            if not info.isfile() or relative.is_absolute() or ".." in relative.parts:
                raise ParcelError(f"unexpected member in a submission parcel: {info.name}")
            target = scratch.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as handle:
                if SIZE_ONLY in info.pax_headers:
                    handle.truncate(int(info.pax_headers[SIZE_ONLY]))
                else:
                    handle.write(archive.extractfile(info).read())
            mtime = int(info.pax_headers[MTIME])
            os.utime(target, ns=(mtime, mtime))
            names.add(relative.parts[0])
    if len(names) != 1:
        raise ParcelError(f"a submission parcel holds {len(names)} entries, not one")
    return scratch / names.pop()
