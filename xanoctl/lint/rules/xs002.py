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

CODE = "XS002"
NAME = "legacy-syntax"
SEVERITY = "warning"
OPTIONS: dict = {}
SCOPE = "document"


def check(doc, ctx) -> Iterator[Problem]:
    for description, pos in doc.legacy:
        yield Problem(pos, description)
