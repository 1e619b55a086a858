"""Unresolved merge conflicts: the markers a three-way merge leaves where both sides changed the
same lines (``xanoctl pull``, :mod:`xanoctl.sync.merge`, or git). The linter reports them as a
syntax error (XS001), wherever they stand, so that they cannot be pushed."""

from __future__ import annotations

CONFLICT_START, CONFLICT_MIDDLE, CONFLICT_END = "<<<<<<<", "=======", ">>>>>>>"


def conflict_marker(text: str) -> int | None:
    """The line (1-based) of the first unresolved conflict: a ``<<<<<<<`` line followed by a
    ``=======`` line and a ``>>>>>>>`` line; None when there is none."""
    if CONFLICT_START not in text:
        return None
    start = middle = None
    for number, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        if line.startswith(CONFLICT_START) and line[len(CONFLICT_START):len(CONFLICT_START) + 1] in ("", " "):
            start, middle = number, None
        elif start is not None and line.rstrip() == CONFLICT_MIDDLE:
            middle = number
        elif middle is not None and line.startswith(CONFLICT_END):
            return start
    return None
