r"""An API endpoint whose stack is empty: it answers `null`.

An endpoint created in the UI and never wired to its function runs nothing and answers `null`
with status 200, so its caller sees success. An endpoint whose statements are all disabled is
reported too. An endpoint that answers a constant or its own input (`response = {ok: true}`,
`response = $input`) is left alone.

Bad::

    query "people/sync" verb=POST {
      input {
        int ad_user_id
      }
      stack {
      }
      response = null
    }

Good::

    query "people/sync" verb=POST {
      input {
        int ad_user_id
      }
      stack {
        db.query person {
          where = $db.person.ad_user_id == $input.ad_user_id
        } as $people
      }
      response = $people
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.language.model import Literal, Variable, walk_expr

CODE = "EP001"
NAME = "empty-endpoint"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "document"


def check(doc, ctx) -> Iterator[Problem]:
    if doc.kind != "query":
        return
    statements = doc.stack or []
    if any(not stmt.disabled for stmt in statements):
        return
    response = doc.response
    if response is not None and _constant(response):
        return
    label = f"{doc.verb} {doc.name}" if doc.verb else f"{doc.name}"
    pos = doc.stack_pos or ctx.header()
    if statements:
        yield Problem(pos, f"endpoint `{label}` has only disabled statements: it answers `null`; "
                           f"enable them, or call its function and set `response = $result`")
    elif doc.stack is None:
        yield Problem(pos, f"endpoint `{label}` has no stack: it answers `null`; add "
                           f"`stack {{ function.run \"...\" as $result }}` and set `response = $result`")
    else:
        yield Problem(pos, f"endpoint `{label}` has an empty stack: it answers `null`; call the function "
                           f"it serves (`function.run \"...\" as $result`) and set `response = $result`")


_GIVEN = ("$input", "$auth", "$env")


def _constant(expr) -> bool:
    """A deliberate answer that needs no stack: not null, and built only from constants and
    what the request brings (``$input``, ``$auth``, ``$env``)."""
    if isinstance(expr, Literal) and expr.kind == "null":
        return False
    return all(node.name in _GIVEN for node in walk_expr(expr) if isinstance(node, Variable))
