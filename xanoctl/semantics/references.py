"""What a document names outside itself: the functions, tasks, tools, middleware, addons... it
calls, and the tables it reads and writes.

One walk of the live statements (disabled ones never run) and of the settings that name objects
(``middleware``, ``addon``, ``join``, the ``tools`` of agents and MCP servers, what a trigger
fires on: a table trigger's ``table``, an agent trigger's ``agent``, an MCP server trigger's
``mcp_server``, a realtime trigger's ``channel``; and what a realtime v2 document belongs to: a
channel's ``realtime_server``, a message's and a channel trigger's server and ``channel``, a
server trigger's server). The graph, the comparisons and the
cross-reference and table rules all read these references; none walks the statements again.

>>> from xanoctl.language.parser import parse_document
>>> doc = parse_document('function "a" {\\n  stack {\\n    db.get user {\\n      field_name = "id"\\n'
...                      '      field_value = 1\\n    } as $u\\n    function.run "b" as $r\\n  }\\n}\\n')
>>> [(ref.kind, ref.name, ref.mode) for ref in references(doc)]
[('table', 'user', 'read'), ('function', 'b', 'call')]
"""

from __future__ import annotations

from typing import Iterable, Iterator, NamedTuple

from xanoctl.language.model import ArrayLit, Document, Expr, Literal, ObjectLit, Statement
from xanoctl.semantics.statements import document_statements

# a trigger's kind -> the setting naming what it fires on, and the kind of that object
TRIGGERED_BY = {
    "table_trigger": ("table", "table"),
    "agent_trigger": ("agent", "agent"),
    "mcp_server_trigger": ("mcp_server", "mcp_server"),
    "realtime_trigger": ("channel", "realtime_channel"),
}

# a realtime v2 document's kind -> its settings naming what it belongs to: (setting, the kind it
# names, mode): ``on`` what runs it (a message runs when a client sends it on its channel, a
# trigger on its channel's or server's events), ``in`` the server it is part of
PARENTS = {
    "channel": (("realtime_server", "realtime_server", "in"),),
    "message": (("realtime_server", "realtime_server", "in"), ("channel", "channel", "on")),
    "channel_trigger": (("realtime_server", "realtime_server", "in"), ("channel", "channel", "on")),
    "realtime_server_trigger": (("realtime_server", "realtime_server", "on"),),
}

# calling statements -> the kind of object they name
CALLS = {
    "function.run": "function",
    "function.call": "function",
    "task.call": "task",
    "tool.call": "tool",
    "trigger.call": "trigger",
    "middleware.call": "middleware",
    "addon.call": "addon",
    "workflow_test.call": "workflow_test",
    "api.call": "query",
    "ai.agent.run": "agent",
}

READS = frozenset({"db.query", "db.get", "db.has", "db.count", "db.schema"})
WRITES = frozenset({"db.add", "db.edit", "db.patch", "db.add_or_edit", "db.del", "db.truncate",
                    "db.bulk.add", "db.bulk.patch", "db.bulk.update", "db.bulk.delete"})


class Reference(NamedTuple):  # a tuple: thousands of them go through the cache
    """One name of another object. ``kind``: function, task, tool, trigger, middleware, addon,
    workflow_test, query (``api.call``), agent, mcp_server, realtime_channel, realtime_server,
    channel or table. ``mode``: ``call`` (runs it), ``read`` or ``write`` (a table), ``uses``
    (middleware of the document, an agent's tools), ``on`` (what a trigger fires on: its table,
    agent, MCP server, channel or realtime server; the channel a message is sent on), ``in`` (the
    realtime server a channel, a message or a channel trigger is part of). ``via``: the statement
    kind or the setting that names it (``function.run``, ``db.query``, ``join``, ``addon``,
    ``middleware``, ``tools``, ``table``, ``agent``, ``mcp_server``, ``channel``,
    ``realtime_server``). ``name`` is exactly as written (``""`` when empty);
    ``verb`` and ``group`` (its ``api_group``) only for ``api.call``. ``pos`` is where the name
    stands: (line, column, end_line, end_column), a plain tuple (a model Pos, a named tuple, costs
    ten times as much to pickle)."""

    kind: str
    name: str
    mode: str
    via: str
    pos: tuple[int, int, int, int]
    verb: str | None = None
    group: str | None = None


def table_mode(kind: str) -> str | None:
    """``read`` or ``write`` for a ``db.*`` statement kind that names a table, else None."""
    if kind in READS:
        return "read"
    if kind in WRITES or kind.startswith("db.bulk."):
        return "write"
    return None


def references(doc: Document, live: Iterable[Statement] | None = None) -> list[Reference]:
    """Every reference of the document, in source order (``live``: its live statements, when
    they are listed already)."""
    found: list[Reference] = []
    found.extend(_middleware(doc.value("middleware"), "middleware"))
    if doc.kind in ("agent", "mcp_server"):
        found.extend(_named_items(doc.value("tools"), "tool", "uses", "tools"))
    elif doc.kind in TRIGGERED_BY:
        setting, kind = TRIGGERED_BY[doc.kind]
        owner = _text(doc.value(setting))
        if owner is not None:
            found.append(Reference(kind, channel_name(owner[0]) if kind == "realtime_channel" else owner[0],
                                   "on", setting, owner[1]))
    elif doc.kind in PARENTS:
        for setting, kind, mode in PARENTS[doc.kind]:
            owner = _text(doc.value(setting))
            if owner is not None:
                found.append(Reference(kind, owner[0], mode, setting, owner[1]))
    for stmt in document_statements(doc) if live is None else live:
        if stmt.kind in CALLS or stmt.kind.startswith("db."):  # what names another object
            found.extend(_statement(stmt))
    found.sort(key=lambda ref: (ref.pos[0], ref.pos[1]))
    return found


def channel_name(text: str) -> str:
    """A realtime trigger's ``channel`` as the channel is named: exports write it with the
    channel's id in front (``"47286766384427|test1"``)."""
    head, bar, tail = text.partition("|")
    return tail if bar and head.isdigit() else text


def _statement(stmt: Statement) -> Iterator[Reference]:
    kind = stmt.kind
    target = stmt.target
    pos = tuple(stmt.target_pos or stmt.pos)
    if kind in CALLS:
        if isinstance(target, str):
            if kind == "api.call":
                group = _text(stmt.value("api_group"))
                yield Reference("query", target, "call", kind, pos, stmt.verb, group[0] if group else None)
            else:
                yield Reference(CALLS[kind], target, "call", kind, pos)
        return
    if not kind.startswith("db."):
        return
    mode = table_mode(kind)
    if mode is not None and isinstance(target, str):
        yield Reference("table", target, mode, kind, pos)
    join = stmt.value("join")
    if isinstance(join, ObjectLit):
        for entry in join.entries:
            if not entry.disabled and isinstance(entry.value, ObjectLit):
                table = _text(entry.value.get("table"))
                if table is not None:
                    yield Reference("table", table[0], "read", "join", table[1])
    yield from _named_items(stmt.value("addon"), "addon", "call", "addon")


def _middleware(value: Expr | None, via: str) -> Iterator[Reference]:
    """``{pre: [{name: "x"}], post: [...]}``, also nested one level per kind of object (the
    workspace's ``{function: {pre: [...]}, query: {...}}``)."""
    if not isinstance(value, ObjectLit):
        return
    for entry in value.entries:
        if entry.disabled:
            continue
        if entry.key in ("pre", "post"):
            yield from _named_items(entry.value, "middleware", "uses", via)
        elif isinstance(entry.value, ObjectLit):
            yield from _middleware(entry.value, via)


def _named_items(value: Expr | None, kind: str, mode: str, via: str) -> Iterator[Reference]:
    """The ``name`` of each object of a list (``[{name: "x", ...}]``); a plain string item
    names one too (``tools = ["x"]``)."""
    if not isinstance(value, ArrayLit):
        return
    for item in value.items:
        name = _text(item.get("name")) if isinstance(item, ObjectLit) else _text(item)
        if name is not None:
            yield Reference(kind, name[0], mode, via, name[1])


def _text(expr: Expr | None) -> tuple[str, tuple[int, int, int, int]] | None:
    if isinstance(expr, Literal) and isinstance(expr.value, str) and expr.kind in ("string", "ident"):
        return expr.value, tuple(expr.pos)
    return None
