"""What one file tells the workspace index, in a compact, picklable form.

Facts are computed once per file content (then cached) so that the cross-file rules can run
over a whole workspace without parsing it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from xanoctl.lint.finding import Finding, Span, span
from xanoctl.lint.locate import header_span, target_span
from xanoctl.lint.walk import (
    access_chains, chain_text, direct_alias, document_reads, document_statements,
    live_statements, result_callees,
)
from xanoctl.language.model import Document, ObjectLit
from xanoctl.semantics.references import Reference, references
from xanoctl.semantics.tables import Table, table_of


@dataclass(slots=True)
class InputFact:
    name: str
    type: str  # as declared, with its array and nullable marks: `int`, `text[]?`
    required: bool


@dataclass(slots=True)
class FunctionFact:
    name: str
    path: str
    obj: str
    pos: Span  # the name in the header
    inputs: tuple[InputFact, ...] | None  # None: unknown (no input clause, or unparsed file)
    # whether its results are envelopes: "envelope" (subject to env_callees), "other",
    # "unknown" or "none" (no result at all)
    status: str = "unknown"
    env_keys: tuple[str, ...] = ()
    env_callees: tuple[str, ...] = ()

    def signature(self) -> tuple:
        """What its callers depend on: the inputs it takes and what it answers."""
        inputs = None if self.inputs is None else tuple((i.name, i.type, i.required) for i in self.inputs)
        return (inputs, self.status, self.env_keys, self.env_callees)


@dataclass(slots=True)
class CallFact:
    """``function.run CALLEE { input = {...} } as $alias`` (live statements only)."""

    callee: str
    path: str
    obj: str
    pos: Span  # the callee's name
    stmt_pos: Span
    inputs: tuple[tuple[str, Span], ...] | None  # keys passed; None: not a literal object
    input_pos: Span | None  # the `input` value, when there is one
    alias: str | None


@dataclass(slots=True)
class ReadFact:
    """A read ``$r.key...`` of a variable holding a ``function.run`` result."""

    var: str
    keys: tuple[str, ...]
    pos: Span
    callees: tuple[str, ...]
    direct: bool  # the variable is the call's own `as` target (not a copy)
    path: str
    obj: str

    @property
    def text(self) -> str:
        return chain_text(self.var, list(self.keys))


@dataclass(slots=True)
class EventFact:
    starts_on: datetime | None
    freq: int | None
    ends_on: datetime | None
    valid: bool


@dataclass(slots=True)
class TaskFact:
    name: str
    path: str
    obj: str
    pos: Span
    active: bool | None
    events: tuple[EventFact, ...] | None  # None: no schedule at all
    description: str = ""


@dataclass(slots=True)
class EndpointFact:
    name: str
    verb: str | None
    group: str | None
    path: str
    obj: str
    pos: Span
    statements: int  # live statements in the stack


@dataclass(slots=True)
class DocFact:
    """One document: what it is and what it names outside itself (calls of every kind, tables
    read and written, middleware used). ``group`` is the endpoint's ``api_group`` setting."""

    kind: str
    name: str
    path: str
    pos: Span
    verb: str | None = None
    group: str | None = None
    guid: str | None = None
    refs: tuple[Reference, ...] = ()
    inputs: tuple[InputFact, ...] | None = None  # every named input as declared; None: no input clause


@dataclass(slots=True)
class Suppression:
    """``// xanoctl: ignore[CODES] reason`` and the lines it covers."""

    pos: Span  # the comment
    codes: tuple[str, ...]
    reason: str
    first: int  # first line covered
    last: int  # last line covered


@dataclass(slots=True)
class FileResult:
    """Everything the linter keeps about one file."""

    path: str
    digest: str
    lines: int
    findings: list[Finding] = field(default_factory=list)  # per-file rules, default severity
    functions: list[FunctionFact] = field(default_factory=list)
    calls: list[CallFact] = field(default_factory=list)
    reads: list[ReadFact] = field(default_factory=list)
    tasks: list[TaskFact] = field(default_factory=list)
    endpoints: list[EndpointFact] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    documents: list[DocFact] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    parsed: bool = True


def object_label(doc: Document) -> str:
    name = doc.name if doc.name is not None else "?"
    if doc.kind == "query" and doc.verb:
        return f"query {name} {doc.verb}"
    return f"{doc.kind} {name}"


def collect(doc: Document, path: str, lines: list[str], out: FileResult, ctx=None) -> None:
    """Add the facts of one parsed document to ``out`` (``ctx``: its DocContext, to reuse
    what the rules already worked out)."""
    if ctx is None:
        from xanoctl.lint.context import DocContext

        ctx = DocContext(doc, path, lines, lambda code: {})
    obj = object_label(doc)
    if doc.kind == "function" and doc.name is not None:
        out.functions.append(_function(doc, path, obj, lines, ctx.results))
    elif doc.kind == "task" and doc.name is not None:
        from xanoctl.lint.schedule import task_events

        active = doc.value("active")
        out.tasks.append(TaskFact(
            name=doc.name, path=path, obj=obj, pos=header_span(doc, lines),
            active=getattr(active, "value", None) if active is not None else None,
            events=task_events(doc),
            description=_text(doc.value("description")),
        ))
    elif doc.kind == "query" and doc.name is not None:
        group = doc.value("api_group")
        out.endpoints.append(EndpointFact(
            name=doc.name, verb=doc.verb, group=_text(group) or None, path=path, obj=obj,
            pos=header_span(doc, lines),
            statements=sum(1 for _ in live_statements(doc.stack or [])),
        ))
    elif doc.kind == "table" and doc.name is not None:
        out.tables.append(table_of(doc, path))
    if doc.name is not None:
        out.documents.append(DocFact(
            kind=doc.kind, name=doc.name, path=path, pos=header_span(doc, lines), verb=doc.verb,
            group=_text(doc.value("api_group")) or None if doc.kind == "query" else None,
            guid=doc.guid, refs=tuple(references(doc)), inputs=_inputs(doc),
        ))
    _calls(doc, path, obj, lines, out, ctx)


def _text(expr) -> str:
    value = getattr(expr, "value", None)
    return value if isinstance(value, str) else ""


def _inputs(doc: Document) -> tuple[InputFact, ...] | None:
    """The named inputs as declared (a `dblink` line names none)."""
    if doc.inputs is None:
        return None
    return tuple(InputFact(item.name, f"{item.type}{item.array or ''}{'?' if item.nullable else ''}", item.required)
                 for item in doc.inputs if item.name is not None)


def _function(doc: Document, path: str, obj: str, lines: list[str], found) -> FunctionFact:
    inputs = None
    # a `dblink` input takes the fields of a table: what a caller may pass is not known here
    if doc.inputs is not None and all(item.name is not None and item.type != "dblink" for item in doc.inputs):
        inputs = _inputs(doc)
    status = "none"
    keys: set[str] = set()
    callees: list[str] = []
    if found:
        kinds = {result.verdict.kind for result in found}
        status = "other" if "other" in kinds else "unknown" if "unknown" in kinds else "envelope"
        for result in found:
            for literal in result.verdict.literals:
                keys.update(literal.keys())
            keys.update(result.verdict.extra)
            callees.extend(name for name in result.verdict.callees if name not in callees)
    return FunctionFact(
        name=doc.name, path=path, obj=obj, pos=header_span(doc, lines), inputs=inputs,
        status=status, env_keys=tuple(sorted(keys)), env_callees=tuple(callees),
    )


def _calls(doc: Document, path: str, obj: str, lines: list[str], out: FileResult, ctx) -> None:
    has_alias = False
    for stmt in document_statements(doc):
        if stmt.kind != "function.run" or not isinstance(stmt.target, str):
            continue
        value = stmt.value("input")
        inputs: tuple | None
        if value is None:
            inputs = ()
        elif isinstance(value, ObjectLit) and all("." not in key for key in value.keys()):
            inputs = tuple((entry.key, span(entry.pos)) for entry in value.entries)
        else:
            inputs = None
        alias = stmt.alias.name if stmt.alias is not None else None
        has_alias = has_alias or alias is not None
        out.calls.append(CallFact(
            callee=stmt.target, path=path, obj=obj, pos=target_span(stmt, lines),
            stmt_pos=span(stmt.pos), inputs=inputs,
            input_pos=span(value.pos) if value is not None else None, alias=alias,
        ))
    if has_alias:
        _reads(doc, path, obj, out, ctx.table)


def _reads(doc: Document, path: str, obj: str, out: FileResult, table) -> None:
    holders: dict[str, tuple[str, ...] | None] = {}
    for expr in document_reads(doc):
        for chain in access_chains(expr):
            if chain.var not in holders:
                holders[chain.var] = result_callees(chain.var, table) if chain.var in table else None
            callees = holders[chain.var]
            if callees and chain.keys:
                out.reads.append(ReadFact(
                    var=chain.var, keys=tuple(chain.keys), pos=span(chain.node.pos),
                    callees=callees, direct=direct_alias(chain.var, table), path=path, obj=obj,
                ))

