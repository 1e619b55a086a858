"""What a rule gets to look at: one document with its source (:class:`DocContext`), or the
workspace index (:class:`IndexContext`); both answer ``options(code)``."""

from __future__ import annotations

from typing import Callable

from xanoctl.lint.envelope import Result, results
from xanoctl.lint.finding import Span
from xanoctl.lint.locate import header_span, snippet, source_text, target_span
from xanoctl.lint.walk import Source, assignments
from xanoctl.language.model import Document, Pos, Statement
from xanoctl.semantics.document import Semantics

Options = Callable[[str], dict]


class DocContext:
    def __init__(self, doc: Document, path: str, lines: list[str], options: Options):
        self.doc = doc
        self.path = path
        self.lines = lines
        self.options = options
        self._table: dict[str, list[Source]] | None = None
        self._results: list[Result] | None = None
        self._semantics: Semantics | None = None

    @property
    def semantics(self) -> Semantics:
        """The document's variables, inputs and value types (built once, on first use)."""
        if self._semantics is None:
            self._semantics = Semantics(self.doc)
        return self._semantics

    @property
    def table(self) -> dict[str, list[Source]]:
        """What each variable of the document is assigned from."""
        if self._table is None:
            self._table = assignments(self.doc, self.semantics.vars)
        return self._table

    @property
    def results(self) -> list[Result]:
        """The document's response and live returns, judged as envelopes or not."""
        if self._results is None:
            self._results = results(self.doc, self.table, self.semantics.types, self.semantics.live_stack)
        return self._results

    def header(self) -> Span:
        return header_span(self.doc, self.lines)

    def target(self, stmt: Statement) -> Span:
        return target_span(stmt, self.lines)

    def snippet(self, pos: Pos | Span, limit: int = 60) -> str:
        return snippet(self.lines, pos, limit)

    def source(self, pos: Pos | Span) -> str | None:
        """The exact source text of ``pos`` when it stands on one line, else None."""
        line, column, end_line, end_column = pos if isinstance(pos, tuple) else (
            pos.line, pos.column, pos.end_line, pos.end_column)
        if line != end_line or not 0 < line <= len(self.lines):
            return None
        return self.lines[line - 1][column - 1:end_column - 1]

    def text(self, pos: Pos | Span) -> str | None:
        """The exact source text of ``pos``, over several lines too (joined by ``\\n``)."""
        return source_text(self.lines, pos)


class IndexContext:
    def __init__(self, options: Options):
        self.options = options
