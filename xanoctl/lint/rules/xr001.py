r"""`function.run` names a function that is not in the workspace.

The call fails at run time ("function not found"), often in a task nobody watches. The
message names the closest existing function when there is one (a typo, a renamed folder).
The check needs the whole workspace, so it runs only inside one: a folder with
`xanoctl.lock` (written by `xanoctl pull`), the folder named `dir` in xanoctl.yaml, a folder
that what its files declare shows to be a workspace's in any layout (the readable one, the
official CLI's `function/`, `api/<group>/`, `ai/agent/`..., Xano's export `functions/`,
`apis/<group>/`...), or a multidoc file (a workspace of its own). Elsewhere a callee that is not
among the linted files may well exist, and the rule stays silent. So it does in Xano's export
(files named after their ids, `functions/12_name.xs`): Xano writes a call to a function that was
deleted as `function.run ""` (XR003's), so a named callee that the export does not hold was
left out of its files (repositories trim their exports), not deleted.

Bad::

    function "Workers/FUB - Sync People" {
      input {
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
        function.run "Workers/FUB - Sync Peple" as $result
      }
      schedule = [{starts_on: 2025-11-28 05:56:27+0000, freq: 86400}]
    }

Good::

    function "Workers/FUB - Sync People" {
      input {
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
        function.run "Workers/FUB - Sync People" as $result
      }
      schedule = [{starts_on: 2025-11-28 05:56:27+0000, freq: 86400}]
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.lint.fixes import UNSAFE, quoted, replace
from xanoctl.lint.suggest import Suggester

CODE = "XR001"
NAME = "unknown-function"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "workspace"
FIX = (UNSAFE, "calls the closest function of the workspace")


def check(index, ctx) -> Iterator[Problem]:
    if not index.complete or index.exported:  # an export's missing callee was left out of its files
        return
    closest = Suggester(index.functions)
    for call in index.calls:
        if index.exists(call.callee) or not call.callee:  # an empty name is XR003's
            continue
        close = closest(call.callee)
        message = f"`function.run \"{call.callee}\"`: no function of that name in the workspace"
        fix = None
        if close:
            message += f"; did you mean `{close}`?"
            if call.pos[0] == call.pos[2] and call.pos[3] - call.pos[1] > len("function.run"):  # the name too
                fix = replace(call.pos, f"function.run {quoted(close)}", f"Call `{close}`", UNSAFE)
        yield Problem(call.pos, message, fix, call.path, call.obj, (call.callee,))
