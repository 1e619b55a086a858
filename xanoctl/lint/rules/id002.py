r"""`function.run` omits a required input of the callee.

A required input has no `?` after its name and no default; a call without it makes the callee
fail or answer its "no input" error every time. When the call passes a misspelt name instead
(`user_id` for `ad_user_id`), ID001 reports that one finding, with the name to write, and
this rule stays quiet about it. Calls whose `input` is not an object literal are left alone.

Bad::

    function "Workers/FUB - Sync People" {
      input {
        int ad_user_id
        text endpoint_type
        bool dry_run?
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

Good::

    function "Workers/FUB - Sync People" {
      input {
        int ad_user_id
        text endpoint_type
        bool dry_run?
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
          input = {ad_user_id: 42, endpoint_type: "people"}
        } as $result
      }
      schedule = [{starts_on: 2025-11-28 05:56:27+0000, freq: 86400}]
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.calls import unknown_inputs
from xanoctl.lint.finding import Problem

CODE = "ID002"
NAME = "missing-input"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "workspace"


def check(index, ctx) -> Iterator[Problem]:
    for call in index.calls:
        callee = index.function(call.callee)
        if callee is None or callee.inputs is None or call.inputs is None:
            continue
        passed = {key for key, _ in call.inputs}
        meant = {hint for _, _, hint in unknown_inputs(call, callee) if hint}
        missing = [item for item in callee.inputs
                   if item.required and item.name not in passed and item.name not in meant]
        if not missing:
            continue
        names = ", ".join(f"`{item.name}` ({item.type})" for item in missing)
        keys = ", ".join(f"{item.name}: ..." for item in missing)
        plural = "inputs" if len(missing) > 1 else "input"
        todo = f"add `{keys}` to its `input`" if call.inputs else f"pass `input = {{{keys}}}`"
        yield Problem(call.pos, f"call to `{call.callee}` omits the required {plural} {names}; {todo}",
                      None, call.path, call.obj, (call.callee,))
