"""How far a long command got (grading a class, validating, grading every assignment), on
stderr, so that stdout keeps only what the command returns: a live bar on a terminal, one
plain line per step where there is none (a CI log shows each step as it ends)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

Advance = Callable[[str], None]  # called once per finished step, with what it was


@contextlib.contextmanager
def progress(total: int, title: str, console: Console | None = None) -> Iterator[Advance]:
    """Yields `advance(step)`: a rich progress bar when `console` (default stderr) is a
    terminal, else a line `title [done/total] step (elapsed)` per step."""
    console = console or Console(stderr=True)
    if console.is_terminal:
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task(title, total=total)
            yield lambda step: bar.update(task, advance=1, description=f"{title}: {step}")
        return
    began, done = time.monotonic(), 0

    def advance(step: str) -> None:
        nonlocal done
        done += 1
        elapsed = time.monotonic() - began
        console.print(
            f"{title} [{done}/{total}] {step} ({elapsed:.0f} s)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )

    yield advance
