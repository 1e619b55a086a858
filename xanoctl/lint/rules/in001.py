r"""`$input.x` reads an input the document does not declare.

Xano answers `null` for an input that is not declared, silently: a misspelt or renamed input
reads as missing on every call. The message names the closest declared input. Documents whose
inputs cannot be told in full (no `input` clause, a `dblink`) are left alone.

Bad::

    function "Workers/Count People" {
      input {
        int ad_user_id
      }
      stack {
        db.query person {
          where = $db.person.ad_user_id == $input.user_id
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

from xanoctl.lint.calls import closest
from xanoctl.lint.finding import Problem
from xanoctl.lint.fixes import UNSAFE, replace

CODE = "IN001"
NAME = "undeclared-input"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "document"
FIX = (UNSAFE, "reads the closest input the document declares")


def check(doc, ctx) -> Iterator[Problem]:
    model = ctx.semantics
    if not model.vars.inputs:
        return
    inputs = model.inputs
    if not inputs.complete:
        return
    declared = list(inputs.fields)
    for read in model.vars.inputs:
        if not read.live or read.key in inputs.fields or read.key.startswith("$"):
            continue
        hint = closest(read.key, declared)
        message = f"`$input.{read.key}`: this {doc.kind} declares no input `{read.key}`"
        if hint:
            message += f"; did you mean `{hint}`?"
        elif declared:
            names = ", ".join(f"`{name}`" for name in declared[:8])
            message += f"; it takes {names}{', ...' if len(declared) > 8 else ''}"
        else:
            message += "; it takes no inputs"
        fix = replace(read.pos, f"$input.{hint}", f"Read `$input.{hint}`", UNSAFE) \
            if hint and ctx.source(read.pos) == f"$input.{read.key}" else None
        yield Problem(read.pos, message, fix)
