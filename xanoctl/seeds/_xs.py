"""A tiny writer for XanoScript in the layout of Xano's exports, used by the generator.

Code is built as lists of lines relative to indent 0; a nested body is indented by two
spaces per level. Statements of a body are separated by a blank line (the exact blank-line
whitespace of exports is applied at the end by :func:`xanoctl.seeds._format.export_blank_lines`).

Values are plain strings (already XanoScript expressions) or lists of lines for multi-line
values (an object or array literal written over several lines).
"""

from __future__ import annotations

from typing import Sequence, Union

Lines = list[str]
Value = Union[str, Lines]
Entry = tuple[str, Value]

INLINE_WIDTH = 88


def indent(lines: Sequence[str], levels: int = 1) -> Lines:
    pad = "  " * levels
    return [pad + line if line else line for line in lines]


def body(statements: Sequence[Lines]) -> Lines:
    """Statements joined by blank lines."""
    out: Lines = []
    for statement in statements:
        if out:
            out.append("")
        out.extend(statement)
    return out


def block(head: str, statements: Sequence[Lines], tail: str = "") -> Lines:
    """``head {`` + statements + ``}tail``; ``head {`` newline ``}`` when empty."""
    return [head + " {", *indent(body(statements)), "}" + tail]


def stmt(head: str, settings: Sequence[Entry] = (), tail: str = "") -> Lines:
    """A statement with ``key = value`` lines (no block when there are none)."""
    if not settings:
        return [head + tail]
    lines: Lines = []
    for key, value in settings:
        lines.extend(setting(key, value))
    return [head + " {", *indent(lines), "}" + tail]


def setting(key: str, value: Value) -> Lines:
    if isinstance(value, str):
        return [f"{key} = {value}"]
    return [f"{key} = {value[0]}", *value[1:]]


def var(name: str, value: Value) -> Lines:
    return stmt(f"var {name}", [("value", value)])


def update(name: str, value: Value) -> Lines:
    return stmt(f"var.update {name}", [("value", value)])


def ret(value: Value) -> Lines:
    return stmt("return", [("value", value)])


def call(name: str, inputs: Sequence[Entry], alias: str) -> Lines:
    """``function.run "NAME" { input = {...} } as $alias`` (no block without inputs)."""
    if not inputs:
        return [f'function.run "{name}" as {alias}']
    return stmt(f'function.run "{name}"', [("input", obj(inputs))], f" as {alias}")


def cond(branches: Sequence[tuple[str, Sequence[Lines]]], otherwise: Sequence[Lines] | None = None) -> Lines:
    """``conditional { if (..) {..} elseif (..) {..} else {..} }``."""
    parts = [block(("if" if i == 0 else "elseif") + f" ({test})", stmts)
             for i, (test, stmts) in enumerate(branches)]
    if otherwise is not None:
        parts.append(block("else", otherwise))
    return block("conditional", parts)


def foreach(items: str, item: str, stmts: Sequence[Lines]) -> Lines:
    return block(f"foreach ({items})", [block(f"each as {item}", stmts)])


def obj(entries: Sequence[Entry], multiline: bool | None = None) -> Value:
    """An object literal: inline when short and flat, else one entry per line with the colons
    aligned. A multi-line value inside a multi-line object keeps the exporter's layout: its
    entries are not indented further than the entry that holds it."""
    flat = all(isinstance(value, str) for _, value in entries)
    if multiline is None:
        inline = "{" + ", ".join(f"{k}: {v}" for k, v in entries) + "}" if flat else ""
        multiline = not flat or len(entries) > 4 or len(inline) > INLINE_WIDTH
    if not multiline:
        return "{" + ", ".join(f"{k}: {v}" for k, v in entries) + "}"
    if not entries:
        return "{}"
    width = max(len(key) for key, _ in entries)
    lines = ["{"]
    for key, value in entries:
        if isinstance(value, str):
            lines.append(f"  {key.ljust(width)}: {value}")
        else:
            lines.append(f"  {key.ljust(width)}: {value[0]}")
            lines.extend(value[1:])
    lines.append("}")
    return lines


def arr(items: Sequence[Value], multiline: bool | None = None) -> Value:
    """An array literal: inline when short, else one element per line without commas."""
    flat = all(isinstance(item, str) for item in items)
    inline = "[" + ", ".join(items) + "]" if flat else ""  # type: ignore[arg-type]
    if multiline is None:
        multiline = not flat or len(inline) > INLINE_WIDTH
    if not multiline:
        return inline
    lines = ["["]
    for item in items:
        lines.extend(indent([item] if isinstance(item, str) else item))
    lines.append("]")
    return lines


def chain(value: str, filters: Sequence[str]) -> Lines:
    """A value with its filters continued one per line: ``value`` / ``  |f:arg``."""
    return [value, *("  |" + f for f in filters)]


def text_block(code: Sequence[str]) -> Lines:
    """A triple-quoted text value (lambda code): content and closing quotes indented."""
    return ['"""', *indent(code), '  """']


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def envelope(success: str, data: Value, error: str, step: str) -> Value:
    return obj([("success", success), ("data", data), ("error", error), ("step", quote(step))])
