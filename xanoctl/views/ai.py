"""The manual's page of AI and triggers: agents with their model and tools, the tools with their
inputs and what they run, MCP servers with the tools they offer, every trigger with what it
fires on, the events it answers and what it runs, the realtime v2 servers with their channels
and the messages sent on them; a diagram from the agents and MCP servers through their tools to
the functions and tables they reach."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xanoctl.views.manual import _cell, _codes, _count, _diagram, _inputs, _md, _tables_cell

if TYPE_CHECKING:
    from xanoctl.views.graph import Node
    from xanoctl.views.manual import Manual

AI_KINDS = ("agent", "tool", "mcp_server")
TRIGGER_KINDS = ("table_trigger", "workspace_trigger", "error_trigger", "agent_trigger", "mcp_server_trigger",
                 "realtime_trigger", "realtime_server_trigger", "channel_trigger")
REALTIME_KINDS = ("realtime_server", "channel", "message")
ANCHORED = AI_KINDS + TRIGGER_KINDS + REALTIME_KINDS


def page(manual: "Manual") -> list[str]:
    graph = manual.graph
    agents, tools, servers = ([n for n in graph.of_kind(kind) if not n.missing] for kind in AI_KINDS)
    triggers = sorted((n for kind in TRIGGER_KINDS for n in graph.of_kind(kind) if not n.missing),
                      key=lambda n: (n.kind, n.name))
    realtime = [n for n in graph.of_kind("realtime_server") if not n.missing]
    if not (agents or tools or servers or triggers or realtime):
        return ["No agents, tools, MCP servers, triggers or realtime servers."]
    lines = [f"{_count(len(agents), 'agent')}, {_count(len(tools), 'tool')}, {_count(len(servers), 'MCP server')} "
             f"and {_count(len(triggers), 'trigger')}.", ""]
    lines += [manual._h(1, f"Agents ({len(agents)})"), ""]
    for node in agents:
        lines += _agent(manual, node)
    if not agents:
        lines += ["No agents.", ""]
    lines += [manual._h(1, f"Tools ({len(tools)})"), ""]
    if tools:
        lines += ["| Tool | Inputs | Instructions | Runs | Tables | Used by |", "|---|---|---|---|---|---|"]
        for node in tools:
            runs = ", ".join(manual.link(n) for n in manual.callees(node)) or "—"
            found = manual.chain_of(node)
            users = _nodes(manual, [e.source for e in graph.in_edges(node.id) if e.kind == "uses"])
            cells = [f"{manual.anchor(node)}{_md(node.name)}", _inputs(manual._inputs.get(node.id)),
                     _md(_about(manual, node).get("instructions", "")) or "—", runs,
                     _tables_cell(found.reads, found.writes), ", ".join(manual.link(n) for n in users) or "nothing"]
            lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
        lines.append("")
    else:
        lines += ["No tools.", ""]
    lines += [manual._h(1, f"MCP servers ({len(servers)})"), ""]
    for node in servers:
        offered = _nodes(manual, [e.target for e in graph.out_edges(node.id) if e.kind == "uses"])
        about = _about(manual, node).get("instructions")
        lines += [manual.anchor(node), manual._h(2, _md(node.name)), "", f"`{node.path}`", "",
                  f"- Tools: {', '.join(manual.link(n) for n in offered) or 'none'}"]
        lines += [f"- Instructions: {_md(about)}"] if about else []
        lines += [f"- Triggers: {', '.join(manual.link(n) for n in _triggers(manual, node)) or 'none'}", ""]
    if not servers:
        lines += ["No MCP servers.", ""]
    lines += [manual._h(1, f"Triggers ({len(triggers)})"), ""]
    if triggers:
        lines += ["| Trigger | Kind | Fires on | Events | Runs | Tables |", "|---|---|---|---|---|---|"]
        for node in triggers:
            on = _nodes(manual, [e.source for e in graph.in_edges(node.id) if e.kind == "triggers"])
            found = manual.chain_of(node)
            cells = [f"{manual.anchor(node)}{_md(node.name)}", node.kind.replace("_", " "),
                     ", ".join(f"{n.kind.replace('_', ' ')} {manual.link(n)}" for n in on) or "—",
                     _md(_about(manual, node).get("actions", "")) or "—",
                     ", ".join(manual.link(n) for n in manual.callees(node)) or "—",
                     _tables_cell(found.reads, found.writes)]
            lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
        lines += ["", "A table's triggers run on every write to it: the functions, tasks and endpoints that write "
                      "a table reach its triggers in `xanoctl graph`.", ""]
    else:
        lines += ["No triggers.", ""]
    if realtime:
        lines += _realtime(manual, realtime)
    roots = [n.id for n in agents + servers]
    if roots:
        lines += [manual._h(1, "What the agents and MCP servers reach"), ""]
        lines += _diagram(graph.subgraph(graph.reach(roots, upstream=False)))
    return lines


def _agent(manual: "Manual", node: "Node") -> list[str]:
    graph = manual.graph
    tools = _nodes(manual, [e.target for e in graph.out_edges(node.id) if e.kind == "uses"])
    functions: list[str] = []
    reads: set[str] = set()
    writes: set[str] = set()
    for tool in tools:
        found = manual.chain_of(tool)
        functions += [name for name in found.functions if name not in functions]
        reads.update(found.reads)
        writes.update(found.writes)
    model = _about(manual, node).get("model")
    return [manual.anchor(node), manual._h(2, _md(node.name)), "", f"`{node.path}`", "",
            f"- Model: {_md(model) if model else 'not set'}",
            f"- Tools: {', '.join(manual.link(n) for n in tools) or 'none'}",
            f"- Functions its tools run: {_codes(functions) or 'none'}",
            f"- Tables: {_tables_cell(sorted(reads), sorted(writes), 'none')}",
            f"- Triggers: {', '.join(manual.link(n) for n in _triggers(manual, node)) or 'none'}", ""]


def _realtime(manual: "Manual", servers: list["Node"]) -> list[str]:
    """Each realtime v2 server with its triggers and channels; each channel's messages (what they
    run, the tables they reach) and triggers."""
    graph = manual.graph
    lines = [manual._h(1, f"Realtime servers ({len(servers)})"), ""]
    for server in servers:
        parts = _nodes(manual, [e.source for e in graph.in_edges(server.id) if e.kind == "uses"])
        channels = [n for n in parts if n.kind == "channel"]
        lines += [manual.anchor(server), manual._h(2, _md(server.name)), "", f"`{server.path}`", "",
                  f"- Channels: {', '.join(manual.link(n) for n in channels) or 'none'}",
                  f"- Triggers: {', '.join(manual.link(n) for n in _triggers(manual, server)) or 'none'}", ""]
        for channel in channels:
            on = _triggers(manual, channel)
            messages = [n for n in on if n.kind == "message"]
            lines += [manual.anchor(channel), manual._h(3, _md(channel.name)), "",
                      f"- Triggers: {', '.join(manual.link(n) for n in on if n.kind != 'message') or 'none'}", ""]
            if messages:
                lines += ["| Message | Runs | Tables |", "|---|---|---|"]
                for node in messages:
                    found = manual.chain_of(node)
                    cells = [f"{manual.anchor(node)}{_md(node.name)}",
                             ", ".join(manual.link(n) for n in manual.callees(node)) or "—",
                             _tables_cell(found.reads, found.writes)]
                    lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
                lines.append("")
    return lines


def _triggers(manual: "Manual", node: "Node") -> list["Node"]:
    return _nodes(manual, [e.target for e in manual.graph.out_edges(node.id) if e.kind == "triggers"])


def _nodes(manual: "Manual", ids: list[str]) -> list["Node"]:
    return [manual.graph.nodes[i] for i in sorted(set(ids))]


def _about(manual: "Manual", node: "Node") -> dict[str, str]:
    return dict(manual._about.get(node.id, ()))
