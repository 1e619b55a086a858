"""The manual's page of state machines: for each table column that holds a state (see
:mod:`xanoctl.semantics.machines`), a mermaid ``stateDiagram-v2`` and a table of its states:
who enters each, who leaves it, and which tasks pick rows up in it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xanoctl.views import render
from xanoctl.views.manual import _cell

if TYPE_CHECKING:
    from xanoctl.semantics.machines import Machine, Step
    from xanoctl.views.manual import Manual

MAX_ARROWS = 300


def page(manual: "Manual") -> list[str]:
    machines = manual.ws.index.machines
    lines = ["A table column holds a state when it is an `enum` that the code writes a literal into or selects "
             "rows by, or a `text` column that the code only ever writes literals into (two or more) and "
             "compares with a literal. Read from the code: an arrow is a write that moves a row from one state "
             "to the next, labelled with what performs it; `[*]` is a new row. \"Picked up by\" lists the "
             "background tasks that select rows in the state (themselves or through the functions they run): "
             "**none** marks a state that rows leave but no task picks rows up in.",
             ""]
    if not machines:
        return lines + ["No state machines: no column holds a state."]
    for machine in machines:
        lines += _machine(manual, machine)
    return lines


def _machine(manual: "Manual", machine: "Machine") -> list[str]:
    states = machine.states
    declared = (f"an `enum` of {', '.join(f'`{s}`' for s in states)}"
                + (f", default `{machine.default}`" if machine.default is not None else "")) if machine.declared \
        else f"a `text` column; the states are the literals the code writes: {', '.join(f'`{s}`' for s in states)}"
    lines = [manual._h(1, f"`{machine.name}`"), "", f"Table `{machine.table}`, column `{machine.column}`: {declared}.", ""]
    lines += ["```mermaid", *_diagram(manual, machine), "```", ""]
    lines += ["| State | Entered by | Left by | Picked up by (tasks) | Selected or tested by |", "|---|---|---|---|---|"]
    for state in states + sorted({w.value for _, w in machine.writes} - set(states)):
        entered = _performers(manual, [s for s in machine.entries + machine.transitions if s.target == state], "source")
        left = _performers(manual, [s for s in machine.transitions if s.source == state], "target")
        selecting = machine.selecting(state)
        tasks = _tasks(manual, [doc for doc, _ in selecting])
        readers = sorted({_name(manual, doc) for doc, test in selecting + machine.tests if test.admits(state)})
        mark = "" if state in states else " (not a declared value)"
        picked = ", ".join(tasks) or ("**none**" if left else "—")  # a state no run leaves needs no pick-up
        cells = [f"`{render_md(state)}`{mark}", entered or "—", left or "—", picked,
                 ", ".join(readers) or "—"]
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    unknown = machine.from_unknown
    if unknown or machine.computed:
        lines += ["", "What the code does not tell:", ""]
        for step in unknown:
            lines.append(f"- {_name(manual, step.doc)} writes `{render_md(step.target)}` (line {step.write.pos[0]}) "
                         "on a row whose state before it does not tell")
        for doc, use in machine.computed:
            lines.append(f"- {_name(manual, doc)} writes a computed value (line {use.pos[0]})")
    stuck = list(machine.stuck())
    if stuck:
        lines += ["", "Stuck states (ST001): a run enters them and always leaves them, and nothing selects rows "
                      "in them; a run that dies between the two writes leaves the row there for good.", ""]
        lines += [f"- `{render_md(write.value)}`: entered by {_name(manual, doc)} (line {write.pos[0]})"
                  for doc, write in stuck]
    return lines + [""]


def _diagram(manual: "Manual", machine: "Machine") -> list[str]:
    names = machine.states + sorted({w.value for _, w in machine.writes} - set(machine.states))
    ids = {state: f"s{number}" for number, state in enumerate(names)}
    lines = ["stateDiagram-v2"]
    lines += [f'  state "{render.mermaid_text(state)}" as {ids[state]}' for state in names]
    arrows: dict[tuple[str, str], list[str]] = {}
    for step in machine.entries + machine.transitions:
        label = "default" if step.doc is None else _label(manual, step.doc)
        found = arrows.setdefault((step.source, step.target), [])
        if label not in found:
            found.append(label)
    if len(arrows) > MAX_ARROWS:
        return lines + [f"  note right of {ids[names[0]]} : {len(arrows)} transitions, too many to draw"]
    for (source, target), labels in sorted(arrows.items(), key=lambda item: (item[0][0] != "", names.index(item[0][0])
                                                                          if item[0][0] else 0, names.index(item[0][1]))):
        start = "[*]" if source == "" else ids[source]
        lines.append(f"  {start} --> {ids[target]} : {_mermaid_label(', '.join(sorted(labels)))}")
    return lines


def _performers(manual: "Manual", steps: list["Step"], other: str) -> str:
    """Who performs the steps, each with the other end of its steps (``from New``)."""
    by: dict[str, set[str]] = {}
    for step in steps:
        who = "default" if step.doc is None else _name(manual, step.doc)
        end = getattr(step, other)
        by.setdefault(who, set()).add("a new row" if end == "" else f"from `{end}`" if other == "source"
                                      else f"to `{end}`")
    return "<br>".join(f"{who} ({', '.join(sorted(ends))})" for who, ends in sorted(by.items()))


def _tasks(manual: "Manual", docs) -> list[str]:
    """The tasks that run the documents (or are them)."""
    graph = manual.graph
    found: set[str] = set()
    for doc in docs:
        ident = graph.id_of(doc)
        found.update(node for node in graph.reach([ident], upstream=True) if graph.nodes[node].kind == "task")
    return [manual.link(graph.nodes[ident]) for ident in sorted(found)]


def _name(manual: "Manual", doc) -> str:
    node = manual.graph.nodes.get(manual.graph.id_of(doc))
    return manual.link(node) if node is not None else f"`{render_md(doc.name)}`"


def _label(manual: "Manual", doc) -> str:
    node = manual.graph.nodes.get(manual.graph.id_of(doc))
    return node.label if node is not None else doc.name


def _mermaid_label(text: str) -> str:
    """A transition's label: mermaid reads `:` and `;` there as syntax."""
    return render.mermaid_text(text).replace(":", "#58;").replace(";", "#59;")


def render_md(text: str) -> str:
    """A state inside a code span (a backtick would end it)."""
    return text.replace("`", "'")
