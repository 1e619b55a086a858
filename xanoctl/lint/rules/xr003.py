r"""A call names a function, task, middleware, addon, trigger, tool or agent that is not there.

The workspace does not hold it, or the statement names nothing at all. Checked, beyond
`function.run` (XR001): `function.call`, `task.call`, `tool.call`, `trigger.call`,
`middleware.call`, `addon.call`, `workflow_test.call`, `api.call NAME verb=V` (and its
`api_group`: a group the workspace does not have, or one that has no such endpoint when every
endpoint of that route names its group), `ai.agent.run`, the `addon` list of a database
statement, the `middleware` lists of endpoints, groups, functions, tasks and tools, the `tools`
of agents and MCP servers, what a trigger fires on (an agent trigger's `agent`, an MCP
server trigger's `mcp_server`, a realtime trigger's `channel`; a table trigger's `table` is
DB001's), and what a realtime v2 document belongs to (a channel's `realtime_server`, a
message's or a channel trigger's server and `channel`, a server trigger's server). The call
fails at run time, the middleware never runs, the agent has no such tool, the trigger never
fires, or the message never runs. The message names the closest existing object of that
kind. A name is checked only inside a workspace (as XR001) that holds at least one object of
its kind: a tree pulled without its addons proves nothing about them; nor does Xano's export
(files named after their ids), which writes a deleted object's name as `""`: a named object it
does not hold was left out of its files.

An empty name on a calling statement (`function.run ""`, `task.call ""`, which Xano's tools are
known to leave behind) is always an error. An empty `{name: ""}` in a `middleware` or `tools`
setting is not: it is how Xano exports a slot with nothing chosen, and it runs nothing.

Bad::

    addon user_count {
      input {
        int user_id
      }
      stack {
        db.query post {
          where = $db.post.user_id == $input.user_id
          return = {type: "count"}
        }
      }
    }
    ---
    function "Users/List" {
      input {
      }
      stack {
        db.query user {
          return = {type: "list"}
          addon = [{name: "user_cuont", input: {user_id: $output.id}, as: "posts"}]
        } as $users
      }
      response = $users
    }

Good::

    addon user_count {
      input {
        int user_id
      }
      stack {
        db.query post {
          where = $db.post.user_id == $input.user_id
          return = {type: "count"}
        }
      }
    }
    ---
    function "Users/List" {
      input {
      }
      stack {
        db.query user {
          return = {type: "list"}
          addon = [{name: "user_count", input: {user_id: $output.id}, as: "posts"}]
        } as $users
      }
      response = $users
    }
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.lint.suggest import Suggester

CODE = "XR003"
NAME = "unknown-reference"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "workspace"

# the kind of object a reference names -> what the message calls it
_LABELS = {
    "function": "function", "task": "task", "tool": "tool", "trigger": "trigger",
    "middleware": "middleware", "addon": "addon", "workflow_test": "workflow test",
    "query": "endpoint", "agent": "agent", "mcp_server": "MCP server", "realtime_channel": "realtime channel",
    "realtime_server": "realtime server", "channel": "channel",
}


def _kind(doc_kind: str) -> str:
    """The kind of reference a document answers to: every ``*_trigger`` is a trigger."""
    return "trigger" if doc_kind.endswith("_trigger") else doc_kind


def check(index, ctx) -> Iterator[Problem]:
    names: dict[str, set[str]] = defaultdict(set)
    routes: set[tuple[str, str]] = set()
    groups_of: dict[tuple[str, str], set[str | None]] = defaultdict(set)  # a route -> its endpoints' groups
    for doc in index.every_document:
        names[_kind(doc.kind)].add(doc.name)
        if doc.kind == "query" and doc.verb:
            routes.add((doc.name, doc.verb.upper()))
            groups_of[doc.name, doc.verb.upper()].add(doc.group)
    names["function"].update(index.functions)  # also those of files that do not parse
    suggest: dict[str, Suggester] = {}
    for doc in index.documents:
        for ref in doc.refs:
            if ref.kind not in _LABELS or ref.kind == "table":
                continue
            label = _LABELS[ref.kind]
            statement = ref.mode == "call" and ref.via not in ("addon",)
            if not ref.name:
                if statement:
                    yield Problem(ref.pos, f"`{ref.via} \"\"`: names no {label} (an empty name); "
                                           f"name the {label} to call, or delete the statement",
                                  None, doc.path, doc.obj)
                continue
            if ref.via == "function.run" or not index.complete or index.exported or not names[ref.kind]:
                continue
            if ref.kind == "query":
                if ref.name in names["query"] and (ref.verb is None or (ref.name, ref.verb.upper()) in routes):
                    problem = _group_problem(ref, names["api_group"], groups_of, doc)
                    if problem is not None:
                        yield problem
                    continue
            elif ref.name in names[ref.kind]:
                continue
            if ref.kind not in suggest:
                suggest[ref.kind] = Suggester(names[ref.kind])
            close = suggest[ref.kind](ref.name)
            shown = f"{ref.name} verb={ref.verb}" if ref.verb else ref.name
            if statement:
                where = f"`{ref.via} \"{shown}\"`"
            elif ref.mode in ("on", "in"):  # a setting naming what it fires on, or belongs to
                where = f"`{ref.via} = \"{ref.name}\"`"
            else:
                where = f"`{ref.via}` item `{ref.name}`"
            message = f"{where}: no {label} of that name in the workspace"
            if close:
                message += f"; did you mean `{close}`?"
            yield Problem(ref.pos, message, None, doc.path, doc.obj, (ref.name,) if ref.kind == "function" else ())


def _group_problem(ref, groups: set[str], groups_of, doc) -> Problem | None:
    """An ``api.call`` whose ``api_group`` the workspace does not have, or whose route is
    not in that group (only when every endpoint of the route names its group)."""
    if not ref.group or ref.verb is None or not groups:
        return None
    shown = f"`{ref.via} \"{ref.name} verb={ref.verb}\"`"
    if ref.group not in groups:
        close = Suggester(groups)(ref.group)
        hint = f"; did you mean `{close}`?" if close else ""
        return Problem(ref.pos, f"{shown}: no API group `{ref.group}` in the workspace{hint}", None, doc.path, doc.obj)
    owners = groups_of.get((ref.name, ref.verb.upper()), set())
    if owners and None not in owners and ref.group not in owners:
        listed = ", ".join(f"`{g}`" for g in sorted(owners))
        return Problem(ref.pos, f"{shown}: the API group `{ref.group}` has no such endpoint (it is in {listed})",
                       None, doc.path, doc.obj)
    return None
