r"""A variable is read that nothing in its document sets.

Xano binds a variable where a `var`, an `as $x` (of any statement) or an `each as $x` names it;
anywhere in the document counts, whatever the order, as in Xano. Built-in names count where
Xano binds them: `$input`, `$auth`, `$env`, `$db` everywhere; `$$`, `$this` and `$index` in
filter arguments, `array.*` statements and loops; `$output` in a `db.*` statement's `addon`
and in an `addon`; `$error` inside `catch`; `$response` in tests and `util.post_process`. A read of anything else is `null` at best, usually a
misspelt name or a variable that was renamed: the message names the closest bound one.
Disabled code neither binds nor is checked (statements, `!key: value` entries, the arguments of
a `|!filter`); names in backtick expressions and code strings are not checked. A read after a
`placeholder "..."` (what Xano's exporter writes for a statement it cannot print), or in the
same loop, is not reported: the statement it stands for may bind the name.

Bad::

    function "Workers/Count People" {
      input {
        int ad_user_id
      }
      stack {
        db.query person {
          where = $db.person.ad_user_id == $input.ad_user_id
          return = {type: "count"}
        } as $people_count
      }
      response = {success: true, data: {count: $people_cnt}, error: null}
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
        } as $people_count
      }
      response = {success: true, data: {count: $people_count}, error: null}
    }
"""

from __future__ import annotations

import difflib
from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.lint.fixes import UNSAFE, replace
from xanoctl.semantics.variables import EVERYWHERE

CODE = "VR001"
NAME = "unbound-variable"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "document"
FIX = (UNSAFE, "reads the closest variable the document sets")


def check(doc, ctx) -> Iterator[Problem]:
    found = ctx.semantics.vars
    unbound = found.unbound()
    if not unbound:
        return
    names = sorted({name for name in found.bindings if found.bound(name)} | (EVERYWHERE - {"$db"}))
    for read in unbound:
        message = f"`{read.name}` is read but nothing in this {doc.kind} sets it"
        hint = difflib.get_close_matches(read.name, names, n=1, cutoff=0.75)
        if hint:
            message += f"; did you mean `{hint[0]}`?"
        else:
            message += f"; set it first (`var {read.name} {{ value = ... }}`)"
        fix = replace(read.pos, hint[0], f"Read `{hint[0]}`", UNSAFE) if hint and ctx.source(read.pos) == read.name \
            else None
        yield Problem(read.pos, message, fix)
