"""What a fix is: a title, how safe it is, and the text edits that make it.

One model serves ``xanoctl lint --fix``, the JSON and SARIF reports and an editor's code
actions. An :class:`Edit` replaces a range of a file with new text; its range is a finding's
kind of range: 1-based lines and columns counted in characters (code points) of the line
without its line break, the end exclusive. The end may be the first column of the line after
the range (a whole line, its line break included), and a line past the last stands for the end
of the text. ``apply_fixes`` turns ranges into offsets and applies edits; it also converts them
to an editor's positions (0-based lines, UTF-16 columns).

``safe`` fixes cannot change what working code does (the current form of an older syntax, a
read that is always empty today); ``unsafe`` ones are the rule's best guess (the closest name)
and are applied only when asked (``--unsafe-fixes``).

Rules build fixes with :func:`replace` and :func:`remove_lines`; a rule that fixes says how in
its module's ``FIX`` (applicability, what it does), shown by ``xanoctl rules CODE``.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

SAFE = "safe"
UNSAFE = "unsafe"
APPLICABILITIES = (SAFE, UNSAFE)

Span = tuple[int, int, int, int]


class Edit(NamedTuple):
    """Replace ``line:column`` up to ``end_line:end_column`` (exclusive) with ``text``.
    ``path`` is empty for the file of the finding, else the file's absolute path (a fix that
    edits several files). A line break in ``text`` is written as ``\\n``; a file with CRLF
    line endings gets CRLF."""

    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    path: str = ""

    @property
    def span(self) -> Span:
        return (self.line, self.column, self.end_line, self.end_column)


class Fix(NamedTuple):
    """A finding's fix: ``title`` says what it does ("Read `$r.data.people`"),
    ``applicability`` is ``safe`` or ``unsafe``, ``edits`` are applied together or not at all."""

    title: str
    applicability: str
    edits: tuple[Edit, ...]

    @property
    def safe(self) -> bool:
        return self.applicability == SAFE

    def paths(self, own: str) -> set[str]:
        """The files the fix edits (``own`` standing for the finding's file)."""
        return {edit.path or own for edit in self.edits}


def replace(pos: Span | Sequence[int], text: str, title: str, applicability: str = UNSAFE) -> Fix:
    """One edit putting ``text`` in place of the range ``pos``."""
    line, column, end_line, end_column = pos[0], pos[1], pos[2], pos[3]
    return Fix(title, applicability, (Edit(line, column, end_line, end_column, text),))


def whole_lines(lines: list[str], pos: Span | Sequence[int]) -> Edit:
    """An edit removing ``pos``: the whole lines it covers (line breaks included) when nothing
    but spaces stands beside it on its first and last lines, else the range itself."""
    line, column, end_line, end_column = pos[0], pos[1], pos[2], pos[3]
    if 0 < line <= end_line <= len(lines):
        before = lines[line - 1][:column - 1]
        after = lines[end_line - 1][end_column - 1:]
        if not before.strip() and not after.strip():
            return Edit(line, 1, end_line + 1, 1, "")
    return Edit(line, column, end_line, end_column, "")


def remove_lines(lines: list[str], spans: Sequence[Span | Sequence[int]], title: str,
                 applicability: str = UNSAFE) -> Fix:
    """One edit per range of ``spans``, each removing it (see :func:`whole_lines`)."""
    return Fix(title, applicability, tuple(whole_lines(lines, pos) for pos in spans))


def quoted(name: str) -> str:
    """``name`` as a XanoScript string literal."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def name_in(pos: Span | Sequence[int], written: str, name: str) -> str:
    """``name`` written as the name ``written`` stood at ``pos``: quoted when the range is wider
    than the bare name (it held quotes) or when ``name`` is not a plain identifier."""
    bare = pos[0] == pos[2] and pos[3] - pos[1] == len(written)
    return name if bare and name.isidentifier() and name.isascii() else quoted(name)
