"""Applying edits to a text, and choosing fixes that can be applied together: pure functions
of texts and :mod:`~xanoctl.lint.fixes` edits, for ``xanoctl lint --fix`` and an editor alike.

>>> from xanoctl.lint.fixes import Edit
>>> apply_edits("var $a { value = $r.people }\\n", [Edit(1, 18, 1, 27, "$r.data.people")])
'var $a { value = $r.data.people }\\n'
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Hashable, Iterable, NamedTuple, Sequence

from xanoctl.lint.fixes import Edit, Fix


class OverlapError(ValueError):
    """Two edits of one text cover the same characters (or insert at the same place)."""


class Change(NamedTuple):
    """An edit as offsets into the text it applies to: ``text[start:end]`` becomes ``new``."""

    start: int
    end: int
    new: str


def line_starts(text: str) -> list[int]:
    """The offset where each line starts (lines end with ``\\n``; a byte-order mark is not a
    column of the first line, as the parser counts)."""
    starts = [1 if text.startswith("\ufeff") else 0]
    find = text.find
    at = find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = find("\n", at + 1)
    return starts


def offset(text: str, starts: list[int], line: int, column: int) -> int:
    """The offset of ``line:column`` (1-based, in characters): a line past the last is the end
    of the text, a column past the end of its line (``\\r`` aside) is that end."""
    if line > len(starts):
        return len(text)
    if line < 1:
        return 0
    start = starts[line - 1]
    end = starts[line] - 1 if line < len(starts) else len(text)  # at the "\n", or the end
    if end > start and text[end - 1] == "\r" and line < len(starts):
        end -= 1
    return min(start + max(column, 1) - 1, end)


def position(starts: list[int], at: int) -> tuple[int, int]:
    """The 1-based ``(line, column)`` of an offset."""
    index = bisect_right(starts, at) - 1
    return index + 1, at - starts[index] + 1


def newline(text: str) -> str:
    """The text's line break: ``\\r\\n`` when its first line ends so, else ``\\n``."""
    at = text.find("\n")
    return "\r\n" if at > 0 and text[at - 1] == "\r" else "\n"


def changes(text: str, edits: Iterable[Edit], starts: list[int] | None = None) -> list[Change]:
    """The edits as offsets, in order, identical ones once; line breaks of the new texts
    written as the text writes them. Raises :class:`OverlapError`."""
    starts = starts if starts is not None else line_starts(text)
    eol = newline(text)
    found = sorted({Change(offset(text, starts, e.line, e.column), offset(text, starts, e.end_line, e.end_column),
                           e.text.replace("\n", eol) if eol != "\n" and "\n" in e.text else e.text)
                    for e in edits})
    for before, after in zip(found, found[1:]):
        if after.start < before.end or after.start == before.start == before.end == after.end:
            raise OverlapError(f"edits at offsets {before.start} and {after.start} overlap")
    return found


def apply_changes(text: str, found: Sequence[Change]) -> str:
    """``text`` with ``found`` (from :func:`changes`) applied."""
    parts: list[str] = []
    at = 0
    for change in found:
        parts.append(text[at:change.start])
        parts.append(change.new)
        at = change.end
    parts.append(text[at:])
    return "".join(parts)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with every edit applied (their ranges are in ``text``'s coordinates; identical
    edits count once). Raises :class:`OverlapError` when two overlap."""
    return apply_changes(text, changes(text, edits))


def map_back(found: Sequence[Change], at: int, end: bool = False) -> int:
    """The offset in the text before ``found`` were applied of offset ``at`` after: a place
    inside new text maps to the start of what it replaced (``end``: to its end)."""
    delta = 0
    for change in found:
        new_start = change.start + delta
        if at < new_start:
            break
        new_end = new_start + len(change.new)
        if at < new_end or (at == new_end and end and at == new_start):
            return change.end if end else change.start
        delta += len(change.new) - (change.end - change.start)
    return at - delta


def _overlaps(a: tuple, b: tuple) -> bool:
    """Whether two ranges ``(start, end)`` of ``(line, column)`` overlap (two insertions at
    one place do; ranges that only touch do not)."""
    if a[0] == a[1] == b[0] == b[1]:
        return True
    return a[0] < b[1] and b[0] < a[1]


def choose(fixes: Iterable[tuple[Hashable, Fix, str]]) -> tuple[list[Hashable], list[Hashable]]:
    """Which fixes can be applied together: ``fixes`` are ``(key, fix, path of its finding)``
    in the order to prefer. A fix is taken when none of its edits overlaps an edit taken
    already (an identical edit is shared, not an overlap); the others are left, for a next
    pass over the fixed text. Returns (keys taken, keys left)."""
    taken: list[Hashable] = []
    left: list[Hashable] = []
    chosen: dict[str, list[tuple[tuple, tuple, str]]] = {}
    for key, fix, own in fixes:
        wanted = [(edit.path or own, ((edit.line, edit.column), (edit.end_line, edit.end_column)), edit.text)
                  for edit in fix.edits]
        clash = False
        for path, where, text in wanted:
            for other in chosen.get(path, ()):
                if (other[0], other[1]) == where and other[2] == text:
                    continue
                if _overlaps(where, (other[0], other[1])):
                    clash = True
                    break
            if clash:
                break
        if clash:
            left.append(key)
            continue
        taken.append(key)
        for path, where, text in wanted:
            chosen.setdefault(path, []).append((where[0], where[1], text))
    return taken, left


def utf16_position(lines: Sequence[str], line: int, column: int) -> tuple[int, int]:
    """An editor's position (Language Server Protocol: 0-based line, column in UTF-16 code
    units) of a 1-based ``line:column`` in characters; ``lines`` without their line breaks."""
    if line > len(lines):
        return len(lines), 0
    text = lines[line - 1][:max(column, 1) - 1]
    units = len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
    return line - 1, units
