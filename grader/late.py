"""The late policy: a due date, a penalty rule, and what a submission time costs.

RULE grammar: `0` (no penalty), or `RATE%/UNIT[,max=CAP%]` with UNIT `day` or `hour`:
RATE percent per started UNIT late (one second late is one started day), at most CAP
percent (and never more than 100). A penalty takes that share of the points earned:
points × (1 − penalty). Times carry their timezone; a naive due date is refused, since
"23:59" means a different moment on the instructor's laptop and on the grading server.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from grader.report.model import Report, after_penalty, format_points

UNITS = {"day": 86400, "hour": 3600}
RULE_HELP = (
    "0 (none), or RATE%/day or RATE%/hour per started day or hour late, optionally capped: "
    "10%/day, 2%/hour, 10%/day,max=50%"
)
_RULE = re.compile(r"(?P<rate>\d+(?:\.\d+)?)%/(?P<unit>day|hour)(?:,max=(?P<cap>\d+(?:\.\d+)?)%)?")


class LatePolicyError(ValueError):
    """A rule or a due date that cannot be read (a usage error)."""


@dataclass(frozen=True)
class PenaltyRule:
    rate: float = 0.0  # percent per started unit
    unit: str = "day"
    cap: float = 100.0  # percent at most

    def __str__(self) -> str:
        if not self.rate:
            return "0"
        cap = f",max={self.cap:g}%" if self.cap < 100 else ""
        return f"{self.rate:g}%/{self.unit}{cap}"

    def percent(self, late_by: timedelta) -> float:
        """The percent taken off for a submission `late_by` after the due date."""
        seconds = late_by.total_seconds()
        if seconds <= 0 or not self.rate:
            return 0.0
        started = math.ceil(seconds / UNITS[self.unit])
        return round(min(started * self.rate, self.cap, 100.0), 6)


NO_PENALTY = PenaltyRule()


def parse_rule(text: str) -> PenaltyRule:
    """`10%/day,max=50%` and the like (see RULE_HELP); anything else is refused."""
    compact = re.sub(r"\s+", "", text).lower()
    if compact in ("0", "0%", "none"):
        return NO_PENALTY
    match = _RULE.fullmatch(compact)
    if match is None:
        raise LatePolicyError(f"late penalty {text!r}: expected {RULE_HELP}")
    cap = float(match["cap"]) if match["cap"] else 100.0
    if float(match["rate"]) > 100 or cap > 100:
        raise LatePolicyError(f"late penalty {text!r}: a percentage above 100")
    return PenaltyRule(float(match["rate"]), match["unit"], cap)


def parse_time(text: str, what: str = "due date") -> datetime:
    """An ISO 8601 time with its timezone (`2026-12-01T23:59-05:00`, `...Z`)."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise LatePolicyError(
            f"{what} {text!r}: expected an ISO 8601 time such as 2026-12-01T23:59-05:00"
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise LatePolicyError(
            f"{what} {text!r} has no timezone: add it, e.g. {text.strip()}-05:00 or {text.strip()}Z"
        )
    return moment


def duration_words(late_by: timedelta) -> str:
    """`1 day 3 h`, `2 h 5 min`, `1 s`: the two largest units, a started second counted."""
    seconds = max(0, math.ceil(late_by.total_seconds()))
    counts = []
    for size, unit in ((86400, "day"), (3600, "h"), (60, "min"), (1, "s")):
        count, seconds = divmod(seconds, size)
        counts.append((count, unit))
    first = next((i for i, (count, _) in enumerate(counts) if count), len(counts) - 1)
    words = [
        f"{count} {unit}{'s' if unit == 'day' and count != 1 else ''}"
        for count, unit in counts[first : first + 2]
        if count
    ]
    return " ".join(words) or "0 s"


@dataclass(frozen=True)
class LateVerdict:
    """What one submission's time costs under a policy (plain data, for a pool process)."""

    submitted_at: str  # ISO 8601, as given or read
    seconds_late: float  # negative or zero: on time
    percent: float  # taken off
    rule: str

    @property
    def note(self) -> str:
        """The words a student reads at the top of the report."""
        late_by = duration_words(timedelta(seconds=self.seconds_late))
        return f"submitted {late_by} late: −{self.percent:g}% (rule {self.rule})"

    def apply(self, points: float) -> float:
        """The score after the penalty."""
        return after_penalty(points, self.percent)

    def explain(self, points: float, max_points: float) -> str:
        """The note with the arithmetic, for a report's notes."""
        before, after = format_points(points), format_points(self.apply(points))
        return f"{self.note}: {before} → {after} of {format_points(max_points)} points"

    def applied(self, report: Report) -> Report:
        """`report` with the penalty taken and said in its notes (unchanged when on time)."""
        if self.seconds_late <= 0:
            return report
        note = self.explain(report.points, report.max_score)
        return replace(report, late_penalty=self.percent, notes=(*report.notes, note))


@dataclass(frozen=True)
class LatePolicy:
    """A class's due date and rule."""

    due: datetime
    rule: PenaltyRule

    def key(self) -> str:
        """What a regrade compares: the same policy keeps the same gradebook rows."""
        return f"due={self.due.isoformat()} rule={self.rule}"

    def verdict(self, submitted_at: datetime) -> LateVerdict:
        late_by = submitted_at - self.due
        return LateVerdict(
            submitted_at.isoformat(),
            late_by.total_seconds(),
            self.rule.percent(late_by),
            str(self.rule),
        )


def gradescope_verdict(metadata: dict, rule: PenaltyRule) -> LateVerdict | None:
    """The verdict for the submission Gradescope's `submission_metadata.json` describes:
    `created_at` against the latest due date of its submitters (an extension is theirs),
    else the assignment's; None when it names no due date."""
    dues = [
        user.get("assignment", {}).get("due_date")
        for user in metadata.get("users") or ()
        if isinstance(user, dict)
    ]
    dues = [due for due in dues if due] or [metadata.get("assignment", {}).get("due_date")]
    if not dues[0] or not metadata.get("created_at"):
        return None
    due = max(parse_time(due, "Gradescope due date") for due in dues)
    return LatePolicy(due, rule).verdict(
        parse_time(metadata["created_at"], "Gradescope created_at")
    )
