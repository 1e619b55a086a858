r"""A function in an FP folder whose response or `return` value is not an envelope.

In the FP convention every `Tasks/` and `Workers/` function answers one envelope,
`{success, data, error}`, and callers read `$result.success` and `$result.data`. A function
that answers something else makes every caller read `null`. Each `response` and live `return`
is checked, also through the variables it names: one that holds a `db.query` or `db.get`
result, a list, a number or a text (by the document's value types) is not an envelope either.
A value the linter cannot see through (a call to an unknown function, a member read, a filter
of unknown result) is left alone.

Options: `folders` (default `["Tasks/", "Workers/"]`): name prefixes of FP functions.

Bad::

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
      response = {count: $count}
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

CODE = "FP001"
NAME = "not-an-envelope"
SEVERITY = "error"
OPTIONS = {"folders": ["Tasks/", "Workers/"]}
SCOPE = "document"


def fp_folder(doc, ctx) -> str | None:
    """The FP folder prefix of a function document, or None."""
    if doc.kind != "function" or not doc.name:
        return None
    for folder in ctx.options(CODE)["folders"]:
        if doc.name.startswith(folder):
            return folder
    return None


def check(doc, ctx) -> Iterator[Problem]:
    if fp_folder(doc, ctx) is None:
        return
    name = doc.name
    if not ctx.results:
        yield Problem(ctx.header(), f"`{name}` is an FP function but has no response; end it with "
                                    f"`response = {{success: true, data: ..., error: null}}`")
        return
    for result in ctx.results:
        if result.verdict.kind != "other":
            continue
        if result.expr is None:
            yield Problem(result.pos, f"`return` without a value in FP function `{name}`; return an envelope: "
                                      f"`value = {{success: false, data: null, error: \"...\"}}`")
            continue
        text = ctx.snippet(result.pos, 40)
        what = "response" if result.where == "response" else "`return` value"
        culprit = result.verdict.culprit
        if culprit is None and result.verdict.what:
            yield Problem(result.pos, f"{what} of FP function `{name}` is `{text}`, which holds "
                                      f"{result.verdict.what}, not an envelope; answer "
                                      f"`{{success: true, data: {text}, error: null}}`")
            continue
        if culprit is not None and culprit is not result.expr:
            held = ctx.snippet(culprit.pos, 40)
            yield Problem(result.pos, f"{what} of FP function `{name}` is `{text}`, which holds `{held}`, "
                                      f"not an envelope; answer `{{success: true, data: {text}, error: null}}`")
            continue
        # no fix: wrapping the answer changes what every caller reads (a refactor, not a fix)
        yield Problem(result.pos, f"{what} of FP function `{name}` is `{text}`, not an envelope; "
                                  f"write `{{success: true, data: {text}, error: null}}`")
