"""Which of the student's pieces breaks a network: re-run it with each piece alone taken
from the student (the rest from the reference), then confirm a single suspect by putting
the reference piece in its place."""

from __future__ import annotations

from collections.abc import Callable

from grader.checks.implementations import Implementation
from grader.checks.network import Piece, Pieces


def named(piece: Piece) -> str:
    return "/".join(piece)


def find_suspects(
    pieces: tuple[Piece, ...],
    student: Implementation,
    reference: Implementation,
    works: Callable[[Pieces], bool],
    goal: str,
) -> str:
    """A paragraph naming the suspect piece(s); `goal` says what `works` means ("overfits")."""
    alone = [p for p in pieces if not works(Pieces(student, reference, frozenset({p})))]
    if not alone:
        return (
            f"Each of your pieces, used alone with the reference for the rest, {goal}; only "
            "their combination does not: look at what your pieces assume about each other "
            "(shapes, what a forward leaves in its cache, which config keys are kept)."
        )
    if len(alone) > 1:
        listed = ", ".join(named(p) for p in alone)
        return (
            f"Suspects: {listed}. Each of these, used alone with the reference for "
            f"everything else, still fails: the network no longer {goal}."
        )
    (suspect,) = alone
    fixed = works(Pieces(student, reference, frozenset(pieces) - {suspect}))
    confirmation = (
        f"with the reference {named(suspect)} in place of yours, your network {goal}"
        if fixed
        else "but replacing it by the reference is not enough, so another piece contributes"
    )
    return (
        f"Suspect: {named(suspect)}. With your {named(suspect)} and the reference for "
        f"everything else the network fails as well; {confirmation}. Check {named(suspect)}."
    )
