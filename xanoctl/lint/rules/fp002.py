r"""An envelope without one of the required keys.

Callers of an FP function test `$result.success`, read `$result.data` and log
`$result.error`; an envelope without one of them hands them `null`, and a missing `success`
reads as failure (or, with `?? true`, as success). Envelopes returned by the functions in
FP001's folders are checked, also when built in a variable first.

Options: `required_keys` (default `["success", "data", "error"]`; add `step` to require it).

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
      response = {success: true, data: {count: $count}}
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
from xanoctl.lint.rules.fp001 import fp_folder

CODE = "FP002"
NAME = "envelope-keys"
SEVERITY = "error"
OPTIONS = {"required_keys": ["success", "data", "error"]}
SCOPE = "document"

_DEFAULTS = {"success": "true", "data": "null", "error": "null"}


def check(doc, ctx) -> Iterator[Problem]:
    if fp_folder(doc, ctx) is None:
        return
    required = ctx.options(CODE)["required_keys"]
    seen: set[int] = set()
    for result in ctx.results:
        if result.verdict.kind != "envelope":
            continue
        for literal in result.verdict.literals:
            if id(literal) in seen:
                continue
            seen.add(id(literal))
            keys = set(literal.keys()) | set(result.verdict.extra)
            missing = [key for key in required if key not in keys]
            if not missing:
                continue
            names = ", ".join(f"`{key}`" for key in missing)
            add = ", ".join(f"{key}: {_DEFAULTS.get(key, _quote(doc.name) if key == 'step' else '...')}"
                            for key in missing)
            plural = "keys" if len(missing) > 1 else "key"
            yield Problem(literal.pos, f"envelope of `{doc.name}` lacks the {plural} {names}; add `{add}`")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
