"""Definition, references, document and workspace symbols, and hover: questions answered from
the workspace index (what every file declares and names) and, within one document, from its
parsed model and its variables (:mod:`xanoctl.semantics`)."""

from __future__ import annotations

from typing import NamedTuple

from lsprotocol import types

from xanoctl.lint.facts import DocFact, FileResult
from xanoctl.lsp import cursor
from xanoctl.lsp.positions import contains, span_range

# document kinds as the protocol's symbol kinds
SYMBOL_KIND = {
    "function": types.SymbolKind.Function,
    "task": types.SymbolKind.Event,
    "query": types.SymbolKind.Interface,
    "api_group": types.SymbolKind.Namespace,
    "table": types.SymbolKind.Struct,
    "middleware": types.SymbolKind.Module,
    "addon": types.SymbolKind.Module,
}


class Target(NamedTuple):
    """An object a position names: ``kind`` (a document kind, ``column``, ``input``,
    ``variable``, ``filter`` or ``rule``), its ``name`` (a column's ``table``), the ``verb`` of
    an endpoint, and where the name stands in the text asked about."""

    kind: str
    name: str
    span: tuple[int, int, int, int]
    table: str = ""
    verb: str | None = None
    header: bool = False  # the name in a document's own header


def facts(session, path: str) -> FileResult | None:
    """The file's facts: as last analysed, or as last parsed when its text does not parse now."""
    owner = session.owner(path)
    result = owner.results.get(path) if owner is not None else None
    if result is not None and not result.parsed:
        return session.good.get(path, result)
    return result


def target_at(session, path: str, line: int, column: int) -> Target | None:
    """The object named at ``line:column`` (1-based) of the file ``path``."""
    result = facts(session, path)
    text = session.text_of(path)
    lines = text.lines if text is not None else []
    found = cursor.spot(lines, line, column)
    if found is not None and found.kind in ("rule", "column", "input", "filter"):
        return Target(found.kind, found.name, found.span, found.table)
    if result is not None:
        for doc in result.documents:
            if contains(doc.pos, line, column):
                return Target(doc.kind, doc.name, doc.pos, verb=doc.verb, header=True)
            for ref in doc.refs:
                if contains(ref.pos, line, column):
                    return Target(ref.kind, ref.name, ref.pos, verb=ref.verb)
            for use in doc.columns:
                if contains(use.pos, line, column):
                    return Target("column", use.column, use.pos, use.table)
    if found is not None:
        return Target(found.kind, found.name, found.span, found.table)
    return None


def _document(index, kind: str, name: str, verb: str | None = None) -> DocFact | None:
    for doc in index.every_document:
        if doc.kind == kind and doc.name == name and (verb is None or (doc.verb or "").upper() == verb.upper()):
            return doc
    return None


def _location(session, path: str, span) -> types.Location | None:
    lines = session.lines_of(path)
    if lines is None:
        return None
    return types.Location(uri=session.uri_for(path), range=span_range(lines, span))


def definition(session, path: str, line: int, column: int) -> list[types.Location]:
    target = target_at(session, path, line, column)
    owner = session.owner(path)
    if target is None or owner is None:
        return []
    index = owner.index_of(path)
    places: list[tuple[str, tuple]] = []
    if target.kind == "column":
        table = index.tables.get(target.table)
        column = table.column(target.name) if table is not None else None
        if column is not None and column.pos is not None:
            places.append((table.path, tuple(column.pos)))
        elif table is not None:
            doc = _document(index, "table", table.name)
            if doc is not None:
                places.append((doc.path, doc.pos))
    elif target.kind == "input":
        places.extend((path, span) for span in _input_places(session, path, line, target.name))
    elif target.kind == "variable":
        places.extend((path, span) for span in _bindings(session, path, line, target.name))
    elif target.kind not in ("rule", "filter"):
        if target.kind == "function" and not target.header:
            fact = index.function(target.name)
            if fact is not None:
                places.append((fact.path, fact.pos))
        else:
            doc = _document(index, target.kind, target.name, target.verb) or _document(index, target.kind, target.name)
            if doc is not None:
                places.append((doc.path, doc.pos))
    return [loc for loc in (_location(session, place, span) for place, span in places) if loc is not None]


def _input_places(session, path: str, line: int, name: str) -> list[tuple]:
    text = session.text_of(path)
    doc = text.model_at(line) if text is not None else None
    if doc is None or not doc.inputs:
        return []
    return [tuple(item.pos) for item in doc.inputs if item.name == name]


def _bindings(session, path: str, line: int, name: str) -> list[tuple]:
    from xanoctl.semantics.variables import variables

    text = session.text_of(path)
    doc = text.model_at(line) if text is not None else None
    if doc is None:
        return []
    return [tuple(binding.pos) for binding in variables(doc).bindings.get(name, ())]


def references(session, path: str, line: int, column: int, declaration: bool) -> list[types.Location]:
    """The places naming the object at ``line:column``: every call of a function (of any
    calling statement), every statement using a table, every read of a variable or input."""
    target = target_at(session, path, line, column)
    owner = session.owner(path)
    if target is None or owner is None:
        return []
    places: list[tuple[str, tuple]] = []
    if target.kind in ("variable", "input"):
        places = [(path, span) for span in _reads(session, path, line, target)]
    elif target.kind not in ("rule", "filter", "column"):
        index = owner.index_of(path)
        for doc in index.every_document:
            for ref in doc.refs:
                if ref.kind == target.kind and ref.name == target.name:
                    places.append((doc.path, ref.pos))
        if declaration:
            doc = _document(index, target.kind, target.name, target.verb)
            if doc is not None:
                places.insert(0, (doc.path, doc.pos))
    found = []
    for place, span in places:
        loc = _location(session, place, span)
        if loc is not None:
            found.append(loc)
    return found


def _reads(session, path: str, line: int, target: Target) -> list[tuple]:
    from xanoctl.semantics.variables import variables

    text = session.text_of(path)
    doc = text.model_at(line) if text is not None else None
    if doc is None:
        return []
    found = variables(doc)
    if target.kind == "input":
        return [tuple(read.pos) for read in found.inputs if read.key == target.name]
    spans = [tuple(binding.pos) for binding in found.bindings.get(target.name, ())]
    spans += [tuple(read.pos) for read in found.reads if read.name == target.name]
    return sorted(set(spans))


# ---------------------------------------------------------------------------- symbols

def document_symbols(text) -> list[types.DocumentSymbol]:
    """The document's outline: each object with its inputs and its statements, nested; for
    a text that does not parse, the objects its header lines declare."""
    models = text.models
    lines = text.lines
    if models is None:
        return _headers_only(lines)
    out = []
    for doc in models:
        children = []
        for item in doc.inputs or ():
            if item.name is not None:
                children.append(types.DocumentSymbol(
                    name=item.name, detail=f"input {item.type}{item.array or ''}", kind=types.SymbolKind.Field,
                    range=span_range(lines, item.pos), selection_range=span_range(lines, item.pos)))
        for item in doc.schema or ():
            if item.name is not None:
                children.append(types.DocumentSymbol(
                    name=item.name, detail=f"column {item.type}{item.array or ''}", kind=types.SymbolKind.Field,
                    range=span_range(lines, item.pos), selection_range=span_range(lines, item.pos)))
        children.extend(_statements(doc.stack or [], lines))
        children.extend(_statements(doc.blocks, lines))
        name = doc.name if doc.name is not None else doc.kind
        whole = span_range(lines, doc.pos)
        header = span_range(lines, doc.name_pos) if doc.name_pos is not None else whole
        out.append(types.DocumentSymbol(
            name=name, detail=doc.kind + (f" {doc.verb}" if doc.verb else ""),
            kind=SYMBOL_KIND.get(doc.kind, types.SymbolKind.Object), range=whole,
            selection_range=_within(header, whole), children=children or None))
    return out


def _statements(statements, lines) -> list[types.DocumentSymbol]:
    out = []
    for stmt in statements:
        label = stmt.kind
        if isinstance(stmt.target, str) and stmt.target:
            label += f' "{stmt.target}"' if stmt.target_quoted else f" {stmt.target}"
        elif getattr(stmt.target, "name", None):
            label += f" {stmt.target.name}"
        if stmt.alias is not None:
            label += f" as {stmt.alias.name}"
        kind = types.SymbolKind.Variable if stmt.kind == "var" or stmt.alias is not None else types.SymbolKind.Method
        whole = span_range(lines, stmt.pos)
        out.append(types.DocumentSymbol(
            name=label, kind=kind, range=whole, selection_range=whole,
            detail="disabled" if stmt.disabled else None,
            children=_statements(stmt.body, lines) or None))
    return out


def _within(inner: types.Range, outer: types.Range) -> types.Range:
    start = (inner.start.line, inner.start.character)
    if (outer.start.line, outer.start.character) <= start and \
            (inner.end.line, inner.end.character) <= (outer.end.line, outer.end.character):
        return inner
    return outer


def _headers_only(lines) -> list[types.DocumentSymbol]:
    import re

    header = re.compile(r'^[ \t]*([a-z_]+)[ \t]+("(?:[^"\\]|\\.)*"|[A-Za-z_][\w/-]*)(?:[ \t]+verb=([A-Z]+))?[ \t]*\{')
    out = []
    for number, line in enumerate(lines, 1):
        found = header.match(line)
        if found and found.group(1) in SYMBOL_KIND or (found and found.group(1) in (
                "agent", "tool", "mcp_server", "workflow_test", "trigger", "realtime_channel")):
            name = found.group(2).strip('"')
            where = types.Range(start=types.Position(line=number - 1, character=0),
                                end=types.Position(line=number - 1, character=len(line)))
            out.append(types.DocumentSymbol(name=name, detail=found.group(1) + " (does not parse)",
                                            kind=SYMBOL_KIND.get(found.group(1), types.SymbolKind.Object),
                                            range=where, selection_range=where))
    return out


def workspace_symbols(session, query: str, limit: int = 500) -> list[types.WorkspaceSymbol]:
    """Every object of the workspace whose name holds ``query`` (case ignored; the words of a
    query of several words in any order)."""
    live = session.live
    if live is None or not live.loaded:
        return []
    words = query.casefold().split()
    out = []
    for index in live.indexes:
        for doc in index.every_document:
            name = doc.name.casefold()
            if all(word in name for word in words):
                line, column, end_line, end_column = doc.pos
                where = types.Range(start=types.Position(line=line - 1, character=column - 1),
                                    end=types.Position(line=end_line - 1, character=end_column - 1))
                label = doc.name if doc.kind != "query" or not doc.verb else f"{doc.verb} {doc.name}"
                out.append(types.WorkspaceSymbol(
                    name=label, kind=SYMBOL_KIND.get(doc.kind, types.SymbolKind.Object),
                    location=types.Location(uri=session.uri_for(doc.path), range=where), container_name=doc.kind))
                if len(out) >= limit:
                    return out
    return out


# ---------------------------------------------------------------------------- hover

def hover(session, path: str, line: int, column: int) -> types.Hover | None:
    target = target_at(session, path, line, column)
    owner = session.owner(path)
    if target is None:
        return None
    text = None
    if target.kind == "rule":
        text = _rule(target.name)
    elif target.kind == "filter":
        text = filter_text(target.name)
    elif owner is not None:
        index = owner.index_of(path)
        if target.kind == "function":
            text = function_text(index, target.name)
        elif target.kind == "table":
            text = table_text(index, target.name)
        elif target.kind == "column":
            text = column_text(index, target.table, target.name)
        elif target.kind == "input":
            text = _input_text(session, path, line, target.name)
        elif target.kind == "variable":
            text = _variable_text(session, path, line, target.name)
        else:
            doc = _document(index, target.kind, target.name, target.verb)
            if doc is not None:
                text = f"**{doc.kind}** `{doc.name}`" + (f" `{doc.verb}`" if doc.verb else "")
    if not text:
        return None
    lines = session.lines_of(path) or []
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
                       range=span_range(lines, target.span))


def function_text(index, name: str) -> str | None:
    """A function's declared inputs (type, required or not) and whether it answers the envelope."""
    fact = index.function(name)
    if fact is None:
        if name in index.duplicates:
            return f"**function** `{name}`: defined more than once in the workspace"
        return f"**function** `{name}`: no function of that name in the workspace"
    parts = [f"**function** `{name}`", ""]
    if fact.inputs is None:
        parts.append("Inputs: cannot be told (no `input` clause, or the fields of a table).")
    elif not fact.inputs:
        parts.append("Inputs: none.")
    else:
        parts += ["| input | type | |", "|---|---|---|"]
        parts += [f"| `{item.name}` | `{item.type}` | {'required' if item.required else 'optional'} |"
                  for item in fact.inputs]
    answer = index.returns_envelope(name)
    parts.append("")
    if answer is True:
        keys = ", ".join(f"`{key}`" for key in sorted(index.envelope_keys(name)))
        parts.append(f"Answers the envelope ({keys}): read its result as `$r.data...`.")
    elif answer is False:
        parts.append("Does not answer the envelope.")
    else:
        parts.append("Whether it answers the envelope cannot be told.")
    return "\n".join(parts)


def table_text(index, name: str) -> str | None:
    table = index.tables.get(name)
    if table is None:
        return f"**table** `{name}`: no table of that name in the workspace"
    parts = [f"**table** `{name}`", "", "| column | type |", "|---|---|"]
    for column in table.columns:
        kind = f"{column.type}{column.array or ''}{'?' if column.nullable else ''}"
        if column.values:
            kind += " (" + ", ".join(column.values[:8]) + (", ..." if len(column.values) > 8 else "") + ")"
        parts.append(f"| `{column.name}` | `{kind}` |")
    if not table.complete:
        parts += ["", "Some columns cannot be told (a linked table)."]
    return "\n".join(parts)


def column_text(index, table_name: str, name: str) -> str | None:
    table = index.tables.get(table_name)
    if table is None:
        return None
    column = table.column(name)
    if column is None:
        return f"table `{table_name}` has no column `{name}`"
    return f"**column** `{table_name}.{name}`: `{column.type}{column.array or ''}{'?' if column.nullable else ''}`"


def filter_text(name: str) -> str:
    from xanoctl.semantics.filters import closest_filter, names

    found = names()
    notes = []
    if name in found.expression:
        notes.append("an expression filter")
    if name in found.deprecated:
        notes.append(f"an older name of `{found.deprecated[name]}` (Xano still runs it)")
    if name in found.query:
        notes.append("a filter of database expressions (`where`, `join`, `eval`)")
    if name in found.aggregate:
        notes.append("an aggregate function of a query's `eval`")
    kinds = sorted(kind for kind, items in found.input.items() if name in items)
    if kinds:
        notes.append("an input filter of " + ", ".join(f"`{kind}`" for kind in kinds))
    if not notes:
        close = closest_filter(name)
        return f"`{name}`: not a filter Xano knows" + (f"; did you mean `{close}`?" if close else "")
    return f"**filter** `{name}`: " + "; ".join(notes)


def _rule(code: str) -> str | None:
    from xanoctl.lint.ruledocs import rule_markdown
    from xanoctl.lint.rules import RULES

    rule = RULES.get(code)
    return rule_markdown(rule, level=3) if rule is not None else None


def _input_text(session, path: str, line: int, name: str) -> str | None:
    text = session.text_of(path)
    doc = text.model_at(line) if text is not None else None
    if doc is None or doc.inputs is None:
        return None
    for item in doc.inputs:
        if item.name == name:
            need = "required" if item.required else "optional"
            return f"**input** `{name}`: `{item.type}{item.array or ''}{'?' if item.nullable else ''}`, {need}"
    return f"this document declares no input `{name}`"


def _variable_text(session, path: str, line: int, name: str) -> str | None:
    from xanoctl.semantics.variables import variables

    text = session.text_of(path)
    doc = text.model_at(line) if text is not None else None
    if doc is None:
        return None
    bindings = variables(doc).bindings.get(name, ())
    if not bindings:
        return f"`{name}`: nothing in this document sets it"
    first = bindings[0]
    how = {"var": "`var`", "as": f"`{first.stmt.kind} ... as`", "each": "`each as`"}.get(first.kind, first.kind)
    more = f" ({len(bindings)} places)" if len(bindings) > 1 else ""
    return f"**variable** `{name}`: set by {how} at line {first.pos[0]}{more}"
