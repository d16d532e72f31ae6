"""Progress of long commands: a live bar on a terminal, plain lines in a CI log."""

from __future__ import annotations

import io

from rich.console import Console

from grader.progress import progress


def run(terminal: bool) -> str:
    console = Console(file=io.StringIO(), force_terminal=terminal, width=80)
    with progress(2, "grading", console) as advance:
        advance("alice: 3/4")
        advance("bob: error")
    return console.file.getvalue()


def test_without_a_terminal_each_step_is_one_line_as_it_ends() -> None:
    lines = run(terminal=False).splitlines()
    assert [line.rsplit(" (", 1)[0] for line in lines] == [
        "grading [1/2] alice: 3/4",
        "grading [2/2] bob: error",
    ]


def test_on_a_terminal_a_bar_shows_and_goes() -> None:
    shown = run(terminal=True)
    assert "\x1b[" in shown and "[1/2]" not in shown
