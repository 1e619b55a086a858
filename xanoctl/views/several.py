"""The graphs of a tree that holds several workspaces (two pulled folders side by side, a
repository of exports), shown together: each workspace keeps its own graph, and its node ids
are prefixed with the workspace's name, ``<workspace>::<id>`` (``v1::function:Tasks/Sync``), so
that two workspaces' ``function:Tasks/Sync`` stay two nodes. A tree holding one workspace is
shown exactly as before, without prefix.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from xanoctl.views import render
from xanoctl.views.graph import Graph, Node, ambiguous, unknown
from xanoctl.views.load import Workspace

SEPARATOR = "::"


def labelled(graph: Graph, workspace: str) -> Graph:
    """``graph`` with every id prefixed ``<workspace>::`` and every node and edge marked with
    its workspace."""
    ids = {ident: f"{workspace}{SEPARATOR}{ident}" for ident in graph.nodes}
    nodes = {ids[ident]: dataclasses.replace(node, id=ids[ident], workspace=workspace)
             for ident, node in graph.nodes.items()}
    edges = [dataclasses.replace(edge, source=ids[edge.source], target=ids[edge.target], workspace=workspace)
             for edge in graph.edges]
    return Graph(nodes, edges, {key: ids[ident] for key, ident in graph.doc_ids.items()},
                 {ids[ident]: changes for ident, changes in graph.changes.items()})


def merged(graphs: list[Graph]) -> Graph:
    """One graph holding the (labelled) graphs side by side, in their order."""
    nodes: dict[str, Node] = {}
    edges = []
    doc_ids: dict[tuple[str, tuple], str] = {}
    changes = {}
    for graph in graphs:
        nodes.update(graph.nodes)
        edges.extend(graph.edges)
        doc_ids.update(graph.doc_ids)
        changes.update(graph.changes)
    return Graph(nodes, edges, doc_ids, changes)


def resolve_each(graphs: dict[str, Graph], name: str) -> list[Node]:
    """The node ``name`` names in each workspace that has one (``graphs``: labelled, by
    workspace). ``name`` is an id with its workspace (``v1::function:X``), a workspace and a
    name (``v1::X``), or an id or a name alone, looked up in every workspace: an object of
    that name in two workspaces gives both. A name that is ambiguous inside a workspace, or
    found nowhere, is a :class:`UsageError`."""
    workspace, separator, rest = name.partition(SEPARATOR)
    if separator and workspace in graphs:
        graphs, name = {workspace: graphs[workspace]}, rest
    found: list[Node] = []
    for workspace, graph in graphs.items():
        full = f"{workspace}{SEPARATOR}{name}"
        nodes = graph.find(full if full in graph.nodes else name)
        if len(nodes) > 1:
            raise ambiguous(name, nodes)
        found.extend(nodes)
    if not found:
        where = "workspace " + next(iter(graphs)) if len(graphs) == 1 else "workspaces " + ", ".join(graphs)
        raise unknown(name, (node for graph in graphs.values() for node in graph.nodes.values()), where)
    return found


@dataclass
class Graphs:
    """What ``xanoctl graph`` shows: the graph of each workspace of the tree by name, labelled
    when there are several; ``{None: graph}`` for a tree of one workspace."""

    graphs: dict[str | None, Graph]
    folders: dict[str | None, str]  # each workspace's folder, as shown

    @classmethod
    def of(cls, found: list[Workspace]) -> "Graphs":
        if len(found) == 1:
            return cls({None: found[0].graph}, {None: found[0].path})
        return cls({ws.name: labelled(ws.graph, ws.name) for ws in found},
                   {ws.name: ws.shown(ws.root) for ws in found})

    @property
    def several(self) -> bool:
        return None not in self.graphs

    def resolve(self, name: str) -> list[Node]:
        """The node ``name`` names in each workspace that has one (see :func:`resolve_each`)."""
        return resolve_each(self.graphs, name) if self.several else [self.graphs[None].resolve(name)]

    def reach(self, nodes: list[Node], upstream: bool, depth: int | None) -> "Graphs":
        """Only what reaches the nodes (``upstream``) or what they reach, in their workspaces."""
        return self._only({node.workspace: self.graphs[node.workspace].reach([node.id], upstream, depth)
                           for node in nodes})

    def focus(self, nodes: list[Node], depth: int) -> "Graphs":
        """Only the nodes' neighbourhoods, in their workspaces."""
        return self._only({node.workspace: self.graphs[node.workspace].neighbourhood(node, depth) for node in nodes})

    def _only(self, ids: dict[str | None, set[str]]) -> "Graphs":
        return Graphs({key: self.graphs[key].subgraph(kept) for key, kept in ids.items()},
                      {key: self.folders[key] for key in ids})

    def trees(self, nodes: list[Node], upstream: bool, depth: int | None) -> str:
        """What reaches each node, or what it reaches, as a tree under its workspace's name."""
        parts = ["\n".join(self._header(node.workspace) + render.tree(self.graphs[node.workspace], node, upstream, depth))
                 for node in nodes]
        return "\n\n".join(parts) + "\n"

    def text(self, fmt: str) -> str:
        """The listing (one section per workspace), JSON, mermaid or dot."""
        if fmt == "text":
            return "\n\n".join("\n".join(self._header(key) + render.listing(graph))
                               for key, graph in self.graphs.items()) + "\n"
        graph = merged(list(self.graphs.values()))
        if fmt == "json":
            listed = [{"name": key, "path": folder} for key, folder in self.folders.items()] if self.several else None
            return render.json_text(graph, listed)
        return render.mermaid(graph) if fmt == "mermaid" else render.dot(graph)

    def _header(self, key: str | None) -> list[str]:
        return [] if key is None else [f"Workspace {key} ({self.folders[key]})"]
