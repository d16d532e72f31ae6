"""Who an entry of an LMS bulk download belongs to, read from its name (pure functions).

Canvas names each file `login_userid_attachmentid_original` (`doejane_1001_5001_layers.py`,
`doejane_late_1001_5001_layers.py` for late work); Moodle prefixes a participant's folder or
files with `Full Name_participantid_assignsubmission_plugin_`; a Gradescope export holds
`submission_<id>/` folders and a `submission_metadata.yml` saying whose each one is. A name
that is none of these is not an LMS name: the caller keeps its own rule (the stem is the
student id). Nothing here touches the file system.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

CANVAS, MOODLE, GRADESCOPE = "canvas", "moodle", "gradescope"
GRADESCOPE_METADATA = "submission_metadata.yml"

_CANVAS = re.compile(
    r"(?P<login>[a-z0-9-]+?)(?P<late>_late)?_(?P<user>\d+)_(?P<attachment>\d+)_(?P<original>.+)",
    re.IGNORECASE,
)
_MOODLE = re.compile(
    r"(?P<name>.+?)_(?P<participant>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<original>.*)"
)
_GRADESCOPE = re.compile(r"submission_(?P<submission>\d+)")


@dataclass(frozen=True)
class LmsIdentity:
    """A student as the LMS knows them, and what the LMS said about the submission."""

    lms: str  # CANVAS, MOODLE or GRADESCOPE
    lms_id: str  # Canvas user id, Moodle participant id, Gradescope sid (else email)
    name: str = ""  # Canvas's login-like name, Moodle's and Gradescope's full name
    email: str = ""
    late: bool = False  # the LMS marked the submission late
    submitted_at: datetime | None = None  # when the LMS says it was submitted
    original: str = ""  # the file's name as handed in; "" for a folder taken as it is


def parse_download_name(name: str) -> LmsIdentity | None:
    """The identity a Canvas or Moodle download name carries; None for any other name
    (a Gradescope `submission_<id>` folder needs its export's metadata:
    `gradescope_submitters`)."""
    if match := _MOODLE.fullmatch(name):
        return LmsIdentity(MOODLE, match["participant"], match["name"], original=match["original"])
    if match := _CANVAS.fullmatch(name):
        original = match["original"]
        if "." not in original.strip(
            "."
        ):  # a Canvas file keeps its suffix; a folder is no download
            return None
        return LmsIdentity(
            CANVAS, match["user"], match["login"], late=bool(match["late"]), original=original
        )
    return None


def _timestamp(value: object) -> datetime | None:
    """Gradescope writes `2026-12-01 22:10:05.123456000 -05:00`: YAML may already have made it
    a datetime; else its text, nanoseconds cut to what datetime holds."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = re.sub(r"(\.\d{6})\d+", r"\1", value.strip())
    text = re.sub(r"\s+([+-]\d{2}:?\d{2}|Z)$", r"\1", text)
    return datetime.fromisoformat(text)


def _field(record: dict, key: str) -> object:
    """Gradescope's YAML comes from Ruby: keys are symbols (`:sid`), sometimes plain."""
    return record.get(f":{key}", record.get(key))


def gradescope_submitters(metadata: dict) -> dict[str, tuple[LmsIdentity, ...]]:
    """Folder name -> its submitters, from a Gradescope export's parsed
    `submission_metadata.yml`; a student's id is the sid, else the email."""
    folders = {}
    for folder, record in sorted(metadata.items()):
        if not _GRADESCOPE.fullmatch(str(folder)) or not isinstance(record, dict):
            continue
        submitted_at = _timestamp(_field(record, "created_at"))
        people = []
        for person in _field(record, "submitters") or ():
            sid = str(_field(person, "sid") or "").strip()
            email = str(_field(person, "email") or "").strip()
            if sid or email:
                name = str(_field(person, "name") or "")
                people.append(
                    LmsIdentity(GRADESCOPE, sid or email, name, email, submitted_at=submitted_at)
                )
        folders[str(folder)] = tuple(people)
    return folders
