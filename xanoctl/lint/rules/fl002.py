r"""A comparison or a logical operator is swallowed by a filter's argument.

A filter's last argument takes the operators to its right (Xano's documentation, "Parentheses
and Filter Precedence": "the filter `|` grabs everything to its right until it hits a
boundary"). `$phone|starts_with:"+" == false` therefore calls `starts_with` with `"+" == false`
(that is `false`) and never compares its result; `$a|contains:"x" || $b|contains:"x"` looks for
`"x" || ...` in `$a`. The code reads as a test and runs as another one, without an error. The
rule reports such an operator (`==`, `!=`, `===`, `!==`, `<`, `<=`, `>`, `>=`, `&&`, `||`) right
after the first operand of an argument that Xano reads as text or a number, never as a truth
value (the needle of `starts_with`, `contains`..., the key of `get` and `has`, the format of
`format_timestamp`, the operand of `add`...); the fix puts the filtered value in parentheses.
A filter that takes an expression (`filter`, `map`, `some`...) or a value (`set`, `push`...)
is left alone, and so is an argument written in parentheses.

Bad::

    function "Utils/Is Local" {
      input {
        text phone
      }
      stack {
        var $local {
          value = $input.phone|starts_with:"+" == false
        }
      }
      response = $local
    }

Good::

    function "Utils/Is Local" {
      input {
        text phone
      }
      stack {
        var $local {
          value = ($input.phone|starts_with:"+") == false
        }
      }
      response = $local
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.language.model import Binary, Filtered, walk_expr
from xanoctl.lint.finding import Problem
from xanoctl.lint.fixes import UNSAFE, replace
from xanoctl.lint.walk import document_reads
from xanoctl.semantics.filters import names

CODE = "FL002"
NAME = "swallowed-operator"
SEVERITY = "warning"
OPTIONS: dict = {}
SCOPE = "document"
FIX = (UNSAFE, "puts the filtered value in parentheses, so that the operator applies to the filter's "
               "result (what the code reads as; it changes what runs)")

# filter -> how many of its first arguments Xano reads as text or a number, never as a truth
# value (a default or a flag may follow them)
_PLAIN = {
    # tests on text and lists: the needle, the key
    "starts_with": 1, "istarts_with": 1, "ends_with": 1, "iends_with": 1, "contains": 1, "icontains": 1,
    "index": 1, "iindex": 1, "has": 1, "url_hasarg": 1,
    # accessors: the key or the path
    "get": 1, "url_getarg": 1, "unset": 1,
    # text and times: separators, needles, formats, time zones
    "split": 1, "join": 1, "concat": 2, "replace": 2, "substr": 2, "slice": 2,
    "format_timestamp": 2, "parse_timestamp": 2, "transform_timestamp": 2,
    "add_secs_to_timestamp": 1, "add_ms_to_timestamp": 1,
    # numbers
    "add": 1, "subtract": 1, "multiply": 1, "divide": 1, "modulus": 1, "pow": 1, "round": 1,
    "number_format": 3,
}
_SWALLOWED = frozenset({"==", "!=", "===", "!==", "<", "<=", ">", ">=", "&&", "||"})


def check(doc, ctx) -> Iterator[Problem]:
    older = names().deprecated
    if not any(older.get(name, name) in _PLAIN for name in ctx.semantics.vars.filters):
        return
    for expr in document_reads(doc):
        for node in walk_expr(expr):
            if type(node) is Filtered:
                found = _swallowed(node, older, ctx)
                if found is not None:
                    yield found


def _swallowed(node: Filtered, older: dict[str, str], ctx) -> Problem | None:
    """A problem when the last filter's last argument starts with an operand and a swallowed
    operator (an argument of the filter's own is the filtered value's last filter's: an
    operator's right side takes its filters)."""
    flt = node.filters[-1]
    plain = _PLAIN.get(older.get(flt.name, flt.name), 0)
    if flt.disabled or not 0 < len(flt.args) <= plain or type(flt.args[-1]) is not Binary:
        return None
    arg = flt.args[-1]
    operation = arg
    while type(operation.left) is Binary:  # the operation right after the first operand
        operation = operation.left
    if operation.op not in _SWALLOWED or _parenthesised(arg, ctx):
        return None
    op, first = operation.op, operation.left.pos
    said = f"`{op}` is read into the argument of `{flt.name}`, which gets `{ctx.snippet(arg.pos)}` (a filter's " \
           f"last argument takes the operators to its right); to apply `{op}` to its result, "
    text = ctx.source(node.pos)
    if text is None or first.end_line != node.pos.line:
        return Problem(node.pos, said + "put the filtered value in parentheses")
    cut = first.end_column - node.pos.column
    fixed = f"({text[:cut]}){text[cut:]}"
    return Problem(node.pos, said + f"write `{fixed}`",
                   replace(node.pos, fixed, f"Apply `{op}` to the result of `{flt.name}`", UNSAFE))


def _parenthesised(arg: Binary, ctx) -> bool:
    """Whether the argument is written in parentheses (its model does not tell)."""
    line, column = arg.pos.line, arg.pos.column
    if not 0 < line <= len(ctx.lines):
        return True
    return ctx.lines[line - 1][:column - 1].rstrip().endswith("(")
