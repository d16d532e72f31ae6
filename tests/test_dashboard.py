"""The class dashboard (summary.html) and the identical-submission listing, from
hand-built gradebook rows: what the page says, that it loads nothing, and that the same
rows give the same bytes."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from grader.batch import Entry, Outcome, content_digest, summary_markdown
from grader.dashboard import duplicate_groups, summary_html
from grader.report.json_report import envelope


def failed(name: str, feedback: str) -> dict:
    return {"name": name, "status": "failed", "output": feedback, "output_format": "text"}


def row(student: str, score: float, tests: list[dict], seconds: float, sha: str = "") -> Outcome:
    durations = {test["name"]: seconds / 2 for test in tests}
    report = json.dumps(envelope(score, "", tests, {"duration_by_check": durations}))
    functions = {"f": (score, 4.0), "g": (0.0, 0.0)}
    return Outcome(
        student, sha or student, "graded", score, 4.0, functions, "", report, "", seconds
    )


SIGN = "f: matches the reference"
ROWS = [
    row("ana", 4.0, [], 1.0),
    row("bob", 1.0, [failed(SIGN, "got -y\nKnown mistake (sign): Negates.")], 3.0),
    row(
        "cem",
        2.0,
        [failed(SIGN, "got -y\nKnown mistake (sign): Negates."), failed("f: b", "no")],
        2.0,
    ),
    row("dee", 0.0, [failed(SIGN, "got 0")], 5.0),
    Outcome("eve", "e", "error", 0.0, 4.0, {}, "broken.zip: not a zip", "{}", ""),
]


class Page(HTMLParser):
    """The page's tables (cell texts by row, per table), tags and resource attributes."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.tags: set[str] = set()
        self.links: list[str] = []
        self.cell: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.add(tag)
        self.links += [value for key, value in attrs if key in ("src", "href")]
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def test_the_dashboard_says_what_the_class_got_wrong() -> None:
    duplicates = duplicate_groups({"ana": "x", "bob": "y", "cem": "x"})
    page_text = summary_html("layers", ROWS, ["f", "g"], duplicates)
    page = Page(page_text)
    functions, failures, mistakes, slowest, checks = page.tables
    assert functions[1][:4] == ["f", "43.8%", "1", "4"]  # g: no points, still listed
    assert failures[1:] == [
        [SIGN, "3", "got -y\nKnown mistake (sign): Negates."],
        ["f: b", "1", "no"],
    ]
    assert mistakes[1:] == [["sign", "2", SIGN]]
    assert [cells[0] for cells in slowest[1:]] == ["dee", "bob", "cem", "ana"]
    assert checks[1] == [SIGN, "1.5 s"]  # the median over bob, cem, dee
    assert "ana, cem" in page_text and "5 students (error 1, graded 4)" in page_text
    assert "svg" in page.tags and "script" not in page.tags and page.links == []
    assert summary_html("layers", ROWS[::-1], ["f", "g"], duplicates) == page_text


def test_identical_submissions_are_listed_whatever_their_names(tmp_path: Path) -> None:
    """Two single files with the same bytes under different names (an LMS download names
    each after its student), and two folders with the same hash."""
    for name, text in (("ana.py", "x = 1\n"), ("bob.py", "x = 1\n"), ("cem.py", "x = 2\n")):
        (tmp_path / name).write_text(text)
    entries = [
        Entry(path.stem, (path,), f"hash-of-{path.name}") for path in sorted(tmp_path.iterdir())
    ]
    entries += [
        Entry("dee", (tmp_path / "dee",), "same"),
        Entry("eli", (tmp_path / "eli",), "same"),
    ]
    groups = duplicate_groups({entry.student: content_digest(entry) for entry in entries})
    assert groups == [("ana", "bob"), ("dee", "eli")]
    summary = summary_markdown("layers", ROWS, groups)
    assert summary.endswith("## Identical submissions\n\n- ana, bob\n- dee, eli\n")
