r"""`function.run` passes an input the callee does not declare.

Xano drops inputs a function does not declare, silently: the callee sees its own input as
`null`. When a declared input has a close name, the message says which one was meant (the
caller passed `user_id`, the function takes `ad_user_id`). Calls whose `input` is not an
object literal, and callees the workspace does not hold, are left alone.

Bad::

    function "Workers/FUB - Sync People" {
      input {
        int ad_user_id
      }
      stack {
        var $people { value = [] }
      }
      response = {success: true, data: {people: $people}, error: null}
    }
    ---
    task "FUB - Sync People" {
      active = true
      stack {
        function.run "Workers/FUB - Sync People" {
          input = {user_id: 42}
        } as $result
      }
      schedule = [{starts_on: 2025-11-28 05:56:27+0000, freq: 86400}]
    }

Good::

    function "Workers/FUB - Sync People" {
      input {
        int ad_user_id
      }
      stack {
        var $people { value = [] }
      }
      response = {success: true, data: {people: $people}, error: null}
    }
    ---
    task "FUB - Sync People" {
      active = true
      stack {
        function.run "Workers/FUB - Sync People" {
          input = {ad_user_id: 42}
        } as $result
      }
      schedule = [{starts_on: 2025-11-28 05:56:27+0000, freq: 86400}]
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.calls import unknown_inputs
from xanoctl.lint.finding import Problem
from xanoctl.lint.fixes import SAFE, UNSAFE, name_in, replace

CODE = "ID001"
NAME = "unknown-input"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "workspace"
FIX = ("safe/unsafe", "passes the input under the declared name it was meant for: safe when that input is "
                     "required and not passed, unsafe for any other close name")


def check(index, ctx) -> Iterator[Problem]:
    for call in index.calls:
        callee = index.function(call.callee)
        if callee is None or callee.inputs is None or call.inputs is None:
            continue
        required = {item.name for item in callee.inputs if item.required}
        unknown = unknown_inputs(call, callee)
        hints = [hint for _, _, hint in unknown]
        for key, pos, hint in unknown:
            message = f"`{call.callee}` has no input `{key}`"
            if hint:
                note = " (a required input)" if hint in required else ""
                message += f"; did you mean `{hint}`{note}?"
            elif callee.inputs:
                names = ", ".join(f"`{item.name}`" for item in callee.inputs[:8])
                more = ", ..." if len(callee.inputs) > 8 else ""
                message += f"; it takes {names}{more}"
            else:
                message += "; it takes no inputs"
            yield Problem(pos, message, _fix(key, pos, hint, hint in required, hints), call.path, call.obj,
                          (call.callee,))


def _fix(key: str, pos, hint: str | None, required: bool, hints: list[str | None]):
    """The declared name in place of the key; none when two keys of the call are close to the
    same input (which one was meant cannot be told)."""
    if hint is None or hints.count(hint) > 1:
        return None
    return replace(pos, name_in(pos, key, hint), f"Pass `{hint}` instead of `{key}`", SAFE if required else UNSAFE)
