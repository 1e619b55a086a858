r"""A value of one type is given where another is declared.

Two places are checked, against what the workspace declares: the inputs a `function.run`
passes, against the callee's input types, and the `field_value` of `db.get`, `db.edit`,
`db.patch`, `db.del`, `db.add_or_edit` and `db.has`, against the type of the column named by
`field_name`. A text where a number is declared is the classic: a `text user_id` input handed
to `db.get` on the `int id` column finds no row ("Missing param: field_value"), every time.
Reported are a text (a text input, a text variable, a concatenation; a quoted number such as
`"42"` converts cleanly and is left alone) where an `int` or a `decimal` is declared, and a
list or an object where one plain value is declared. A value whose type cannot be told is
never reported, nor is a value for a callee or a table the workspace defines twice; convert
it where it is made (`$input.user_id|to_int`) and the rule follows the variable.

Bad::

    table user {
      schema {
        int id
        text name
      }
    }
    ---
    function "Workers/Get User" {
      input {
        text user_id
      }
      stack {
        db.get user {
          field_name = "id"
          field_value = $input.user_id
        } as $user
      }
      response = {success: true, data: $user, error: null}
    }

Good::

    table user {
      schema {
        int id
        text name
      }
    }
    ---
    function "Workers/Get User" {
      input {
        text user_id
      }
      stack {
        var $id { value = $input.user_id|to_int }
        db.get user {
          field_name = "id"
          field_value = $id
        } as $user
      }
      response = {success: true, data: $user, error: null}
    }
"""

from __future__ import annotations

import re
from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.lint.fixes import UNSAFE, replace
from xanoctl.semantics.types import NUMBERS, declared_type

CODE = "TY001"
NAME = "type-mismatch"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "workspace"
FIX = (UNSAFE, "converts a text value written as one name or chain with the filter the declared type "
               "needs (`|to_int`, `|to_decimal`)")

_PLAIN = frozenset({"int", "decimal", "text", "bool", "timestamp"})
_QUOTED_NUMBER = re.compile(r"""(["'])-?\d+(\.\d+)?\1\Z""")
_SIMPLE = re.compile(r"[$\w.\[\]\"|:]+\Z")  # a chain a filter can be appended to as it is
_CONVERT = {"int": "to_int", "decimal": "to_decimal"}


def check(index, ctx) -> Iterator[Problem]:
    for value in index.handed:
        declared = _declared(index, value)
        if declared is None:
            continue
        what, expected = declared
        if expected in NUMBERS and value.type == "text":
            if _QUOTED_NUMBER.match(value.text):
                continue
            related = (value.target,) if value.via == "function.run" else ()
            if value.text[:1] in ("'", '"'):  # a text literal: no conversion makes it a number
                yield Problem(value.pos, f"`{value.text}` is text but {what} is {expected}; write a number",
                              None, value.path, value.obj, related)
                continue
            convert = _CONVERT[expected]
            fixed = f"{value.text}|{convert}" if _SIMPLE.match(value.text) and value.pos[0] == value.pos[2] else None
            fix = replace(value.pos, fixed, f"Convert with `|{convert}`", UNSAFE) if fixed else None
            yield Problem(value.pos, f"`{value.text}` is text but {what} is {expected}; convert it: "
                                     f"`{fixed or f'({value.text})|{convert}'}`", fix, value.path, value.obj, related)
        elif expected in _PLAIN and value.type in ("list", "object"):
            a = "a list" if value.type == "list" else "an object"
            hint = "one of its items (`|first`)" if value.type == "list" else "one of its fields (`.id`)"
            yield Problem(value.pos, f"`{value.text}` is {a} but {what} is {expected}; pass {hint}",
                          None, value.path, value.obj, (value.target,) if value.via == "function.run" else ())


def _declared(index, value) -> tuple[str, str] | None:
    """(what takes the value, for the message; its declared value type), when known."""
    if value.via == "function.run":
        callee = index.function(value.target)
        if callee is None or callee.inputs is None:
            return None
        for item in callee.inputs:
            if item.name == value.key:
                base = item.type.rstrip("?")
                array = "[]" if "[" in base else None
                found = declared_type(base.split("[")[0], array)
                return (f"input `{value.key}` of `{value.target}`", found) if found else None
        return None
    table = index.tables.get(value.target) if value.target not in index.duplicate_tables else None
    column = table.column(value.key) if table is not None else None
    if column is None:
        return None
    found = declared_type(column.type, column.array)
    return (f"column `{value.target}.{value.key}`", found) if found else None
