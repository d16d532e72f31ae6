"""What `grader similarity` writes: `similarity.csv` (every pair, ranked), a one-line-per-pair
summary for the terminal, and `similarity.html`, one self-contained page (inline style, no
script, nothing loaded) with the most similar pairs' matching code side by side.

Student code is only ever shown as escaped text; nothing here depends on the time or on
where the files were, so the same class gives the same bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import numpy as np

from grader.report.html import STYLE
from grader.similarity.compare import Pair, Side, Thresholds, copydetect
from grader.similarity.sources import StudentCode, Unreadable

CONTEXT_LINES = 6  # unmatched lines kept around each match in the side-by-side view
CSV_COLUMNS = (
    "student_a",
    "student_b",
    "score",
    "share_a",
    "share_b",
    "lines_matched_a",
    "lines_matched_b",
    "tokens_matched",
)
SIDES_STYLE = """
.sides { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1em; }
.sides pre { white-space: pre; overflow-x: auto; font-size: 0.85em; }
mark { background: #ffd9a8; }
details.pair { border-top: 1px solid #e4e4e4; padding: 0.15em 0.2em; }
details.pair > summary { cursor: pointer; }
"""


@dataclass(frozen=True)
class Findings:
    """Everything a similarity run found, in the order it is reported."""

    assignment: str
    pairs: list[Pair]  # every pair, ranked
    codes: dict[str, StudentCode]
    unreadable: list[Unreadable]
    starter_only: list[str]  # students with no code of their own beyond the starter code
    thresholds: Thresholds
    top: int

    @property
    def shown(self) -> list[Pair]:
        """The `top` most similar pairs that share any code at all."""
        return [pair for pair in self.pairs if pair.tokens > 0][: self.top]


def percent(share: float) -> str:
    return f"{100 * share:.1f}"


def similarity_csv(pairs: Sequence[Pair]) -> str:
    """Every pair, most similar first; shares in percent of each student's own code."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for pair in pairs:
        writer.writerow(
            [
                pair.first.student,
                pair.second.student,
                percent(pair.score),
                percent(pair.first.share),
                percent(pair.second.share),
                pair.first.lines,
                pair.second.lines,
                pair.tokens,
            ]
        )
    return buffer.getvalue()


def summary_line(rank: int, pair: Pair) -> str:
    """`  1. ana ~ ben  97.4%  (ana 97.4%, 41 lines; ben 88.0%, 40 lines)`"""
    sides = "; ".join(
        f"{side.student} {percent(side.share)}%, {side.lines} lines"
        for side in (pair.first, pair.second)
    )
    students = f"{pair.first.student} ~ {pair.second.student}"
    return f"{rank:3d}. {students}  {percent(pair.score)}%  ({sides})"


def summary_lines(findings: Findings) -> list[str]:
    """The terminal's summary: the pairs shown in the report, then who was left out."""
    lines = [summary_line(rank, pair) for rank, pair in enumerate(findings.shown, 1)]
    if not lines:
        lines.append("no two students share code beyond the starter code")
    if findings.starter_only:
        lines.append(f"nothing beyond the starter code: {', '.join(findings.starter_only)}")
    lines += [f"not compared: {item.student}: {item.reason}" for item in findings.unreadable]
    return lines


def highlighted(code: StudentCode, side: Side) -> str:
    """The student's text, escaped, matches in <mark>, long unmatched stretches cut."""
    slices = np.array(side.spans, dtype=np.int64).reshape(-1, 2).T
    text, _ = copydetect().utils.highlight_overlap(
        code.text, slices, "<mark>", "</mark>", truncate=CONTEXT_LINES, escape_html=True
    )
    return text


def pair_section(rank: int, pair: Pair, codes: dict[str, StudentCode]) -> list[str]:
    lines = [
        f'<details class="pair" id="pair-{rank}"{" open" if rank == 1 else ""}>',
        f"<summary>{rank}. <b>{escape(pair.first.student)}</b> ~ "
        f"<b>{escape(pair.second.student)}</b>: {percent(pair.score)}%</summary>",
        '<div class="sides">',
    ]
    for side in (pair.first, pair.second):
        code = codes[side.student]
        files = ", ".join(code.files)
        lines += [
            "<div>",
            f"<p><b>{escape(side.student)}</b> ({escape(files)}): {percent(side.share)}% of "
            f"their own code, {side.lines} lines</p>",
            f"<pre>{highlighted(code, side)}</pre>",
            "</div>",
        ]
    lines += ["</div>", "</details>"]
    return lines


def ranking_table(shown: Sequence[Pair]) -> list[str]:
    lines = [
        '<div class="scroll"><table>',
        "<thead><tr><th>#</th><th>pair</th><th>score</th><th>share a</th><th>share b</th>"
        "<th>lines a / b</th></tr></thead>",
        "<tbody>",
    ]
    for rank, pair in enumerate(shown, 1):
        a, b = pair.first, pair.second
        lines.append(
            f'<tr><td class="num">{rank}</td><td><a href="#pair-{rank}">{escape(a.student)} ~ '
            f'{escape(b.student)}</a></td><td class="num">{percent(pair.score)}%</td>'
            f'<td class="num">{percent(a.share)}%</td><td class="num">{percent(b.share)}%</td>'
            f'<td class="num">{a.lines} / {b.lines}</td></tr>'
        )
    lines += ["</tbody>", "</table></div>"]
    return lines


def render_html(findings: Findings) -> str:
    """The ranked pairs and, for each, the two students' code with the matches marked."""
    thresholds = findings.thresholds
    title = f"Similarity: {findings.assignment}"
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}{SIDES_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="summary">{len(findings.codes)} students, {len(findings.pairs)} pairs '
        f"compared; the {len(findings.shown)} most similar below.</p>",
        '<p class="meta">Only what students wrote is compared: functions left as stubs are '
        "dropped, the starter code handed out (stubs and starter notebook) is excluded, and "
        "notebooks count by their code cells. "
        "Names, strings, comments and layout are ignored, so renaming or reordering hides "
        "nothing. A student's share is the part of their own code also found in the other's; "
        "a pair's score is the larger share. Noise threshold "
        f"{thresholds.noise}, guarantee threshold {thresholds.guarantee} (copydetect).</p>",
    ]
    if findings.starter_only:
        listed = ", ".join(findings.starter_only)
        lines.append(f"<p>Nothing beyond the starter code: {escape(listed)}</p>")
    if findings.unreadable:
        lines.append("<p>Not compared:</p><ul>")
        lines += [
            f"<li>{escape(item.student)}: {escape(item.reason)}</li>"
            for item in findings.unreadable
        ]
        lines.append("</ul>")
    lines += ranking_table(findings.shown)
    for rank, pair in enumerate(findings.shown, 1):
        lines += pair_section(rank, pair, findings.codes)
    lines += ["</body>", "</html>"]
    return "\n".join(lines) + "\n"
