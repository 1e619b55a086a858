"""The columns a document's database statements name, table by table.

For each live ``db.*`` statement on a named table: the ``$db.<table>.<column>`` reads of its
``where``, ``additional_where``, ``eval`` and join ``where`` expressions (``<table>`` being the
statement's table or one of its join aliases), its ``field_name``, and the keys of its ``data``
(add, edit, patch, add_or_edit). What cannot be told is left out: a backtick or computed
``where`` or ``data``, a ``$db`` name that is neither the table nor a join alias, a join whose
table is not a plain name, a dynamic key, a numeric (older) table id, a search index (``$db.<table>.$<index>``).

>>> from xanoctl.language.parser import parse_document
>>> doc = parse_document('function "a" {\\n  stack {\\n    db.edit user {\\n      field_name = "email"\\n'
...                      '      field_value = 1\\n      data = {nmae: "x"}\\n    } as $u\\n  }\\n}\\n')
>>> [(use.table, use.column, use.via) for use in column_uses(doc)]
[('user', 'email', 'field_name'), ('user', 'nmae', 'data')]
"""

from __future__ import annotations

from typing import Iterable, Iterator, NamedTuple

from xanoctl.language.model import (
    Document, Expr, Literal, Member, ObjectLit, Statement, access_path, walk_expr,
)
from xanoctl.semantics.statements import document_statements

# statements whose `data` object names the columns written
DATA_WRITES = frozenset({"db.add", "db.edit", "db.patch", "db.add_or_edit"})
# settings holding database expressions over `$db.<table>.<column>`
DB_EXPRESSIONS = ("where", "additional_where", "eval")


class ColumnUse(NamedTuple):  # a tuple: thousands of them go through the cache
    """One column named for a table. ``via``: ``where``, ``additional_where``, ``eval``,
    ``join``, ``field_name`` or ``data``; ``pos`` covers ``$db.<table>.<column>``, the
    ``field_name`` string or the ``data`` key, as a plain tuple (see
    :class:`~xanoctl.semantics.references.Reference`)."""

    table: str
    column: str
    via: str
    pos: tuple[int, int, int, int]
    statement: str  # the statement kind, e.g. db.query


def column_uses(doc: Document, live: Iterable[Statement] | None = None) -> list[ColumnUse]:
    """Every column use of the document's live database statements, in source order
    (``live``: its live statements, when they are listed already)."""
    found: list[ColumnUse] = []
    for stmt in document_statements(doc) if live is None else live:
        if stmt.kind.startswith("db.") and isinstance(stmt.target, str) and stmt.target:
            found.extend(_statement(stmt, stmt.target))
    found.sort(key=lambda use: (use.pos[0], use.pos[1]))
    return found


def _statement(stmt: Statement, table: str) -> Iterator[ColumnUse]:
    aliases = {table: table}
    joins: list[Expr] = []
    join = stmt.value("join")
    if isinstance(join, ObjectLit):
        for entry in join.entries:
            if entry.disabled or not isinstance(entry.value, ObjectLit):
                continue
            joined = entry.value.get("table")
            if isinstance(joined, Literal) and isinstance(joined.value, str) and joined.kind == "string":
                aliases[entry.key] = joined.value
            else:  # a join we cannot follow: its alias may stand for any table
                aliases[entry.key] = ""
            where = entry.value.get("where")
            if where is not None:
                joins.append(where)
    for key in DB_EXPRESSIONS:
        value = stmt.value(key)
        if value is not None:
            yield from _db_reads(value, aliases, key, stmt.kind)
    for where in joins:
        yield from _db_reads(where, aliases, "join", stmt.kind)
    field = stmt.value("field_name")
    if isinstance(field, Literal) and field.kind == "string" and isinstance(field.value, str) \
            and field.value and "." not in field.value:  # `meta.email`: a path into a json column
        yield ColumnUse(table, field.value, "field_name", tuple(field.pos), stmt.kind)
    if stmt.kind in DATA_WRITES:
        data = stmt.value("data")
        if isinstance(data, ObjectLit):
            for entry in data.entries:
                if entry.key and "." not in entry.key and not entry.disabled:
                    yield ColumnUse(table, entry.key, "data", tuple(entry.pos), stmt.kind)


def _db_reads(expr: Expr, aliases: dict[str, str], via: str, kind: str) -> Iterator[ColumnUse]:
    """``$db.<name>.<column>`` under ``expr``, for the names that stand for a known table."""
    for node in walk_expr(expr):
        if not isinstance(node, Member) or not isinstance(node.key, str):
            continue
        found = access_path(node)
        if found is None or found[0] != "$db" or len(found[1]) != 2:
            continue
        name, column = found[1]
        table = aliases.get(name)
        if table and not column.startswith("$"):  # `$db.t.$search_index`: an index, not a column
            yield ColumnUse(table, column, via, tuple(node.pos), kind)
