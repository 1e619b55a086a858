"""Positions: the linter's (1-based lines and columns counted in characters, the end
exclusive) and the protocol's (0-based lines, columns in UTF-16 code units)."""

from __future__ import annotations

from typing import Sequence

from lsprotocol import types

from xanoctl.lint.apply_fixes import utf16_position


def split(text: str) -> list[str]:
    """A text's lines as the linter counts them: split at ``\\n``, a trailing ``\\r`` dropped,
    a byte-order mark no column of the first."""
    lines = text.split("\n")
    if lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def position(lines: Sequence[str], line: int, column: int) -> types.Position:
    """The protocol's position of ``line:column`` (1-based, characters; as
    :func:`~xanoctl.lint.apply_fixes.utf16_position` converts a fix's edits); past the end of the
    text: its end; past the end of a line: that line's end."""
    if line > len(lines):
        return position(lines, len(lines), len(lines[-1]) + 1) if lines else types.Position(line=0, character=0)
    if line < 1:
        return types.Position(line=0, character=0)
    line, column = line, min(max(column, 1), len(lines[line - 1]) + 1)
    number, units = utf16_position(lines, line, column)
    return types.Position(line=number, character=units)


def span_range(lines: Sequence[str], span: Sequence[int]) -> types.Range:
    """The protocol's range of a span ``(line, column, end_line, end_column)``."""
    return types.Range(start=position(lines, span[0], span[1]), end=position(lines, span[2], span[3]))


def location(lines: Sequence[str], line: int, character: int) -> tuple[int, int]:
    """The 1-based ``(line, column)`` in characters of a protocol position."""
    if line >= len(lines):
        return (len(lines), len(lines[-1]) + 1) if lines else (1, 1)
    text = lines[max(line, 0)]
    units = 0
    for index, ch in enumerate(text):
        if units >= character:
            return line + 1, index + 1
        units += 2 if ord(ch) > 0xFFFF else 1
    return line + 1, len(text) + 1


def contains(span: Sequence[int], line: int, column: int) -> bool:
    """Whether ``line:column`` (1-based) stands within ``span``, its end included (a cursor
    just after a name is on it)."""
    return (span[0], span[1]) <= (line, column) <= (span[2], span[3])
