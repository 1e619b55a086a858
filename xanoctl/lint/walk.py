"""Walking a document: the statements that run, and what each variable is assigned from (by the
document's semantic model, :mod:`xanoctl.semantics.variables`)."""

from __future__ import annotations

import re
from typing import Iterator, NamedTuple

from xanoctl.language.model import Document, Expr, Literal, Variable
from xanoctl.semantics.statements import document_statements
from xanoctl.semantics.variables import Change, Variables, variables

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def document_reads(doc: Document) -> Iterator[Expr]:
    """The expressions the document evaluates: its settings, and the arguments, guards and
    settings of its live statements."""
    for setting in doc.settings:
        yield setting.value
    for stmt in document_statements(doc):
        yield from stmt.args
        if stmt.guard is not None:
            yield stmt.guard
        for setting in stmt.settings:
            yield setting.value


def chain_text(var: str, keys: list[str]) -> str:
    """``$r`` + ``["data", "people"]`` -> ``$r.data.people`` (``["my key"]`` when needed)."""
    parts = [var]
    for key in keys:
        if _IDENT.match(key) or key.isdigit():
            parts.append(f".{key}")
        else:
            parts.append(f"[{_quote(key)}]")
    return "".join(parts)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------------------- assignments


_SCALAR_STATEMENTS = ("math.", "text.", "array.")


class Source(NamedTuple):
    """Where a variable's value comes from: ``kind`` is ``expr`` (``var $x { value = E }``),
    ``call`` (``function.run NAME as $x``; ``name`` is the callee), ``scalar`` (``math.*``,
    ``text.*``, ``array.*`` on it: a number, a text or a list), ``member`` (a key of it is set:
    ``var.update $x.key``; ``name`` is the key, None when dynamic) or ``other``."""

    kind: str
    expr: Expr | None = None
    name: str | None = None


def assignments(doc: Document, found: Variables | None = None) -> dict[str, list[Source]]:
    """For each variable, every live statement that sets it as a whole or sets a key of it, in
    source order (from the document's semantic model, ``found`` when it is already built)."""
    if found is None:
        found = variables(doc)
    table: dict[str, list[Source]] = {}
    for name, changes in found.changes.items():
        table[name] = [_source(change) for change in changes]
    return table


def _source(change: Change) -> Source:
    stmt = change.stmt
    if change.how == "key":  # `var.update $out.count`, `array.push $out.items`: a key is set
        return Source("member", name=change.key)
    if change.how == "as":
        alias = stmt.alias
        if stmt.kind == "function.run" and isinstance(stmt.target, str) and alias is not None \
                and not alias.path and not alias.filters:
            return Source("call", name=stmt.target)
        return Source("other")
    if stmt.kind in ("var", "var.update"):
        value = stmt.value("value")
        return Source("expr", value) if value is not None else Source("other")
    if stmt.kind.startswith(_SCALAR_STATEMENTS):  # math.add $x, text.append $x, array.push $x
        return Source("scalar")
    return Source("other")  # something else changes it in place


def result_callees(var: str, table: dict[str, list[Source]]) -> tuple[str, ...] | None:
    """The functions whose ``function.run`` result ``var`` holds, when every assignment of
    ``var`` is such a call or a plain copy (``var $x { value = $r }``) of one and no key of it is
    set afterwards (``var.update $r.people``); else None. A ``null`` default set before the call
    (``var $r { value = null }``) does not count: no key of it can be read either."""
    callees: list[str] = []
    seen: set[str] = set()
    todo = [var]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        sources = table.get(name)
        if not sources:
            return None
        for source in sources:
            if source.kind == "call" and source.name is not None:
                if source.name not in callees:
                    callees.append(source.name)
            elif source.kind == "expr" and isinstance(source.expr, Variable):
                todo.append(source.expr.name)
            elif source.kind == "expr" and isinstance(source.expr, Literal) and source.expr.kind == "null":
                continue
            else:
                return None
    return tuple(callees) or None


def direct_alias(var: str, table: dict[str, list[Source]]) -> bool:
    """True when ``var`` is set only by ``function.run ... as var`` (not through a copy)."""
    sources = table.get(var) or []
    return bool(sources) and all(source.kind == "call" for source in sources)
