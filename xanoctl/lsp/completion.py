"""Completion where it prevents the bugs this tool exists for: the names of callees (a
`function.run` of a function that does not exist), the callee's own input names inside its
`input = {` (`user_id` for `ad_user_id`), tables and columns (`$db.<table>.`), filter names,
the document's declared inputs after `$input.`, and the fields of an envelope result
(`$r.data.`, where `$r.people` was meant as `$r.data.people`)."""

from __future__ import annotations

from lsprotocol import types

from xanoctl.lint.envelope import STANDARD_KEYS
from xanoctl.lsp import cursor
from xanoctl.lsp.navigation import facts, function_text, table_text

# object kinds of the calling statements as the protocol's completion kinds
_KIND = {"function": types.CompletionItemKind.Function, "task": types.CompletionItemKind.Event,
         "table": types.CompletionItemKind.Struct}


def complete(session, path: str, line: int, column: int) -> list[types.CompletionItem]:
    text = session.text_of(path)
    owner = session.owner(path)
    if text is None:
        return []
    typing = cursor.typing(text.lines, line, column)
    if typing is None:
        return []
    if typing.kind == "filter":
        return _filters(typing.prefix)
    if owner is None:
        return []
    index = owner.index_of(path)
    if typing.kind == "table":
        return [_item(name, types.CompletionItemKind.Struct, "table", table_text(index, name))
                for name in sorted(index.tables) if name.startswith(typing.prefix)]
    if typing.kind == "column":
        table = index.tables.get(typing.table)
        if table is None:
            return []
        return [_item(name, types.CompletionItemKind.Field, f"column of {table.name}")
                for name in table.names() if name.startswith(typing.prefix)]
    if typing.kind == "input":
        return _inputs(session, path, line, typing.prefix)
    if typing.kind in ("envelope", "data"):
        return _result_fields(session, path, index, typing)
    if typing.kind == "argument":
        return _arguments(session, path, index, line, typing)
    return _callees(index, typing)


def _item(label: str, kind, detail: str | None = None, documentation: str | None = None,
          insert: str | None = None) -> types.CompletionItem:
    return types.CompletionItem(
        label=label, kind=kind, detail=detail, insert_text=insert,
        documentation=types.MarkupContent(kind=types.MarkupKind.Markdown, value=documentation) if documentation else None)


def _callees(index, typing: cursor.Typing) -> list[types.CompletionItem]:
    names: list[str]
    if typing.kind == "function":
        names = sorted(index.functions)
    else:
        names = sorted({doc.name for doc in index.every_document if doc.kind == typing.kind})
    kind = _KIND.get(typing.kind, types.CompletionItemKind.Reference)
    out = []
    for name in names:
        if not name.startswith(typing.prefix):
            continue
        # a name typed with its quote is completed inside it; else it is written quoted
        insert = name if typing.quoted else '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        docs = function_text(index, name) if typing.kind == "function" else None
        out.append(_item(name, kind, typing.kind, docs, insert))
    return out


def _filters(prefix: str) -> list[types.CompletionItem]:
    from xanoctl.semantics.filters import names

    found = names()
    every = sorted(found.expression | found.query | found.aggregate)
    return [_item(name, types.CompletionItemKind.Function, "filter") for name in every if name.startswith(prefix)]


def _inputs(session, path: str, line: int, prefix: str) -> list[types.CompletionItem]:
    text = session.text_of(path)
    doc = text.model_at(line) if text is not None else None
    fields = [(item.name, item.type, item.required) for item in (doc.inputs or []) if item.name] if doc else None
    if fields is None:  # the text does not parse now: the inputs as last analysed
        result = facts(session, path)
        fields = []
        for fact in (result.documents if result is not None else ()):
            if fact.pos[0] <= line and fact.inputs:
                fields = [(item.name, item.type, item.required) for item in fact.inputs]
    return [_item(name, types.CompletionItemKind.Field, f"{kind}{'' if required else ' (optional)'}")
            for name, kind, required in fields if name.startswith(prefix)]


def _holder(session, path: str, var: str) -> tuple[str, ...]:
    """The callees whose result the variable ``var`` of the file holds."""
    result = facts(session, path)
    if result is None:
        return ()
    callees = [call.callee for call in result.calls if call.alias == var]
    if not callees:
        for read in result.reads:
            if read.var == var:
                return read.callees
    return tuple(dict.fromkeys(callees))


def _result_fields(session, path: str, index, typing: cursor.Typing) -> list[types.CompletionItem]:
    callees = _holder(session, path, typing.var)
    if not callees or not all(index.returns_envelope(name) is True for name in callees):
        return []
    if typing.kind == "envelope":
        keys = set(STANDARD_KEYS)
        for name in callees:
            keys |= index.envelope_keys(name)
        return [_item(key, types.CompletionItemKind.Field, "envelope key") for key in sorted(keys)
                if key.startswith(typing.prefix)]
    keys: dict[str, str] = {}
    for name in callees:
        for key in data_keys(session, index, name):
            keys.setdefault(key, name)
    return [_item(key, types.CompletionItemKind.Field, f"data of {callee}") for key, callee in sorted(keys.items())
            if key.startswith(typing.prefix)]


def data_keys(session, index, name: str) -> list[str]:
    """The keys of the ``data`` object of the envelopes function ``name`` answers with, as its
    document writes them (and those of the functions whose envelopes it passes on)."""
    from xanoctl.language.model import ObjectLit
    from xanoctl.lint.context import DocContext

    out: list[str] = []
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        fact = index.function(current)
        text = session.text_of(fact.path) if fact is not None else None
        if text is None or not text.models:
            continue
        for doc in text.models:
            if doc.kind != "function" or doc.name != current:
                continue
            for result in DocContext(doc, fact.path, text.lines, lambda code: {}).results:
                for literal in result.verdict.literals:
                    data = literal.get("data")
                    if isinstance(data, ObjectLit):
                        out.extend(key for key in data.keys() if key not in out)
                todo.extend(result.verdict.callees)
    return out


def _arguments(session, path: str, index, line: int, typing: cursor.Typing) -> list[types.CompletionItem]:
    fact = index.function(typing.callee)
    if fact is None or not fact.inputs:
        return []
    passed = set(typing.passed)
    out = []
    for number, item in enumerate(fact.inputs):
        if item.name in passed or not item.name.startswith(typing.prefix):
            continue
        label = f"{item.type}{'' if item.required else ' (optional)'}"
        completion = _item(item.name, types.CompletionItemKind.Field, f"input of {typing.callee}: {label}",
                           insert=f"{item.name}: ")
        completion.sort_text = f"{0 if item.required else 1}{number:04d}"
        out.append(completion)
    return out
