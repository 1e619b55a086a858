"""The workspace graph: every document as a node, every reference it makes as an edge.

Built from the lint engine's workspace index (the per-document references of
:mod:`xanoctl.semantics.references`), so nothing is parsed or walked again. Node ids are the
JSON contract of ``xanoctl graph``: ``function:<name>``, ``task:<name>``, ``table:<name>``,
``middleware:<name>``, ``api_group:<name>``, ``query:<api group>:<VERB>:<name>``,
``message:<channel>:<name>`` and ``channel_trigger:<channel>:<name>`` (a realtime v2 channel's:
names repeat from one channel to the next) and ``<kind>:<name>`` for the other kinds (addon,
tool, agent, trigger, realtime_server, channel...). A reference to an object that no document
defines is an edge to a node marked ``missing``.

Edge kinds: ``runs`` (a task calls a function), ``serves`` (an endpoint calls a function),
``calls`` (any other call), ``reads`` and ``writes`` (a table), ``uses`` (middleware, the tools
of an agent or an MCP server, addons, the realtime server a channel, a message or a channel
trigger is part of), ``triggers`` (from what a trigger fires on to the trigger: a table to its
table triggers, an agent, an MCP server, a realtime channel or server to theirs; a realtime v2
channel to its messages, which run when a client sends them on it). A write to a table reaches
its triggers; a read does not (:meth:`Graph.reach`).

Each node also carries the state changes its document makes (:class:`StateChange`, from the
index's state machines, :mod:`xanoctl.semantics.machines`).
"""

from __future__ import annotations

import difflib
import os
from collections import deque
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePath
from typing import Callable, Iterable, NamedTuple

from xanoctl.errors import UsageError
from xanoctl.lint.facts import DocFact
from xanoctl.lint.index import WorkspaceIndex

EDGE_KINDS = ("runs", "serves", "calls", "reads", "writes", "uses", "triggers")
# edges that make something run: what "reaches" an object follows these and the table edges
CALL_EDGES = frozenset({"runs", "serves", "calls"})


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    kind: str
    name: str
    path: str | None  # as shown (see build); None for a missing object
    missing: bool = False
    verb: str | None = None  # endpoints
    group: str | None = None  # endpoints: the API group
    workspace: str | None = None  # its workspace, when the tree holds several (xanoctl.views.several)

    @property
    def folder(self) -> str:
        """The cluster the node is drawn in: a function's top folder (``Workers/``), the API
        group of an endpoint, or one cluster per kind."""
        if self.kind == "function":
            return self.name.split("/", 1)[0] + "/" if "/" in self.name else "functions (no folder)"
        if self.kind == "query":
            return f"API {self.group}" if self.group else "API (no group)"
        return _CLUSTERS.get(self.kind, self.kind)

    @property
    def label(self) -> str:
        """The name a reader knows it by (``POST tasks/sync`` for an endpoint)."""
        if self.kind == "query":
            return f"{self.verb} {self.name}" if self.verb else self.name
        return self.name


_CLUSTERS = {"task": "Background tasks", "table": "Tables", "middleware": "Middleware",
             "api_group": "API groups", "agent": "AI", "tool": "AI", "mcp_server": "AI",
             "agent_trigger": "Triggers", "mcp_server_trigger": "Triggers", "table_trigger": "Triggers",
             "workspace_trigger": "Triggers", "realtime_trigger": "Triggers", "realtime_channel": "Realtime",
             "error_trigger": "Triggers", "realtime_server_trigger": "Triggers", "channel_trigger": "Triggers",
             "realtime_server": "Realtime", "channel": "Realtime", "message": "Realtime",
             "addon": "Add-ons", "workflow_test": "Workflow tests", "workspace": "Workspace", "branch": "Workspace"}


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    kind: str
    path: str  # the file of the referring document, as shown
    line: int
    workspace: str | None = None  # as Node.workspace


class StateChange(NamedTuple):
    """A write of a state column: ``column`` is ``table.column``; ``source`` the state the row
    was in (``"[*]"``: a new row; None: the code does not tell), ``target`` the state written
    (None: a computed value)."""

    column: str
    source: str | None
    target: str | None
    line: int

    @property
    def text(self) -> str:
        source = "?" if self.source is None else self.source
        target = "(a computed value)" if self.target is None else self.target
        return f"{self.column}: {source} -> {target}"


@dataclass
class Graph:
    nodes: dict[str, Node]  # by id, sorted by id
    edges: list[Edge]  # sorted
    doc_ids: dict[tuple[str, tuple], str] = field(default_factory=dict)  # (path, pos) of a document -> its id
    changes: dict[str, list[StateChange]] = field(default_factory=dict)  # node id -> its state changes, sorted
    _out: dict[str, list[Edge]] = field(default_factory=dict, repr=False)
    _in: dict[str, list[Edge]] = field(default_factory=dict, repr=False)
    _out_at: dict[str, list[int]] = field(default_factory=dict, repr=False)  # positions in ``edges``

    def __post_init__(self) -> None:
        for at, edge in enumerate(self.edges):
            self._out.setdefault(edge.source, []).append(edge)
            self._in.setdefault(edge.target, []).append(edge)
            self._out_at.setdefault(edge.source, []).append(at)

    def out_edges(self, node_id: str) -> list[Edge]:
        return self._out.get(node_id, [])

    def in_edges(self, node_id: str) -> list[Edge]:
        return self._in.get(node_id, [])

    def of_kind(self, kind: str) -> list[Node]:
        return [node for node in self.nodes.values() if node.kind == kind]

    # ------------------------------------------------------------------ selections

    def find(self, name: str) -> list[Node]:
        """The nodes ``name`` names: the node of that exact id, else those of that name (exact,
        then ignoring case); empty when none."""
        if name in self.nodes:
            return [self.nodes[name]]
        for same in (lambda node: node.name == name, lambda node: node.name.lower() == name.lower()):
            found = [node for node in self.nodes.values() if same(node)]
            if found:
                return found
        return []

    def resolve(self, name: str) -> Node:
        """The node named by an exact id, else by an unambiguous name (exact, then ignoring
        case); a :class:`UsageError` that lists the candidates otherwise."""
        found = self.find(name)
        if len(found) == 1:
            return found[0]
        if found:
            raise ambiguous(name, found)
        raise unknown(name, self.nodes.values(), "the workspace")

    def reach(self, start: Iterable[str], upstream: bool, depth: int | None = None) -> set[str]:
        """The ids reached from ``start`` (included) following edges forwards, or backwards
        with ``upstream``, at most ``depth`` steps. A table's triggers are reached through a
        write to it, not a read: a table reached by reads only goes no further down to its
        triggers, and up from a trigger a table leads to its writers only."""
        full: dict[str, bool] = {node_id: True for node_id in start}  # reached other than by the narrow way
        queue = deque((node_id, 0, True) for node_id in full)
        while queue:
            node_id, steps, wide = queue.popleft()
            if depth is not None and steps >= depth:
                continue
            edges = self.in_edges(node_id) if upstream else self.out_edges(node_id)
            for edge in edges:
                if not wide and edge.kind != ("writes" if upstream else "reads") and (upstream or edge.kind == "triggers"):
                    continue  # down from a table only read: not to its triggers; up from a trigger: writers only
                other = edge.source if upstream else edge.target
                narrow = edge.kind == ("triggers" if upstream else "reads") and self.nodes.get(other, _NONE).kind == "table"
                if other not in full or (full[other] is False and not narrow):
                    full[other] = not narrow
                    queue.append((other, steps + 1, not narrow))
        return set(full)

    @cached_property
    def _members(self) -> dict[str | None, list[str]]:
        """API group name -> the ids of its endpoints, in the graph's order."""
        members: dict[str | None, list[str]] = {}
        for node in self.nodes.values():
            if node.kind == "query":
                members.setdefault(node.group, []).append(node.id)
        return members

    @cached_property
    def _docs_of(self) -> dict[str, list[tuple[int, tuple]]]:
        """Node id -> the ``doc_ids`` keys of its documents, each with its place there."""
        docs: dict[str, list[tuple[int, tuple]]] = {}
        for number, (key, ident) in enumerate(self.doc_ids.items()):
            docs.setdefault(ident, []).append((number, key))
        return docs

    @cached_property
    def _node_at(self) -> dict[str, int]:
        """Node id -> its place in ``nodes``."""
        return {ident: number for number, ident in enumerate(self.nodes)}

    def members(self, group_node: Node) -> list[str]:
        """The endpoints of an API group, in the graph's order."""
        return list(self._members.get(group_node.name, ()))

    def neighbourhood(self, node: Node, depth: int) -> set[str]:
        """What reaches the node and what it reaches, ``depth`` steps each way (an API group:
        its endpoints')."""
        start = self.members(node) if node.kind == "api_group" else [node.id]
        return {node.id} | self.reach(start, True, depth) | self.reach(start, False, depth)

    def subgraph(self, ids: set[str]) -> "Graph":
        """The nodes ``ids`` and the edges between them, in the graph's order (the edges found
        from their sources: the manual draws a hundred small subgraphs of a large graph)."""
        edges = self.edges
        at = sorted(k for i in ids for k in self._out_at.get(i, ()) if edges[k].target in ids)
        kept = sorted((i for i in ids if i in self.nodes), key=self._node_at.__getitem__)  # in the graph's order
        keys = sorted(entry for i in kept for entry in self._docs_of.get(i, ()))  # in the graph's order
        return Graph({i: self.nodes[i] for i in kept}, [edges[k] for k in at],
                     {key: self.doc_ids[key] for _, key in keys},
                     {i: self.changes[i] for i in kept if i in self.changes})

    def id_of(self, doc: DocFact) -> str:
        """The id of the node a document of the index is."""
        return self.doc_ids[doc.path, doc.pos]


_NONE = Node("", "", "", None)


def ambiguous(name: str, found: list[Node]) -> UsageError:
    ids = ", ".join(node.id for node in found[:8])
    more = f" and {len(found) - 8} more" if len(found) > 8 else ""
    return UsageError(f"{name!r} is ambiguous: it names {ids}{more}; give the id")


def unknown(name: str, nodes: Iterable[Node], where: str) -> UsageError:
    close = difflib.get_close_matches(name, sorted({node.name for node in nodes}), n=3)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return UsageError(f"no object named {name!r} in {where}{hint}")


# ---------------------------------------------------------------------------- building


CHANNELED = ("message", "channel_trigger")  # realtime v2 documents known by their channel and name


def node_id(kind: str, name: str, group: str | None = None, verb: str | None = None) -> str:
    """A node's id; ``group``: an endpoint's API group, a message's (a channel trigger's) channel."""
    if kind == "query":
        return f"query:{group or ''}:{verb or ''}:{name}"
    if kind in CHANNELED:
        return f"{kind}:{group or ''}:{name}"
    return f"{kind}:{name}"


def _channel(doc: DocFact) -> str | None:
    """The channel a message or a channel trigger names (its ``channel`` setting's reference)."""
    return next((ref.name for ref in doc.refs if ref.via == "channel" and ref.kind == "channel"), None)


def endpoint_group(doc: DocFact, root: str | None, group_folders: dict[str, str]) -> str | None:
    """Its ``api_group`` setting, else the group whose ``api_group`` document is in its folder
    (or a folder above it), else the folder under ``api/`` (``apis/``) that holds it."""
    if doc.group:
        return doc.group
    folder = os.path.dirname(doc.path)
    while folder and (root is None or folder.startswith(root)):
        if folder in group_folders:
            return group_folders[folder]
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    parts = PurePath(os.path.relpath(doc.path, root)).parts if root else PurePath(doc.path).parts
    for number, part in enumerate(parts[:-2]):
        if part in ("api", "apis"):
            return parts[number + 1]
    return None


def build(index: WorkspaceIndex, root: str | None = None, show: Callable[[str], str] = str) -> Graph:
    """The graph of the index's documents. ``root``: the workspace folder (an endpoint without
    ``api_group`` belongs to its ``api/<group>/`` folder); ``show`` turns a file's absolute
    path into the path the graph carries."""
    nodes: dict[str, Node] = {}
    docs = sorted(index.documents, key=lambda d: (d.path, d.pos))
    group_folders: dict[str, str] = {}
    for doc in docs:
        if doc.kind == "api_group":
            group_folders.setdefault(os.path.dirname(doc.path), doc.name)
    shown: dict[str, str] = {}
    ids: list[str] = []
    doc_ids: dict[tuple[str, tuple], str] = {}
    endpoints: dict[tuple[str, str | None], list[str]] = {}
    for doc in docs:
        group = endpoint_group(doc, root, group_folders) if doc.kind == "query" else \
            _channel(doc) if doc.kind in CHANNELED else None
        ident = node_id(doc.kind, doc.name, group, doc.verb)
        ids.append(ident)
        doc_ids[doc.path, doc.pos] = ident
        if doc.path not in shown:
            shown[doc.path] = show(doc.path)
        if ident not in nodes:
            nodes[ident] = Node(ident, doc.kind, doc.name, shown[doc.path], verb=doc.verb,
                                group=group if doc.kind == "query" else None)
            if doc.kind == "query":
                endpoints.setdefault((doc.name, (doc.verb or "").upper()), []).append(ident)
    for name, fact in sorted(index.functions.items()):  # defined in a file that does not parse
        if node_id("function", name) not in nodes:
            nodes[node_id("function", name)] = Node(node_id("function", name), "function", name, show(fact.path))
    for node in list(nodes.values()):  # an API group named by its endpoints only
        if node.kind == "query" and node.group and node_id("api_group", node.group) not in nodes:
            ident = node_id("api_group", node.group)
            nodes[ident] = Node(ident, "api_group", node.group, None, missing=True)
    edges: list[Edge] = []
    for doc, source in zip(docs, ids):
        for ref in doc.refs:
            if not ref.name:
                continue  # an empty name is XR003's business
            verb = (ref.verb or "").upper() or None
            if ref.kind == "query":  # api.call: by its api_group, else the one endpoint of that route
                candidates = endpoints.get((ref.name, verb or ""), [])
                target = candidates[0] if not ref.group and len(candidates) == 1 \
                    else node_id("query", ref.name, ref.group, verb)
            else:
                target = node_id(ref.kind, ref.name)
            if target not in nodes:
                nodes[target] = Node(target, ref.kind, ref.name, None, missing=True,
                                     verb=verb if ref.kind == "query" else None,
                                     group=ref.group if ref.kind == "query" else None)
            if ref.mode == "on":  # what the trigger fires on triggers it
                edges.append(Edge(target, source, "triggers", shown[doc.path], ref.pos[0]))
                continue
            edges.append(Edge(source, target, _edge_kind(doc.kind, ref.kind, ref.mode), shown[doc.path],
                              ref.pos[0]))
    edges = sorted(set(edges), key=lambda e: (e.source, e.target, EDGE_KINDS.index(e.kind), e.path, e.line))
    return Graph(dict(sorted(nodes.items())), edges, doc_ids, _changes(index, doc_ids))


def _changes(index: WorkspaceIndex, doc_ids: dict[tuple[str, tuple], str]) -> dict[str, list[StateChange]]:
    """Node id -> the state changes its document makes, by column, line and states."""
    found: dict[str, set[StateChange]] = {}
    for machine in index.machines:
        for doc, write in machine.writes:
            sources = ("[*]",) if write.entry else write.sources if write.sources is not None else (None,)
            for source in sources:
                found.setdefault(doc_ids[doc.path, doc.pos], set()).add(
                    StateChange(machine.name, source, write.value, write.pos[0]))
        for doc, use in machine.computed:
            found.setdefault(doc_ids[doc.path, doc.pos], set()).add(StateChange(machine.name, None, None, use.pos[0]))
    return {ident: sorted(changes, key=lambda c: (c.column, c.line, c.source or "", c.target or ""))
            for ident, changes in sorted(found.items())}


def _edge_kind(source_kind: str, target_kind: str, mode: str) -> str:
    if mode in ("read", "write"):
        return mode + "s"
    if mode in ("uses", "in"):  # (a realtime v2 document uses the server it is part of)
        return "uses"
    if target_kind == "function":
        return {"task": "runs", "query": "serves"}.get(source_kind, "calls")
    return "calls"
