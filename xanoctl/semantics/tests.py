"""The tests a document holds: its unit tests (``test "name" { ... }`` blocks of a function,
an endpoint or a middleware) and the mocks its statements key by test name. Read by the lint
rules TS001-TS003 and by the runtime (which ties a test run to its block's line)."""

from __future__ import annotations

from typing import Iterator

from xanoctl.language.model import Document, ObjectEntry, ObjectLit, Statement

UNIT_TEST_KINDS = frozenset({"function", "query", "middleware"})


def unit_tests(doc: Document) -> list[Statement]:
    """The ``test "name"`` blocks of the document, in order (those with a name)."""
    return [block for block in doc.blocks if block.kind == "test" and isinstance(block.target, str)]


def mock_entries(doc: Document) -> Iterator[tuple[Statement, ObjectEntry]]:
    """Every ``mock = {"test name": value, ...}`` entry of the document's statements."""
    for stmt in doc.statements():
        mock = stmt.value("mock")
        if isinstance(mock, ObjectLit):
            for entry in mock.entries:
                yield stmt, entry
