r"""Older beta syntax, with the form to write today.

Xano still reads some constructs from the XanoScript beta, but exports and the current docs use
newer forms: `as $name` with a `$`, `response = EXPR`, `precondition (EXPR)`, a top-level
`guid`, table names instead of numeric ids, quoted names with `/`, `where` instead of
`search`. The message says which form to write. (The old `schedule { events = [...] }` block
is also reported by SC002, with the task's other schedule problems.)

Bad::

    function "Utils/Double" {
      input {
        int n
      }
      stack {
        var $double { value = $input.n * 2 }
      }
      response {
        value = $double
      }
    }

Good::

    function "Utils/Double" {
      input {
        int n
      }
      stack {
        var $double { value = $input.n * 2 }
      }
      response = $double
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.lint.schedule import current_schedule
from xanoctl.language.model import Backtick

CODE = "XS002"
NAME = "legacy-syntax"
SEVERITY = "warning"
OPTIONS: dict = {}
SCOPE = "document"


def check(doc, ctx) -> Iterator[Problem]:
    written = _current_forms(doc, ctx) if doc.legacy else {}
    for description, pos in doc.legacy:
        current = written.get((pos.line, pos.column))
        head, sep, _ = description.partition(": write `")
        yield Problem(pos, f"{head}: write `{current}`" if current and sep else description)


def _current_forms(doc, ctx) -> dict[tuple[int, int], str]:
    """The current form of the older constructs that hold code, with that code in it (when
    it stands on one line): `response = $x * 2`, `precondition ($m != null) {`..."""
    out: dict[tuple[int, int], str] = {}
    for block in doc.blocks:
        if block.kind == "response" and block.value("value") is not None:
            text = ctx.source(block.value("value").pos)
            if text:
                out[(block.pos.line, block.pos.column)] = f"response = {text}"
        elif block.kind == "schedule":
            text = current_schedule(block, ctx.source)
            if text:
                out[(block.pos.line, block.pos.column)] = text
    for stmt in doc.statements():
        if stmt.kind == "precondition" and isinstance(stmt.guard, Backtick) and "\n" not in stmt.guard.code:
            out[(stmt.pos.line, stmt.pos.column)] = f"precondition ({stmt.guard.code.strip()}) {{"
    return out
