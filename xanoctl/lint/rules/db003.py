r"""A literal written into, or compared with, an `enum` column is not one of its values.

Xano refuses to write a value an enum column does not list (`status: "Startd"`), and a
comparison with one (`$db.job.status == "complete"` where the value is `Complete`) never holds:
the query selects nothing, the branch never runs. Checked: the keys of `data` in `db.add`,
`db.edit`, `db.patch`, `db.add_or_edit` and literal `db.bulk.add` items; `where` and
`additional_where` comparisons (`==`, `!=`, `in`, `not in`); `field_name` with a literal
`field_value`; and the comparisons of a row the code holds (`$job.status == "New"` in an `if`,
`elseif`, `precondition`, `switch`). Values are compared exactly, case included; the message
names the closest value. Silent when the table is defined twice with other columns, when a
definition does not list the values, and for an empty text.

Bad::

    table job {
      schema {
        int id
        enum status?=New {
          values = ["New", "Started", "Complete"]
        }
      }
    }
    ---
    function "Jobs/Start" {
      input {
        int job_id
      }
      stack {
        db.edit job {
          field_name = "id"
          field_value = $input.job_id
          data = {status: "Startd"}
        } as $job
      }
      response = $job
    }

Good::

    table job {
      schema {
        int id
        enum status?=New {
          values = ["New", "Started", "Complete"]
        }
      }
    }
    ---
    function "Jobs/Start" {
      input {
        int job_id
      }
      stack {
        db.edit job {
          field_name = "id"
          field_value = $input.job_id
          data = {status: "Started"}
        } as $job
      }
      response = $job
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.lint.fixes import UNSAFE, quoted, replace
from xanoctl.lint.suggest import Suggester

CODE = "DB003"
NAME = "unknown-enum-value"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "workspace"
FIX = (UNSAFE, "writes the closest value the enum lists")


def check(index, ctx) -> Iterator[Problem]:
    values: dict[tuple[str, str], tuple[str, ...] | None] = {}
    suggest: dict[tuple[str, str], Suggester] = {}
    for doc in index.documents:
        for write in doc.state_writes:
            allowed = _values(index, write.table, write.column, values)
            if allowed is not None and write.value and write.value not in allowed:
                name = f"{write.table}.{write.column}"
                yield _problem(doc, write.pos, write.value, name, allowed, suggest,
                               "Xano refuses the write")
        for test in doc.state_tests:
            if test.values is None:
                continue
            allowed = _values(index, test.table, test.column, values)
            if allowed is None:
                continue
            for value, pos in zip(test.values, test.spans):
                if value and value not in allowed:
                    name = f"{test.table}.{test.column}"
                    what = "no row ever matches it" if test.select else "the comparison never holds"
                    if test.op in ("!=", "not in"):
                        what = "the comparison always holds"
                    yield _problem(doc, pos, value, name, allowed, suggest, what)


def _values(index, table: str, column: str, cache: dict) -> tuple[str, ...] | None:
    """The values of an enum column (every definition's, for a table defined twice); None
    when the column is not an enum with values, or cannot be told."""
    key = (table, column)
    if key not in cache:
        found: tuple[str, ...] | None = None
        if table in index.tables and table not in index.ambiguous_tables:
            versions = index.table_versions.get(table) or [index.tables[table]]
            columns = [version.column(column) for version in versions]
            if all(c is not None and c.type == "enum" and c.values and not c.array for c in columns):
                found = tuple(dict.fromkeys(value for c in columns for value in c.values))
        cache[key] = found
    return cache[key]


def _problem(doc, pos, value: str, name: str, allowed: tuple[str, ...], suggest: dict, what: str) -> Problem:
    table, column = name.split(".", 1)
    if (table, column) not in suggest:
        suggest[table, column] = Suggester(allowed, cutoff=0.6)
    close = suggest[table, column](value)
    listed = ", ".join(f'"{v}"' for v in allowed[:8]) + (", ..." if len(allowed) > 8 else "")
    message = f'"{value}" is not a value of the enum `{name}` ({listed}): {what}'
    if close:
        message += f'; did you mean "{close}"?'
    fix = replace(pos, quoted(close), f'Use the value "{close}"', UNSAFE) if close else None
    return Problem(pos, message, fix, doc.path, doc.obj)
