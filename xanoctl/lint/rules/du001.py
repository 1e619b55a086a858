r"""Two documents of a workspace declare the same object.

Xano holds one function, task, table, API group, middleware, addon, agent, tool, MCP server,
workflow test or realtime channel of a name: two files declaring `function "Tasks/Sync"` (a
copy made to try something, a file moved by hand and also pulled again) are two versions of
one object, and a push of either overwrites the other. Each declaration is reported, naming
the others. Endpoints are RT001's (the same verb and route in one API group); triggers are
named within their table, agent or channel, and are left alone.

Bad::

    function "Utils/Sum" {
      input {
      }
      stack {
        var $r { value = 1 }
      }
      response = $r
    }
    ---
    function "Utils/Sum" {
      input {
      }
      stack {
        var $r { value = 2 }
      }
      response = $r
    }

Good::

    function "Utils/Sum" {
      input {
      }
      stack {
        var $r { value = 1 }
      }
      response = $r
    }
    ---
    function "Utils/Sum v2" {
      input {
      }
      stack {
        var $r { value = 2 }
      }
      response = $r
    }
"""

from __future__ import annotations

import os
from collections import defaultdict
from typing import Iterator

from xanoctl.lint.finding import Problem

CODE = "DU001"
NAME = "duplicate-object"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "workspace"

# the kinds whose names are unique in a workspace (what the message calls them)
_KINDS = {
    "function": "function", "task": "task", "table": "table", "api_group": "API group",
    "middleware": "middleware", "addon": "addon", "agent": "agent", "tool": "tool", "mcp_server": "MCP server",
    "workflow_test": "workflow test", "realtime_channel": "realtime channel",
}


def check(index, ctx) -> Iterator[Problem]:
    declared: dict[tuple[str, str], list] = defaultdict(list)
    for doc in index.every_document:
        if doc.kind in _KINDS:
            declared[(doc.kind, doc.name)].append(doc)
    for (kind, name), docs in declared.items():
        if len(docs) < 2:
            continue
        for doc in docs:
            if not index.in_focus(doc.path):
                continue
            others = [other for other in docs if other is not doc]
            where = ", ".join(_where(other, doc) for other in others[:3])
            more = f" and {len(others) - 3} more" if len(others) > 3 else ""
            label = _KINDS[kind]
            message = (f"{label} `{name}` is declared {len(docs)} times in the workspace (also {where}{more}): "
                       f"Xano keeps one {label} of a name; rename or remove the copies")
            yield Problem(doc.pos, message, None, doc.path, doc.obj, (name,) if kind == "function" else ())


def _where(other, doc) -> str:
    if other.path == doc.path:
        return f"on line {other.pos[0]}"
    shown = os.path.relpath(other.path, os.path.dirname(doc.path))
    return f"in {shown.replace(os.sep, '/')}"
