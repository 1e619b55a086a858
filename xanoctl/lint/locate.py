"""Precise positions the model does not carry: the name after a statement kind
(``function.run "Workers/X"``) and the name in a document's header line."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from xanoctl.lint.finding import Span

if TYPE_CHECKING:
    from xanoctl.language.model import Document, Statement


# a quoted string (escapes skipped) or a bare name, after spaces
_NAME = re.compile(r"""[ \t]*(?:("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|([^ \t{(\r\n"'][^ \t{(\r\n]*))""")


def _name_span(line: str, start: int, line_no: int) -> Span | None:
    """The quoted string or bare name starting at or after index ``start`` of ``line``."""
    found = _NAME.match(line, start)
    if found is None:
        return None
    which = 1 if found.group(1) is not None else 2
    return (line_no, found.start(which) + 1, line_no, found.end(which) + 1)


def target_span(stmt: Statement, lines: list[str]) -> Span:
    """From the statement's keyword to the end of its target name: ``function.run "X"``
    (falls back to the keyword alone)."""
    pos = stmt.pos
    fallback = (pos.line, pos.column, pos.line, pos.column + len(stmt.kind) + int(stmt.disabled))
    if not 0 < pos.line <= len(lines):
        return fallback
    line = lines[pos.line - 1]
    start = pos.column - 1 + int(stmt.disabled)
    if line[start:start + len(stmt.kind)] != stmt.kind:
        index = line.find(stmt.kind, max(0, pos.column - 1))
        if index < 0:
            return fallback
        start = index
    name = _name_span(line, start + len(stmt.kind), pos.line)
    return (pos.line, pos.column, pos.line, name[3]) if name else fallback


def header_span(doc: Document, lines: list[str]) -> Span:
    """The header of the object, from its keyword to the end of its name (``task "X"``)."""
    first = doc.pos.line
    for line_no in range(max(first, 1), min(len(lines), first + 50) + 1):
        line = lines[line_no - 1]
        stripped = line.lstrip()
        if stripped.startswith(doc.kind) and (len(stripped) == len(doc.kind) or stripped[len(doc.kind)] in " \t\"'"):
            start = len(line) - len(stripped)
            found = _name_span(line, start + len(doc.kind), line_no)
            if found:
                return (line_no, start + 1, line_no, found[3])
            return (line_no, start + 1, line_no, start + 1 + len(doc.kind))
    return (doc.pos.line, doc.pos.column, doc.pos.line, doc.pos.column + len(doc.kind))


def snippet(lines: list[str], pos, limit: int = 60) -> str:
    """The source text of ``pos`` on one line, shortened to ``limit`` characters."""
    line, column, end_line, end_column = pos if isinstance(pos, tuple) else (
        pos.line, pos.column, pos.end_line, pos.end_column)
    if not 0 < line <= len(lines):
        return ""
    if end_line == line:
        text = lines[line - 1][column - 1:end_column - 1]
    else:
        parts = [lines[line - 1][column - 1:]]
        parts.extend(lines[n - 1] for n in range(line + 1, min(end_line, len(lines)) + 1))
        if end_line <= len(lines):
            parts[-1] = lines[end_line - 1][:end_column - 1]
        text = " ".join(part.strip() for part in parts)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def source_text(lines: list[str], pos) -> str | None:
    """The exact source text of ``pos``, over several lines too (joined by ``\\n``); None
    when it is not within ``lines``."""
    line, column, end_line, end_column = pos[0], pos[1], pos[2], pos[3]
    if not 0 < line <= end_line <= len(lines):
        return None
    if line == end_line:
        return lines[line - 1][column - 1:end_column - 1]
    parts = [lines[line - 1][column - 1:], *lines[line:end_line - 1], lines[end_line - 1][:end_column - 1]]
    return "\n".join(parts)
