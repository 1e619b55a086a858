r"""A filter name Xano does not have.

Xano refuses to save an expression with an unknown filter, and code written outside the editor
(by hand, by a script or by an assistant) often guesses a name from another language:
`to_integer`, `lowercase`, `length`. The message names the closest filter Xano has. Older names
that Xano still runs (`lower`, `array_merge`...) are not reported, nor are the functions of an
aggregate `return`'s `eval` (`to_list`...). Input filters (`filters=trim|min:1`) are checked
against the filters inputs take. The names are a fact list (`xanoctl/semantics/data/filters.json`)
taken from Xano's own language server.

Bad::

    function "Utils/Parse Id" {
      input {
        text raw
      }
      stack {
        var $id {
          value = $input.raw|to_integer
        }
      }
      response = $id
    }

Good::

    function "Utils/Parse Id" {
      input {
        text raw
      }
      stack {
        var $id {
          value = $input.raw|to_int
        }
      }
      response = $id
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.lint.fixes import UNSAFE, replace
from xanoctl.semantics.filters import closest_filter, expression_filters, input_filters, known_expression_filter, names

CODE = "FL001"
NAME = "unknown-filter"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "document"
FIX = (UNSAFE, "replaces the name with the closest filter Xano has")


def check(doc, ctx) -> Iterator[Problem]:
    # the names the document's one walk saw (a few more than these filters): when all are
    # known, no need to walk its expressions again for the filters themselves
    if not all(known_expression_filter(name) for name in ctx.semantics.vars.filters):
        for flt in expression_filters(doc):
            if not known_expression_filter(flt.name):
                hint = closest_filter(flt.name)
                yield Problem(_name_span(flt), _message(flt.name, hint), _fix(flt, hint, ctx))
    accepted = names().input_names
    for field, flt in input_filters(doc):
        if flt.name not in accepted:
            hint = closest_filter(flt.name, field.type)
            yield Problem(_name_span(flt), _message(flt.name, hint, "input filter"), _fix(flt, hint, ctx))


def _message(name: str, hint: str | None, what: str = "filter") -> str:
    text = f"unknown {what} `{name}`"
    return f"{text}: did you mean `{hint}`?" if hint else f"{text}: Xano has no {what} of that name"


def _fix(flt, hint: str | None, ctx):
    where = _name_span(flt)
    if not hint or ctx.source(where) != flt.name:
        return None
    return replace(where, hint, f"Use the filter `{hint}`", UNSAFE)


def _name_span(flt) -> tuple[int, int, int, int]:
    column = flt.pos.column + (1 if flt.disabled else 0)
    return (flt.pos.line, column, flt.pos.line, column + len(flt.name))
