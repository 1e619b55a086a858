"""The chain a task or an endpoint runs: the functions it calls (its ``Tasks/`` function, the
``Workers/`` below...) as a tree, and the tables the whole chain reads and writes."""

from __future__ import annotations

from dataclasses import dataclass, field

from xanoctl.views.graph import Graph, Node


@dataclass
class Step:
    """One function of a chain. ``repeat``: already shown earlier in the chain (not expanded
    again); ``cycle``: it calls back into its own branch."""

    name: str
    missing: bool = False
    cycle: bool = False
    repeat: bool = False
    calls: list["Step"] = field(default_factory=list)

    def as_json(self) -> dict:
        item: dict = {"function": self.name}
        for flag in ("missing", "cycle", "repeat"):
            if getattr(self, flag):
                item[flag] = True
        item["calls"] = [step.as_json() for step in self.calls]
        return item


@dataclass
class Chain:
    root: Node
    steps: list[Step]  # what the root calls directly
    functions: list[str]  # every function reached, first seen first
    reads: list[str]  # tables, sorted
    writes: list[str]


def chain(graph: Graph, root: Node) -> Chain:
    functions: list[str] = []
    reads: set[str] = set()
    writes: set[str] = set()
    seen: set[str] = set()

    def tables(node_id: str) -> None:
        for edge in graph.out_edges(node_id):
            if edge.kind in ("reads", "writes"):
                (reads if edge.kind == "reads" else writes).add(graph.nodes[edge.target].name)

    def steps(node_id: str, branch: tuple[str, ...]) -> list[Step]:
        out: list[Step] = []
        first: dict[str, int] = {}  # in the order of the calls
        for edge in graph.out_edges(node_id):
            if graph.nodes[edge.target].kind == "function":
                first[edge.target] = min(first.get(edge.target, edge.line), edge.line)
        for target in sorted(first, key=lambda t: (first[t], t)):
            node = graph.nodes[target]
            step = Step(node.name, missing=node.missing)
            out.append(step)
            if node.missing:
                continue
            if target in branch:
                step.cycle = True
            elif target in seen:
                step.repeat = True
            else:
                seen.add(target)
                functions.append(node.name)
                tables(target)
                step.calls = steps(target, branch + (target,))
        return out

    tables(root.id)
    top = steps(root.id, (root.id,))
    return Chain(root, top, functions, sorted(reads), sorted(writes))


def tree_lines(steps: list[Step], prefix: str = "") -> list[str]:
    """The chain as an indented tree of function names."""
    lines: list[str] = []
    for number, step in enumerate(steps):
        last = number == len(steps) - 1
        note = "  (missing)" if step.missing else "  (cycle)" if step.cycle else "  (see above)" if step.repeat else ""
        lines.append(f"{prefix}{'└── ' if last else '├── '}{step.name}{note}")
        lines.extend(tree_lines(step.calls, prefix + ("    " if last else "│   ")))
    return lines
