"""Regrades that explain themselves: the gradebook keeps every grading of a student (one
per submission and setting), and a regrade is told as the difference between two of them:
the scores, the checks that flipped, and a note to the student in plain words.

A setting is what besides the submission decides a grading: the grader version, the
assignment, the seed, the other options and the course pack (a digest of `reference/`:
solutions, mistake variants, specs, data). Reading gradings as plain data, this module
never touches student code.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import astuple, dataclass

from grader import course
from grader.classbook import CRASHED, GRADED
from grader.report.mdsyntax import cell, quoted_text
from grader.report.model import format_points
from grader.submission import is_kept, tree_digest

DOWN, UP, CHECKS_ONLY, UNCHANGED = "down", "up", "checks only", "unchanged"
UNRECORDED = "unrecorded"  # the course pack of a row written before it was keyed


class RegradeError(ValueError):
    """The gradebook cannot answer the question asked (a usage error)."""


def course_digest() -> str:
    """The course pack as gradings depend on it: every file of `reference/` but caches."""
    return tree_digest(course.reference_dir(), keep=is_kept)


@dataclass(frozen=True)
class Setting:
    grader_version: str
    assignment: str
    seed: int
    options: str  # the other options, as JSON (`batch.options_key`)
    course: str  # `course_digest()`, or "" for a row recorded before the course was keyed

    @property
    def id(self) -> str:
        """A short name for the setting, stable across runs (listed in every diff)."""
        return hashlib.sha256(json.dumps(astuple(self)).encode()).hexdigest()[:8]

    def option_values(self) -> dict[str, object]:
        return {"seed": self.seed, **json.loads(self.options)}


@dataclass(frozen=True)
class Verdict:
    """One check of a grading, as its results.json test records it."""

    name: str
    score: float
    max_score: float
    passed: bool
    feedback: str
    visibility: str


@dataclass(frozen=True)
class Grading:
    """One gradebook row, with the setting it was graded under."""

    student: str
    sha256: str
    setting: Setting
    status: str
    score: float
    max_score: float
    message: str
    report_json: str

    @property
    def graded(self) -> bool:
        return self.status == GRADED

    @property
    def shown_score(self) -> float | None:
        """The score, or None when the entry could not be graded (an error row)."""
        return self.score if self.graded else None

    def verdicts(self) -> dict[str, Verdict]:
        tests = json.loads(self.report_json).get("tests", [])
        return {
            test["name"]: Verdict(
                test["name"],
                test["score"],
                test["max_score"],
                test["status"] == "passed",
                quoted_text(test["output"]) if test["output_format"] == "md" else test["output"],
                test["visibility"],
            )
            for test in tests
        }


@dataclass(frozen=True)
class Flip:
    """A check whose points or verdict differ between two gradings (None: not graded in
    that one, a check added or removed)."""

    name: str
    old: Verdict | None
    new: Verdict | None


@dataclass(frozen=True)
class Change:
    student: str
    old: Grading
    new: Grading
    flips: tuple[Flip, ...]

    @property
    def kind(self) -> str:
        old, new = self.old.shown_score, self.new.shown_score
        if old != new:
            worse = new is None or (old is not None and new < old)
            return DOWN if worse else UP
        return CHECKS_ONLY if self.flips else UNCHANGED

    @property
    def delta(self) -> float:
        """New minus old score; an error on either side counts as the whole old or new score."""
        return (self.new.shown_score or 0.0) - (self.old.shown_score or 0.0)


def flips(old: Grading, new: Grading) -> tuple[Flip, ...]:
    """The checks that changed, in the new grading's order, then those it no longer has."""
    if not (old.graded and new.graded):
        return ()
    before, after = old.verdicts(), new.verdicts()
    changed = [
        Flip(name, before.get(name), verdict)
        for name, verdict in after.items()
        if name not in before
        or (before[name].passed, before[name].score) != (verdict.passed, verdict.score)
    ]
    return tuple(changed + [Flip(name, v, None) for name, v in before.items() if name not in after])


def settings_of(history: Sequence[Grading]) -> list[Setting]:
    """The settings of the history, in the order they were first used."""
    return list(dict.fromkeys(grading.setting for grading in history))


def find_setting(history: Sequence[Grading], chosen: str) -> Setting:
    for setting in settings_of(history):
        if setting.id == chosen:
            return setting
    known = ", ".join(setting.id for setting in settings_of(history)) or "none"
    raise RegradeError(f"no setting {chosen} in this gradebook (known: {known})")


def assignment_of(history: Sequence[Grading], assignment: str | None) -> str:
    """The assignment to compare: the one given, or the gradebook's only one."""
    assignments = sorted({grading.setting.assignment for grading in history})
    if assignment is None and len(assignments) == 1:
        return assignments[0]
    if assignment in assignments:
        return assignment
    if assignment is None:
        raise RegradeError(f"this gradebook holds {', '.join(assignments) or 'no gradings'}")
    raise RegradeError(f"no gradings of {assignment} here (found: {', '.join(assignments)})")


def latest(gradings: Sequence[Grading], setting: Setting | None) -> Grading | None:
    matching = [g for g in gradings if setting is None or g.setting == setting]
    return matching[-1] if matching else None


@dataclass(frozen=True)
class Comparison:
    """Every student's pair of gradings compared, and those graded only once."""

    assignment: str
    changes: tuple[Change, ...]
    first_only: tuple[str, ...]
    settings: tuple[Setting, ...]
    chosen: tuple[Setting | None, Setting | None]  # (old, new); None: by recency


def compare(
    history: Sequence[Grading],
    assignment: str | None = None,
    old: str | None = None,
    new: str | None = None,
) -> Comparison:
    """Per student, the grading under setting `new` (default: the latest) against the one
    under `old` (default: the latest other one); `history` oldest first, crashed rows
    (retried, never final) left out."""
    assignment = assignment_of(history, assignment)
    mine = [g for g in history if g.setting.assignment == assignment and g.status != CRASHED]
    old_setting = find_setting(mine, old) if old else None
    new_setting = find_setting(mine, new) if new else None
    by_student: dict[str, list[Grading]] = {}
    for grading in mine:
        by_student.setdefault(grading.student, []).append(grading)
    changes, first_only = [], []
    for student, gradings in sorted(by_student.items()):
        after = latest(gradings, new_setting)
        if after is None:
            continue
        before = latest([g for g in gradings if g is not after], old_setting)
        if before is None:
            first_only.append(student)
        else:
            changes.append(Change(student, before, after, flips(before, after)))
    chosen = (old_setting, new_setting)
    return Comparison(
        assignment, tuple(changes), tuple(first_only), tuple(settings_of(mine)), chosen
    )


# --- words: for the instructor (regrade.md, `grader diff`) and for each student ---


def score_text(grading: Grading) -> str:
    score = grading.shown_score
    return grading.status if score is None else format_points(score)


def option_changes(old: Setting, new: Setting) -> list[str]:
    """What differs between two settings, each as `what: old → new`."""
    said = []
    if old.grader_version != new.grader_version:
        said.append(f"grader {old.grader_version} → {new.grader_version}")
    if old.course != new.course:
        said.append(f"course pack {old.course[:8] or UNRECORDED} → {new.course[:8] or UNRECORDED}")
    before, after = old.option_values(), new.option_values()
    for key in sorted(before.keys() | after.keys()):
        if before.get(key) != after.get(key):
            said.append(f"{key} {before.get(key)} → {after.get(key)}")
    return said


def causes(change: Change) -> list[str]:
    """Why the two gradings differ, as the instructor reads it."""
    resubmitted = ["a new submission"] if change.old.sha256 != change.new.sha256 else []
    return resubmitted + option_changes(change.old.setting, change.new.setting)


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def check_words(flip: Flip) -> str:
    """One flipped check as a student reads it; a hidden check is neither named nor quoted."""
    shown = flip.new or flip.old
    hidden = shown.visibility == "hidden"
    function = flip.name.split(":", 1)[0]
    name = f"a hidden check of {function}" if hidden else f"check '{flip.name}'"
    new = flip.new
    reason = "" if hidden or new is None or new.passed else first_line(new.feedback)
    because = f": {reason}" if reason else ""
    if new is None:
        return f"{name} is no longer graded"
    if flip.old is None:
        return f"{name} is new and {'passes' if new.passed else 'fails'}{because}"
    if flip.old.passed != new.passed:
        return f"{name} now {'passes' if new.passed else 'fails'}{because}"
    earned, out_of, was = (format_points(v) for v in (new.score, new.max_score, flip.old.score))
    return f"{name} now earns {earned} of {out_of} points (was {was})"


def student_note(change: Change) -> str:
    """What a student is told about a regrade of their work, in plain words."""
    assignment = change.new.setting.assignment
    resubmitted = change.old.sha256 != change.new.sha256
    if resubmitted and change.old.setting == change.new.setting:
        why = "you handed in a new version"
    elif resubmitted:
        why = "you handed in a new version and the course staff regraded it"
    else:
        why = "the course staff regraded it"
    out_of = f" (out of {format_points(change.new.max_score)})"
    if not change.new.graded:
        return (
            f"Your submission for {assignment} could not be graded this time: "
            f"{first_line(change.new.message)}. It scored {score_text(change.old)} before."
        )
    if not change.old.graded:
        return (
            f"Your submission for {assignment} is now graded: {score_text(change.new)}{out_of}, "
            f"because {why} (before, it could not be graded: {first_line(change.old.message)})."
        )
    if change.kind == CHECKS_ONLY:
        head = f"Your score for {assignment} stays at {score_text(change.new)}{out_of}, but {why}"
    else:
        head = (
            f"Your score for {assignment} changed from {score_text(change.old)} to "
            f"{score_text(change.new)}{out_of} because {why}"
        )
    details = "; ".join(check_words(flip) for flip in change.flips)
    return f"{head}: {details}." if details else f"{head}."


def points_cell(verdict: Verdict | None) -> str:
    return "-" if verdict is None else format_points(verdict.score)


def verdict_cell(verdict: Verdict | None) -> str:
    if verdict is None:
        return "not graded"
    return "passed" if verdict.passed else "failed"


def change_lines(change: Change) -> list[str]:
    sign = "+" if change.delta > 0 else "-"
    delta = f" ({sign}{format_points(abs(change.delta))})" if change.kind in (DOWN, UP) else ""
    lines = [
        f"### {cell(change.student)}: {score_text(change.old)} → {score_text(change.new)}{delta}",
        "",
    ]
    lines += [f"Why: {cell('; '.join(causes(change)) or 'the same setting, graded again')}", ""]
    if change.flips:
        lines += ["| check | points | verdict | feedback now |", "|---|---|---|---|"]
        for flip in change.flips:
            feedback = first_line(flip.new.feedback) if flip.new and not flip.new.passed else ""
            lines.append(
                f"| {cell(flip.name)} | {points_cell(flip.old)} → {points_cell(flip.new)} | "
                f"{verdict_cell(flip.old)} → {verdict_cell(flip.new)} | {cell(feedback)} |"
            )
        lines.append("")
    return lines + [f"> Note to {cell(change.student)}: {cell(student_note(change))}", ""]


def settings_table(comparison: Comparison) -> list[str]:
    """Each setting with what tells it apart: the options that differ between settings."""
    settings = comparison.settings
    values = [setting.option_values() for setting in settings]
    varying = sorted(
        {key for v in values for key in v if any(v.get(key) != w.get(key) for w in values)}
    )
    lines = ["| setting | grader | course pack | options that differ |", "|---|---|---|---|"]
    for setting, value in zip(settings, values, strict=True):
        differ = ", ".join(f"{key}={value.get(key)}" for key in varying)
        lines.append(
            f"| `{setting.id}` | {cell(setting.grader_version)} | "
            f"`{setting.course[:8] or UNRECORDED}` | {cell(differ)} |"
        )
    return lines


def chosen_text(comparison: Comparison) -> str:
    old, new = comparison.chosen
    newer = f"the grading under setting `{new.id}`" if new else "the latest grading"
    older = f"the one under setting `{old.id}`" if old else "the one before it"
    return f"Per student, {newer} against {older}."


SECTIONS = (
    (DOWN, "Score went down"),
    (UP, "Score went up"),
    (CHECKS_ONLY, "Same score, checks changed"),
)


def ordered(changes: Sequence[Change], kind: str) -> list[Change]:
    """Largest change first (an entry that could not be graded first of all), then by name."""
    chosen = [change for change in changes if change.kind == kind]

    def size(change: Change) -> float:
        if change.old.graded and change.new.graded:
            return abs(change.delta)
        return math.inf

    return sorted(chosen, key=lambda change: (-size(change), change.student))


def tally(comparison: Comparison) -> str:
    """How many students changed which way, in one line."""
    counts = [
        f"{title.lower()} {len(ordered(comparison.changes, kind))}"
        for kind, title in (*SECTIONS, (UNCHANGED, "Unchanged"))
    ]
    return ", ".join([*counts, f"graded once {len(comparison.first_only)}"])


def regrade_markdown(comparison: Comparison) -> str:
    """The comparison as regrade.md (and `grader diff`): students whose score went down,
    then up, then those with checks changed at the same score; the rest counted."""
    lines = [f"# Regrade: {comparison.assignment}", "", chosen_text(comparison), ""]
    lines += ["## Settings", "", *settings_table(comparison), ""]
    lines += [f"- {tally(comparison)}", ""]
    for kind, title in SECTIONS:
        changes = ordered(comparison.changes, kind)
        if changes:
            lines += [f"## {title} ({len(changes)})", ""]
            for change in changes:
                lines += change_lines(change)
    unchanged = [change for change in comparison.changes if change.kind == UNCHANGED]
    lines.append(f"Unchanged: {len(unchanged)} students.")
    if comparison.first_only:
        lines.append(f"Graded once (nothing to compare): {len(comparison.first_only)} students.")
    return "\n".join(lines) + "\n"
