r"""A database statement names a table the workspace does not define.

`db.query`, `db.get`, `db.add`, `db.edit`, `db.del`, `db.bulk.*`... on a table that no `table`
document of the workspace defines fail at run time (and Xano refuses to save them). A join's
`table` is checked too, and a table trigger's `table` (a trigger on a table that is not there
never fires). The message names the closest existing table (a typo, a plural, a
renamed table). The rule needs the whole workspace and its tables, so it runs only inside a
workspace (as XR001) that holds `table` documents: a tree pulled without its tables proves
nothing. An empty name (`db.get ""`, found in real exports) is reported too: the statement has
no table to work on: that is how Xano exports a statement on a table that was deleted, and so in
Xano's export (files named after their ids, `tables/12_user.xs`) a named table that the files do
not hold was left out of them, and only the empty name is reported. Older exports that name
tables by number are left alone.

Bad::

    table user {
      schema {
        int id
        email? email
      }
    }
    ---
    function "Users/Find" {
      input {
        email email
      }
      stack {
        db.get users {
          field_name = "email"
          field_value = $input.email
        } as $user
      }
      response = $user
    }

Good::

    table user {
      schema {
        int id
        email? email
      }
    }
    ---
    function "Users/Find" {
      input {
        email email
      }
      stack {
        db.get user {
          field_name = "email"
          field_value = $input.email
        } as $user
      }
      response = $user
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.lint.fixes import UNSAFE, name_in, replace
from xanoctl.lint.suggest import Suggester

CODE = "DB001"
NAME = "unknown-table"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "workspace"
FIX = (UNSAFE, "names the closest table of the workspace")


def check(index, ctx) -> Iterator[Problem]:
    if not index.complete or not index.tables:
        return
    closest = Suggester(index.tables, cutoff=0.7)
    for doc in index.documents:
        for ref in doc.refs:
            if ref.kind != "table" or ref.name in index.tables:
                continue
            if ref.mode == "on":  # a table trigger's table
                where = f"`{doc.kind} {doc.name}`: `table = \"{ref.name}\"`"
            else:
                where = "join of a `db.query`" if ref.via == "join" else f"`{ref.via}`"
            if not ref.name:
                yield Problem(ref.pos, f"{where} names no table (an empty name): it has no table to work on; "
                                       f"name the table", None, doc.path, doc.obj)
                continue
            if index.exported:  # left out of the export's files: Xano writes a deleted table as ""
                continue
            on = "" if ref.mode == "on" else f" on `{ref.name}`"
            message = f"{where}{on}: no table of that name in the workspace"
            close = closest(ref.name)
            if close:
                message += f"; did you mean `{close}`?"
            fix = replace(ref.pos, name_in(ref.pos, ref.name, close), f"Use the table `{close}`", UNSAFE) \
                if close else None
            yield Problem(ref.pos, message, fix, doc.path, doc.obj)
