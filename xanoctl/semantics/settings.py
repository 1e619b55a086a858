"""What the documents beyond functions declare in their settings, for the views and the rules:
an agent's model, the instructions of a tool or an MCP server, the events a trigger answers, the
workspace's environment variables; and the environment variables a document reads.

>>> from xanoctl.language.parser import parse_document
>>> doc = parse_document('workspace "W" {\\n  env = {API_KEY: "x", REGION: "eu"}\\n}')
>>> env_names(doc)
('API_KEY', 'REGION')
>>> agent = parse_document('agent "A" {\\n  llm = {type: "anthropic", model: "claude"}\\n}')
>>> about(agent)
(('model', 'anthropic claude'),)
"""

from __future__ import annotations

from typing import Iterable

from xanoctl.language.model import ArrayLit, Document, Literal, ObjectLit, Pos
from xanoctl.semantics.variables import Chain


def env_names(doc: Document) -> tuple[str, ...] | None:
    """The environment variables a workspace document defines: the keys of ``env = {...}`` (or
    the names of ``env = [{name: ...}]``); None when it has no ``env`` clause (an export made
    without the environment, as pulls are: then nothing can be told)."""
    value = doc.value("env")
    if value is None:
        return None
    if isinstance(value, ObjectLit):
        return tuple(value.keys())
    if isinstance(value, ArrayLit):
        names = []
        for item in value.items:
            name = item.get("name") if isinstance(item, ObjectLit) else item
            if isinstance(name, Literal) and isinstance(name.value, str):
                names.append(name.value)
        return tuple(names)
    return None


def env_reads(chains: Iterable[Chain]) -> list[tuple[str, Pos]]:
    """``$env.NAME`` read in live code, with where (the system values ``$env.$remote_ip``... aside)."""
    return [(chain.keys[0], chain.node.pos) for chain in chains
            if chain.var == "$env" and chain.keys and not chain.keys[0].startswith("$")]


def about(doc: Document) -> tuple[tuple[str, str], ...]:
    """Short facts a reader wants about an agent (its model), a tool or an MCP server (its
    instructions) or a trigger (the events it answers)."""
    out: list[tuple[str, str]] = []
    if doc.kind == "agent":
        llm = doc.value("llm")
        if isinstance(llm, ObjectLit):
            model = " ".join(text for text in (_text(llm.get("type")), _text(llm.get("model"))) if text)
            if model:
                out.append(("model", model))
    elif doc.kind in ("tool", "mcp_server"):
        instructions = _text(doc.value("instructions"))
        if instructions:
            out.append(("instructions", " ".join(instructions.split())))
    elif doc.kind.endswith("_trigger"):
        actions = doc.value("actions")
        if isinstance(actions, ObjectLit):
            on = [key for key in actions.keys() if isinstance(actions.get(key), Literal) and actions.get(key).value is True]
            if on:
                out.append(("actions", ", ".join(on)))
    return tuple(out)


def _text(expr) -> str:
    return expr.value if isinstance(expr, Literal) and isinstance(expr.value, str) else ""
