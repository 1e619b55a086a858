r"""A `var` is set but never read.

A variable that no expression of its document reads is dead weight at best; more often the
value was meant to be used (returned, passed on) and a different name is read instead.
Variables bound by `as` are exempt: they often only name a side effect (`db.add ... as $row`).
A name mentioned in a backtick expression, in `api.lambda` code or in a template text counts
as read, and so does a read in disabled code (a statement, a `!key: value` entry, a `|!filter`).
A `var` set before a `placeholder "..."` (what Xano's exporter writes for a statement it cannot
print), or in the same loop, is not reported: the statement it stands for may read it.

Bad::

    function "Workers/Count People" {
      input {
        int ad_user_id
      }
      stack {
        var $limit { value = 100 }
        db.query person {
          where = $db.person.ad_user_id == $input.ad_user_id
          return = {type: "count"}
        } as $count
      }
      response = {success: true, data: {count: $count}, error: null}
    }

Good::

    function "Workers/Count People" {
      input {
        int ad_user_id
      }
      stack {
        db.query person {
          where = $db.person.ad_user_id == $input.ad_user_id
          return = {type: "count"}
        } as $count
      }
      response = {success: true, data: {count: $count}, error: null}
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.lint.fixes import UNSAFE, remove_lines

CODE = "VR002"
NAME = "unused-variable"
SEVERITY = "warning"
OPTIONS: dict = {}
SCOPE = "document"
FIX = (UNSAFE, "removes the `var` statement, when it is the only statement that sets the variable")


def check(doc, ctx) -> Iterator[Problem]:
    found = ctx.semantics.vars
    for name, bindings in found.bindings.items():
        if found.is_read(name) or any(binding.kind != "var" for binding in bindings):
            continue
        first = next((binding for binding in bindings if binding.live), None)
        if first is None:
            continue
        fix = None
        if len(bindings) == 1 and name not in found.updates and name not in found.keys_set:
            fix = remove_lines(ctx.lines, [first.stmt.pos], f"Remove the unused `var {name}`", UNSAFE)
        yield Problem(first.pos, f"`{name}` is set but never read; use it or remove the `var`", fix)
