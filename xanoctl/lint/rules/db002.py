r"""A database statement names a column its table does not have.

Checked: `$db.<table>.<column>` in `where`, `additional_where`, `eval` and join `where`
(`<table>` being the statement's table or a join's alias, checked against the joined table),
`field_name`, and the keys of `data` in `db.add`, `db.edit`, `db.patch` and
`db.add_or_edit`. Xano fails the query, or writes nothing to a column that is not there. `id`
and `created_at` always exist. The message names the closest column. When the answer is not
sure the rule stays silent: a table it does not know or defined twice with other columns, a
table with a `dblink` (columns of another table), a name that is neither the table nor a join
alias, a computed `where` or `data`.

Bad::

    table user {
      schema {
        int id
        email? email
        text? first_name
      }
    }
    ---
    function "Users/Rename" {
      input {
        int user_id
        text name
      }
      stack {
        db.edit user {
          field_name = "id"
          field_value = $input.user_id
          data = {firstname: $input.name}
        } as $user
      }
      response = $user
    }

Good::

    table user {
      schema {
        int id
        email? email
        text? first_name
      }
    }
    ---
    function "Users/Rename" {
      input {
        int user_id
        text name
      }
      stack {
        db.edit user {
          field_name = "id"
          field_value = $input.user_id
          data = {first_name: $input.name}
        } as $user
      }
      response = $user
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.lint.fixes import UNSAFE, name_in, quoted, replace
from xanoctl.lint.suggest import Suggester

CODE = "DB002"
NAME = "unknown-column"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "workspace"
FIX = (UNSAFE, "names the closest column of the table in `field_name` and `data` (not in an "
               "expression, where the table may stand under a join's alias)")



def check(index, ctx) -> Iterator[Problem]:
    suggest: dict[str, Suggester] = {}
    for doc in index.documents:
        written: set[tuple[str, str]] | None = None
        for use in doc.columns:
            table = index.tables.get(use.table)
            if table is None or not table.complete or use.table in index.ambiguous_tables:
                continue
            if table.column(use.column) is not None:
                continue
            if use.table not in suggest:
                suggest[use.table] = Suggester(table.names(), cutoff=0.7)
            close = suggest[use.table](use.column)
            if use.via == "data":
                what = f"`data` key `{use.column}`"
            elif use.via == "field_name":
                what = f'`field_name = "{use.column}"`'
            else:
                what = f"`{use.column}` in `{use.via}`"
            message = f"{what}: table `{use.table}` has no column of that name"
            if close:
                message += f"; did you mean `{close}`?"
            fix = None
            if close and use.via == "field_name":
                fix = replace(use.pos, quoted(close), f"Use the column `{close}`", UNSAFE)
            elif close and use.via == "data":
                if written is None:  # a key written already would be written twice
                    written = {(other.table, other.column) for other in doc.columns if other.via == "data"}
                if (use.table, close) not in written:
                    fix = replace(use.pos, name_in(use.pos, use.column, close), f"Use the column `{close}`", UNSAFE)
            yield Problem(use.pos, message, fix, doc.path, doc.obj)
