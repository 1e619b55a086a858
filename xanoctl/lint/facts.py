"""What one file tells the workspace index, in a compact, picklable form.

Facts are computed once per file content (then cached) so that the cross-file rules can run
over a whole workspace without parsing it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from xanoctl.lint.finding import Finding, Span, span
from xanoctl.lint.suppress import Suppression
from xanoctl.lint.locate import header_span, target_span
from xanoctl.lint.walk import chain_text, direct_alias, result_callees
from xanoctl.language.model import Document, ObjectLit
from xanoctl.semantics.dbaccess import ColumnUse, column_uses
from xanoctl.semantics.references import Reference, references
from xanoctl.semantics.settings import about, env_names, env_reads
from xanoctl.semantics.loops import Repeated, repeated, requests
from xanoctl.semantics.states import StateTest, StateWrite, state_facts
from xanoctl.semantics.tables import Table, table_of
from xanoctl.pickling import by_fields
from xanoctl.semantics.tests import unit_tests


class InputFact(NamedTuple):  # a tuple: thousands of them go through the cache
    name: str
    type: str  # as declared, with its array and nullable marks: `int`, `text[]?`
    required: bool


@by_fields
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


@by_fields
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


@by_fields
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


# the value types TY001 can find out of place: only those are kept
MISFITS = frozenset({"text", "list", "object"})


class HandedFact(NamedTuple):  # a tuple: thousands of them go through the cache
    """A value of known type that a document hands to a callee's input (``via`` ``function.run``)
    or looks a row up by (``via`` ``db.get``...: ``target`` the table, ``key`` the column named
    by ``field_name``). ``text`` is its source."""

    via: str
    target: str
    key: str
    type: str
    pos: Span
    text: str
    path: str
    obj: str


@by_fields
@dataclass(slots=True)
class EventFact:
    starts_on: datetime | None
    freq: int | None
    ends_on: datetime | None
    valid: bool


@by_fields
@dataclass(slots=True)
class TaskFact:
    name: str
    path: str
    obj: str
    pos: Span
    active: bool | None
    events: tuple[EventFact, ...] | None  # None: no schedule at all
    description: str = ""


@by_fields
@dataclass(slots=True)
class EndpointFact:
    name: str
    verb: str | None
    group: str | None
    path: str
    obj: str
    pos: Span
    statements: int  # live statements in the stack


@by_fields
@dataclass(slots=True)
class DocFact:
    """One document: what it is and what it names outside itself (calls of every kind, tables
    read and written, middleware used, the columns its database statements name). ``group``
    is the endpoint's ``api_group`` setting."""

    kind: str
    name: str
    path: str
    pos: Span
    verb: str | None = None
    group: str | None = None
    guid: str | None = None
    refs: tuple[Reference, ...] = ()
    inputs: tuple[InputFact, ...] | None = None  # every named input as declared; None: no input clause
    columns: tuple[ColumnUse, ...] = ()
    # the string literals its database statements write into columns, and the comparisons of
    # columns with literals (:mod:`xanoctl.semantics.states`): the workspace's state machines
    state_writes: tuple[StateWrite, ...] = ()
    state_tests: tuple[StateTest, ...] = ()
    repeated: tuple[Repeated, ...] = ()  # reads and calls made once per item of a loop (PF001)
    requests: tuple[int, ...] = ()  # the lines of its `GET` requests (`api.request`)
    sends: bool = False  # it sends something: another request, an email, a realtime event
    env_reads: tuple[tuple[str, Span], ...] = ()  # `$env.NAME` read in live code, with where
    env_names: tuple[str, ...] | None = None  # a workspace document's environment (None: not in it)
    about: tuple[tuple[str, str], ...] = ()  # an agent's model, a tool's instructions, a trigger's events
    links: tuple[str, ...] = ()  # the tables whose columns its `dblink` inputs are
    # with links: the reads of inputs it does not name itself, (key, where, exactly `$input.key`)
    linked_reads: tuple[tuple[str, Span, bool], ...] = ()
    tests: tuple[tuple[str, int], ...] = ()  # its unit tests: (name, line of `test "name"`)

    @property
    def obj(self) -> str:
        """The object label of the findings about it (as :func:`object_label`)."""
        if self.kind == "query" and self.verb:
            return f"query {self.name} {self.verb}"
        return f"{self.kind} {self.name}"


@by_fields
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
    handed: list[HandedFact] = field(default_factory=list)
    secrets: list[Span] = field(default_factory=list)  # where SEC001 found a credential, to mask
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
    # computed once: the same objects in several facts are stored once in the cache
    header = header_span(doc, lines) if doc.name is not None else None
    declared = _inputs(doc)
    if doc.kind == "function" and doc.name is not None:
        out.functions.append(_function(doc, path, obj, header, declared, ctx))
    elif doc.kind == "task" and doc.name is not None:
        from xanoctl.lint.schedule import task_events

        active = doc.value("active")
        out.tasks.append(TaskFact(
            name=doc.name, path=path, obj=obj, pos=header,
            active=getattr(active, "value", None) if active is not None else None,
            events=task_events(doc),
            description=_text(doc.value("description")),
        ))
    elif doc.kind == "query" and doc.name is not None:
        group = doc.value("api_group")
        out.endpoints.append(EndpointFact(
            name=doc.name, verb=doc.verb, group=_text(group) or None, path=path, obj=obj,
            pos=header,
            statements=len(ctx.semantics.live_stack),
        ))
    elif doc.kind == "table" and doc.name is not None:
        out.tables.append(table_of(doc, path))
    if doc.name is not None:
        live = ctx.semantics.live
        links = ctx.semantics.inputs.links
        writes, tests = state_facts(doc, live)
        gets, sends = requests(live)
        out.documents.append(DocFact(
            kind=doc.kind, name=doc.name, path=path, pos=header, verb=doc.verb,
            group=_text(doc.value("api_group")) or None if doc.kind == "query" else None,
            guid=doc.guid, refs=tuple(references(doc, live)), inputs=declared,
            columns=tuple(column_uses(doc, live)), state_writes=tuple(writes), state_tests=tuple(tests),
            repeated=tuple(repeated(live)), requests=tuple(gets), sends=sends,
            env_reads=tuple((name, span(pos)) for name, pos in env_reads(ctx.semantics.vars.chains)),
            env_names=env_names(doc) if doc.kind == "workspace" else None, about=about(doc),
            links=links, linked_reads=_linked_reads(ctx) if links else (),
            tests=tuple((block.target, block.pos.line) for block in unit_tests(doc)),
        ))
    _calls(doc, path, obj, lines, out, ctx)
    for value in ctx.semantics.handed():
        if value.type not in MISFITS:  # a number, a bool or a time fits where TY001 looks
            continue
        out.handed.append(HandedFact(value.via, value.target, value.key, value.type, span(value.pos),
                                     ctx.snippet(value.pos, 60), path, obj))


def _linked_reads(ctx) -> tuple[tuple[str, Span, bool], ...]:
    """The reads of inputs a document with ``dblink`` inputs does not name itself (IN001 checks
    them against the linked tables' columns)."""
    from xanoctl.lint.rules.in001 import reads

    named = ctx.semantics.inputs.fields
    return tuple((read.key, span(read.pos), ctx.source(read.pos) == f"$input.{read.key}")
                 for read in reads(ctx.semantics) if read.key not in named)


def _text(expr) -> str:
    value = getattr(expr, "value", None)
    return value if isinstance(value, str) else ""


def _inputs(doc: Document) -> tuple[InputFact, ...] | None:
    """The named inputs as declared (a `dblink` line names none)."""
    if doc.inputs is None:
        return None
    return tuple(_input_fact(item) for item in doc.inputs if item.name is not None)


def _input_fact(item) -> InputFact:
    """An input field (of the model or of the semantic layer) as the facts keep it."""
    return InputFact(item.name, f"{item.type}{item.array or ''}{'?' if item.nullable else ''}", item.required)


def _function(doc: Document, path: str, obj: str, header: Span, declared: tuple[InputFact, ...] | None,
              ctx) -> FunctionFact:
    found = ctx.results
    inputs = None
    # unknown without an input clause, or with a `dblink` (the fields of a table)
    model = ctx.semantics.inputs
    if model.complete:
        inputs = tuple(_input_fact(item) for item in model.fields.values())
        if inputs == declared:
            inputs = declared  # one object for both facts
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
        name=doc.name, path=path, obj=obj, pos=header, inputs=inputs,
        status=status, env_keys=tuple(sorted(keys)), env_callees=tuple(callees),
    )


def _calls(doc: Document, path: str, obj: str, lines: list[str], out: FileResult, ctx) -> None:
    has_alias = False
    for stmt in ctx.semantics.vars.handing:
        if stmt.kind != "function.run" or not isinstance(stmt.target, str):
            continue
        value = stmt.value("input")
        inputs: tuple | None
        if value is None:
            inputs = ()
        elif isinstance(value, ObjectLit) and all("." not in key for key in value.keys()):
            inputs = tuple((entry.key, span(entry.pos)) for entry in value.entries if not entry.disabled)
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
        _reads(ctx.semantics.vars.chains, path, obj, out, ctx.table)


def _reads(chains, path: str, obj: str, out: FileResult, table) -> None:
    holders: dict[str, tuple[tuple[str, ...], bool] | None] = {}  # var -> (callees, direct)
    for chain in chains:
        var = chain.var
        if var not in holders:
            holders[var] = _holder(var, table)
        held = holders[var]
        if held is not None and chain.keys:
            out.reads.append(ReadFact(
                var=var, keys=tuple(chain.keys), pos=span(chain.node.pos),
                callees=held[0], direct=held[1], path=path, obj=obj,
            ))


def _holder(var: str, table) -> tuple[tuple[str, ...], bool] | None:
    """The callees whose result ``var`` holds, and whether it is their own alias; None when
    it holds no call's result."""
    callees = result_callees(var, table) if var in table else None
    return (callees, direct_alias(var, table)) if callees else None
