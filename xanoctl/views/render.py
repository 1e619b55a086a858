"""The graph as text (a listing, or a tree of what reaches or is reached), JSON, mermaid and
dot. Every output is sorted: the same graph always gives the same bytes."""

from __future__ import annotations

import json
from itertools import groupby

from xanoctl.views.graph import Edge, Graph, Node

# ---------------------------------------------------------------------------- JSON


def as_json(graph: Graph, workspaces: list[dict] | None = None) -> dict:
    """``{"nodes": [{"id", "kind", "name", "path"}], "edges": [{"from", "to", "kind", "path",
    "line"}]}``; a missing object's node also has ``"missing": true`` (and ``"path": null``), a
    node that changes states ``"states": [{"column", "from", "to", "line"}]`` (``from``:
    ``"[*]"`` for a new row, null when the code does not tell; ``to`` null for a computed value).
    A graph of several workspaces (``workspaces``: ``[{"name", "path"}]``, listed first) has
    ``"workspace"`` on each node and edge."""
    nodes = []
    for node in graph.nodes.values():
        item = {"id": node.id, "kind": node.kind, "name": node.name, "path": node.path}
        if node.missing:
            item["missing"] = True
        if node.workspace is not None:
            item["workspace"] = node.workspace
        if node.id in graph.changes:
            item["states"] = [{"column": c.column, "from": c.source, "to": c.target, "line": c.line}
                              for c in graph.changes[node.id]]
        nodes.append(item)
    edges = []
    for e in graph.edges:
        item = {"from": e.source, "to": e.target, "kind": e.kind, "path": e.path, "line": e.line}
        if e.workspace is not None:
            item["workspace"] = e.workspace
        edges.append(item)
    if workspaces is not None:
        return {"workspaces": workspaces, "nodes": nodes, "edges": edges}
    return {"nodes": nodes, "edges": edges}


def json_text(graph: Graph, workspaces: list[dict] | None = None) -> str:
    """The JSON document, one node, edge or workspace a line (readable, diffable, and fast to
    write)."""
    data = as_json(graph, workspaces)
    parts = []
    for key in data:
        items = ",\n".join("    " + json.dumps(item, ensure_ascii=False) for item in data[key])
        parts.append(f'  "{key}": [\n{items}\n  ]' if items else f'  "{key}": []')
    return "{\n" + ",\n".join(parts) + "\n}\n"


# ---------------------------------------------------------------------------- text


def listing(graph: Graph) -> list[str]:
    """Each object that refers to others, with its references (kind, target, line)."""
    missing = sum(1 for node in graph.nodes.values() if node.missing)
    lines = [f"{len(graph.nodes)} objects ({missing} missing), {len(graph.edges)} references"]
    for source, edges in groupby(graph.edges, key=lambda e: e.source):
        node = graph.nodes[source]
        lines.append("")
        lines.append(f"{node.id}  ({node.path})")
        for (kind, target), same in groupby(edges, key=lambda e: (e.kind, e.target)):
            mark = "  (missing)" if graph.nodes[target].missing else ""
            lines.append(f"  {kind:<7} {target}  ({_lines(list(same))}){mark}")
        lines.extend(f"  {'state':<7} {change.text}  (line {change.line})" for change in graph.changes.get(source, ()))
    lonely = [node for node in graph.nodes.values() if not node.missing and node.kind != "api_group"
              and not graph.out_edges(node.id) and not graph.in_edges(node.id)]
    if lonely:
        lines.append("")
        lines.append("Not referring and not referred to:")
        lines.extend(f"  {node.id}" for node in lonely)
    return lines


def tree(graph: Graph, root: Node, upstream: bool, depth: int | None = None) -> list[str]:
    """What reaches ``root`` (``upstream``: its callers, theirs... up to the tasks and
    endpoints) or what it reaches, as an indented tree. A node already on the branch is marked
    ``(cycle)``; one already expanded elsewhere ``(see above)``."""
    lines = [root.id + ("  (missing)" if root.missing else "")]
    expanded: set[str] = {root.id}

    def walk(node_id: str, prefix: str, branch: tuple[str, ...], level: int) -> None:
        edges = graph.in_edges(node_id) if upstream else graph.out_edges(node_id)
        by_other: dict[str, list[Edge]] = {}
        for edge in edges:
            by_other.setdefault(edge.source if upstream else edge.target, []).append(edge)
        others = sorted(by_other)
        for number, other in enumerate(others):
            last = number == len(others) - 1
            same = by_other[other]
            kinds = "/".join(sorted({e.kind for e in same}))
            note = ""
            if graph.nodes[other].missing:
                note = "  (missing)"
            elif other in branch:
                note = "  (cycle)"
            elif other in expanded and (graph.in_edges(other) if upstream else graph.out_edges(other)):
                note = "  (see above)"
            lines.append(f"{prefix}{'└── ' if last else '├── '}{other}  ({kinds}, {_lines(same)}){note}")
            if note or (depth is not None and level + 1 >= depth):
                continue
            expanded.add(other)
            walk(other, prefix + ("    " if last else "│   "), branch + (other,), level + 1)

    if depth is None or depth > 0:
        walk(root.id, "", (root.id,), 0)
    if len(lines) == 1:
        lines.append("  (nothing reaches it)" if upstream else "  (it reaches nothing)")
    changes = graph.changes.get(root.id, ())
    if changes:
        lines += ["", f"State changes {root.id} makes:"]
        lines += [f"  {change.text}  (line {change.line})" for change in changes]
    return lines


def _lines(edges: list[Edge]) -> str:
    numbers = sorted({e.line for e in edges})
    if len({e.path for e in edges}) > 1:
        return ", ".join(f"{e.path}:{e.line}" for e in sorted(set(edges), key=lambda e: (e.path, e.line)))
    return ("line " if len(numbers) == 1 else "lines ") + ", ".join(map(str, numbers))


# ---------------------------------------------------------------------------- drawings


def _clusters(graph: Graph) -> list[tuple[str | None, list[tuple[str, list[Node]]]]]:
    """The drawn nodes (API groups are the clusters of their endpoints, not nodes) by
    workspace (None: a graph of one workspace), then by folder."""
    drawn = sorted((n for n in graph.nodes.values() if n.kind != "api_group"),
                   key=lambda n: (n.workspace or "", n.folder, n.id))
    return [(workspace, [(folder, list(nodes)) for folder, nodes in groupby(same, key=lambda n: n.folder)])
            for workspace, same in groupby(drawn, key=lambda n: n.workspace)]


def _drawn_edges(graph: Graph) -> list[tuple[str, str, str]]:
    """One arrow per (from, to, kind)."""
    seen: dict[tuple[str, str, str], None] = {}
    for edge in graph.edges:
        seen.setdefault((edge.source, edge.target, edge.kind))
    return list(seen)


_MERMAID_SHAPES = {"task": ('[/"', '"/]'), "query": ('(["', '"])'), "table": ('[("', '")]'),
                   "middleware": ('{{"', '"}}')}
MERMAID_ARROWS = {"reads": "-.->", "writes": "==>"}


def mermaid(graph: Graph) -> str:
    """A mermaid flowchart: folders as subgraphs (inside one subgraph per workspace when the
    graph holds several); tasks, endpoints, tables and middleware
    in their own shapes; missing objects dashed."""
    ids: dict[str, str] = {}
    lines = ["flowchart LR"]
    number = 0
    for outer, (workspace, clusters) in enumerate(_clusters(graph)):
        indent = "  " if workspace is None else "    "
        if workspace is not None:
            lines.append(f'  subgraph w{outer}["{mermaid_text(workspace)}"]')
        for folder, nodes in clusters:
            lines.append(f'{indent}subgraph c{number}["{mermaid_text(folder)}"]')
            number += 1
            for node in nodes:
                ids[node.id] = f"n{len(ids)}"
                start, end = _MERMAID_SHAPES.get(node.kind, ('["', '"]'))
                text = node.label + (" (missing)" if node.missing else "")
                lines.append(f"{indent}  {ids[node.id]}{start}{mermaid_text(text)}{end}")
            lines.append(f"{indent}end")
        if workspace is not None:
            lines.append("  end")
    for source, target, kind in _drawn_edges(graph):
        if source in ids and target in ids:
            lines.append(f"  {ids[source]} {MERMAID_ARROWS.get(kind, '-->')}|{kind}| {ids[target]}")
    missing = [ids[n.id] for n in graph.nodes.values() if n.missing and n.id in ids]
    if missing:
        lines.append("  classDef missing stroke-dasharray: 5 5")
        lines.append(f"  class {','.join(missing)} missing")
    return "\n".join(lines) + "\n"


def mermaid_text(text: str) -> str:
    """Text inside a quoted mermaid label: quotes and the characters mermaid reads as markup
    become entity codes."""
    return "".join(_MERMAID_ESCAPES.get(char, char) for char in text)


_MERMAID_ESCAPES = {'"': "#quot;", "#": "#35;", "<": "#lt;", ">": "#gt;", "`": "#96;"}

_DOT_SHAPES = {"task": "cds", "query": "ellipse", "table": "cylinder", "middleware": "hexagon"}
_DOT_STYLES = {"reads": "dashed", "writes": "bold"}


def dot(graph: Graph) -> str:
    """A Graphviz digraph: folders as clusters (inside one cluster per workspace when the
    graph holds several), node ids as dot ids, edge kinds as labels."""
    lines = ["digraph workspace {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];',
             '  edge [fontname="Helvetica", fontsize=10];']
    drawn: set[str] = set()
    number = 0
    for outer, (workspace, clusters) in enumerate(_clusters(graph)):
        indent = "  " if workspace is None else "    "
        if workspace is not None:
            lines += [f"  subgraph cluster_w{outer} {{", f"    label={_dot_text(workspace)};"]
        for folder, nodes in clusters:
            lines.append(f"{indent}subgraph cluster_{number} {{")
            lines.append(f"{indent}  label={_dot_text(folder)};")
            number += 1
            for node in nodes:
                drawn.add(node.id)
                attrs = [f"label={_dot_text(node.label)}", f"shape={_DOT_SHAPES.get(node.kind, 'box')}"]
                if node.missing:
                    attrs.append('style=dashed, color="red"')
                lines.append(f"{indent}  {_dot_text(node.id)} [{', '.join(attrs)}];")
            lines.append(f"{indent}}}")
        if workspace is not None:
            lines.append("  }")
    for source, target, kind in _drawn_edges(graph):
        if source in drawn and target in drawn:
            style = f", style={_DOT_STYLES[kind]}" if kind in _DOT_STYLES else ""
            lines.append(f"  {_dot_text(source)} -> {_dot_text(target)} [label={kind}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
