"""The graphs of a tree that holds several workspaces (two pulled folders side by side, a
repository of exports), shown together: each workspace keeps its own graph, and its node ids
are prefixed with the workspace's name, ``<workspace>::<id>`` (``v1::function:Tasks/Sync``), so
that two workspaces' ``function:Tasks/Sync`` stay two nodes. A tree holding one workspace is
shown exactly as before, without prefix.
"""

from __future__ import annotations

import dataclasses

from xanoctl.views.graph import Graph, Node, ambiguous, unknown

SEPARATOR = "::"


def labelled(graph: Graph, workspace: str) -> Graph:
    """``graph`` with every id prefixed ``<workspace>::`` and every node and edge marked with
    its workspace."""
    ids = {ident: f"{workspace}{SEPARATOR}{ident}" for ident in graph.nodes}
    nodes = {ids[ident]: dataclasses.replace(node, id=ids[ident], workspace=workspace)
             for ident, node in graph.nodes.items()}
    edges = [dataclasses.replace(edge, source=ids[edge.source], target=ids[edge.target], workspace=workspace)
             for edge in graph.edges]
    return Graph(nodes, edges, {key: ids[ident] for key, ident in graph.doc_ids.items()})


def merged(graphs: list[Graph]) -> Graph:
    """One graph holding the (labelled) graphs side by side, in their order."""
    nodes: dict[str, Node] = {}
    edges = []
    doc_ids: dict[tuple[str, tuple], str] = {}
    for graph in graphs:
        nodes.update(graph.nodes)
        edges.extend(graph.edges)
        doc_ids.update(graph.doc_ids)
    return Graph(nodes, edges, doc_ids)


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
