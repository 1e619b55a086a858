"""The typed model of one XanoScript document.

The parser (:mod:`xanoctl.language.parser`) turns text into these objects; every later stage (the
linter's index and rules, push planning, the emulator) reads this model and never a raw Lark
tree. Every node carries a :class:`Pos` with 1-based lines and columns; ``end_column`` is the
column just after the node's last character (exclusive), as editors and SARIF expect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, NamedTuple, Union


class Pos(NamedTuple):
    """Where a node stands (a tuple: made by the hundred thousand while parsing, it must be
    cheap to make, and it pickles small)."""

    line: int
    column: int
    end_line: int
    end_column: int


# --------------------------------------------------------------------------- expressions


@dataclass(slots=True)
class Literal:
    """A constant. ``kind`` is one of: string, text (triple-quoted), number, bool, null, now,
    timestamp (the unquoted schedule literal), ident (a bare identifier where one is allowed,
    e.g. an enum default or a filter argument)."""

    kind: str
    value: object  # str for string/text/timestamp/ident/now, int|float for number, bool, None
    pos: Pos
    raw: str = ""  # the source text of the literal


@dataclass(slots=True)
class Variable:
    """``$name``, ``$input``, ``$auth``, ``$env``, ``$db``, ``$$``... ``$var.x`` and ``$["x"]``
    are normalised to ``$x``; ``$`` with a key that is no name (``$[""]``, ``$[$k]``) is a
    Member of ``$var``, the root of the variables. ``name`` keeps the ``$``."""

    name: str
    pos: Pos


@dataclass(slots=True)
class Member:
    """An access step: ``obj.key``, ``obj[0]``, ``obj["key"]``, ``obj.["key"]``, ``obj[$i]``.
    ``key`` is a str for a static key (``.0`` and ``[0]`` give ``"0"``; ``["x"]`` and ``.["x"]``
    give ``"x"``), or an expression for a dynamic one."""

    obj: "Expr"
    key: Union[str, "Expr"]
    pos: Pos


@dataclass(slots=True)
class Unary:
    op: str  # "!" or "-"
    operand: "Expr"
    pos: Pos


@dataclass(slots=True)
class Binary:
    """``op`` is the operator as written, normalised to lower case and single spaces for word
    operators (``"not in"``, ``"==?"``, ``"&&"``, ``"~"``)."""

    op: str
    left: "Expr"
    right: "Expr"
    pos: Pos


@dataclass(slots=True)
class Ternary:
    cond: "Expr"
    then: "Expr"
    otherwise: "Expr"
    pos: Pos


@dataclass(slots=True)
class Filter:
    name: str
    args: list["Expr"]
    disabled: bool
    pos: Pos


@dataclass(slots=True)
class Filtered:
    """``value|f1:arg|f2``."""

    value: "Expr"
    filters: list[Filter]
    pos: Pos


@dataclass(slots=True)
class Cast:
    """``!int "42"``: ``type`` is ``int``, ``value`` the string literal."""

    type: str
    value: "Expr"
    pos: Pos


@dataclass(slots=True)
class ObjectEntry:
    """``key: value``. A disabled entry (``!key: value``) is kept, marked ``disabled``: Xano
    leaves it out of the object, and so do :meth:`ObjectLit.get` and :meth:`ObjectLit.keys`."""

    key: str
    value: "Expr"
    pos: Pos  # position of the key (from the `!` of a disabled entry)
    disabled: bool = False


@dataclass(slots=True)
class ObjectLit:
    entries: list[ObjectEntry]
    pos: Pos

    def get(self, key: str) -> "Expr | None":
        """The value of an enabled entry ``key``."""
        for entry in self.entries:
            if entry.key == key and not entry.disabled:
                return entry.value
        return None

    def keys(self) -> list[str]:
        """The keys of the enabled entries, in order."""
        return [entry.key for entry in self.entries if not entry.disabled]


@dataclass(slots=True)
class ArrayLit:
    items: list["Expr"]
    pos: Pos


@dataclass(slots=True)
class Backtick:
    """A backtick (or triple-backtick) expression, kept as text (an escaped `` \\` `` read as `` ` ``)."""

    code: str
    pos: Pos


Expr = Union[
    Literal, Variable, Member, Unary, Binary, Ternary, Filtered, Cast, ObjectLit, ArrayLit, Backtick
]


def access_path(expr: Expr) -> tuple[str, list[str]] | None:
    """``$r.data.people`` -> ``("$r", ["data", "people"])``; filters are looked through
    (``$r.data|first`` -> ``("$r", ["data"])``) only when they are at the end. None when the
    expression is not a plain access chain on a variable or a key is dynamic."""
    keys: list[str] = []
    node = expr
    while isinstance(node, Member):
        if not isinstance(node.key, str):
            return None
        keys.append(node.key)
        node = node.obj
    if isinstance(node, Variable):
        return node.name, list(reversed(keys))
    return None


def walk_expr(expr: Expr, dead: bool = False) -> Iterator[Expr]:
    """Every expression node under ``expr`` (itself included) that Xano evaluates, depth first,
    iteratively: the value of a disabled object entry (``!key: value``) and the arguments of a
    disabled filter (``|!set:"k":$v``) are left out, unless ``dead``. (Dispatch on the exact
    class: the node classes have no subclasses, and this runs over every expression of every
    file.)"""
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        yield node
        kind = type(node)
        if kind is Variable or kind is Literal or kind is Backtick:
            continue
        if kind is Member:
            if not isinstance(node.key, str):
                stack.append(node.key)
            stack.append(node.obj)
        elif kind is Filtered:
            for flt in reversed(node.filters):
                if dead or not flt.disabled:
                    stack.extend(reversed(flt.args))
            stack.append(node.value)
        elif kind is Binary:
            stack.extend((node.right, node.left))
        elif kind is ObjectLit:
            stack.extend(entry.value for entry in reversed(node.entries) if dead or not entry.disabled)
        elif kind is ArrayLit:
            stack.extend(reversed(node.items))
        elif kind is Unary:
            stack.append(node.operand)
        elif kind is Ternary:
            stack.extend((node.otherwise, node.then, node.cond))
        elif kind is Cast:
            stack.append(node.value)


# --------------------------------------------------------------------------- statements


@dataclass(slots=True)
class Setting:
    """``key = value`` inside an object, a clause or a statement body."""

    key: str
    value: Expr
    pos: Pos  # position of the key


@dataclass(slots=True)
class Alias:
    """``as $name.path|filters``. ``legacy`` is True for the older ``as name`` without ``$``."""

    name: str  # with the "$"
    path: list[str]
    filters: list[Filter]
    legacy: bool
    pos: Pos


@dataclass(slots=True)
class Statement:
    """One statement, in its general shape::

        [!]KIND [TARGET] [verb=V] [(ARGS)] [if (GUARD)] [{ BODY }] [as $ALIAS]

    ``kind`` is the dotted name (``db.query``, ``function.run``, ``if``, ``each``, ``stack``...).
    ``target`` is the name after the kind: a str for an identifier or a quoted string
    (``function.run "Tasks/X"`` -> ``"Tasks/X"``), a Variable/Member for ``var $x`` and
    ``array.push $arr``, a number Literal for the legacy numeric table id. ``target_quoted``
    tells a quoted name from a bare one. ``settings`` are the ``key = value`` lines of the
    body; ``body`` the nested statements (``stack``, ``if``, ``each``, ``try``... bodies are
    themselves Statements). ``has_block`` is True when the statement had ``{...}``.
    """

    kind: str
    pos: Pos
    disabled: bool = False
    target: Union[str, Expr, None] = None
    target_quoted: bool = False
    target_pos: Pos | None = None  # where the target stands (the callee's name of a function.run)
    verb: str | None = None
    args: list[Expr] = field(default_factory=list)
    guard: Expr | None = None
    settings: list[Setting] = field(default_factory=list)
    body: list["Statement"] = field(default_factory=list)
    alias: Alias | None = None
    has_block: bool = False
    alias_before_block: bool = False  # `each as $x { ... }`
    then_break: bool = False  # `case (1) { ... } break`: a `break` closing the statement's line

    def setting(self, key: str) -> Setting | None:
        for item in self.settings:
            if item.key == key:
                return item
        return None

    def value(self, key: str) -> Expr | None:
        item = self.setting(key)
        return item.value if item else None

    def walk(self) -> Iterator["Statement"]:
        """This statement and every statement nested in it, in source order, iteratively."""
        stack: list[Statement] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.body))


# --------------------------------------------------------------------------- fields


@dataclass(slots=True)
class InputField:
    """One line of an ``input { }`` or ``schema { }`` block::

        TYPE [ARRAY] [?] NAME [?] [= DEFAULT] [filters=F|G] [{ metadata }]
    """

    type: str
    name: str | None  # None only for `dblink { ... }`
    pos: Pos
    array: str | None = None  # "[]", "[1:40]", "[1:]", "[:5]" or None
    nullable: bool = False  # `?` after the type
    optional: bool = False  # `?` after the name
    default: Expr | None = None
    filters: list[Filter] = field(default_factory=list)
    settings: list[Setting] = field(default_factory=list)  # metadata: description, table, ...
    fields: list["InputField"] = field(default_factory=list)  # nested `schema { }` of an object

    @property
    def required(self) -> bool:
        """What a caller must pass: no `?` after the name and no default."""
        return not self.optional and self.default is None


# --------------------------------------------------------------------------- documents


@dataclass(slots=True)
class ScheduleEvent:
    """One event of a task's ``schedule = [...]``; raw expressions are kept so that rules can
    report malformed values with their position."""

    pos: Pos
    starts_on: Expr | None
    freq: Expr | None
    ends_on: Expr | None
    entry: Expr  # the whole event expression (normally an ObjectLit)


@dataclass(slots=True)
class Document:
    """One XanoScript document (one object).

    ``kind`` is the top-level keyword (function, query, task, table, api_group, middleware,
    addon, agent, tool, mcp_server, workflow_test, *_trigger, realtime_channel, workspace,
    branch). ``name`` is the object's name, ``name_quoted`` whether it was a quoted string.
    ``verb`` is set for queries. ``settings`` are the top-level ``key = value`` clauses in order
    (response, active, guid, schedule, description, tags, api_group, auth, history, cache...).
    ``stack`` is the body of ``stack { }`` (None when there is no stack clause at all),
    ``inputs`` the fields of ``input { }`` (None without an input clause), ``schema`` the fields
    of a table's ``schema { }``. ``blocks`` holds the other block clauses (tests, legacy forms).
    ``comments`` are the ``//`` lines above the top-level keyword, without the slashes.
    ``legacy`` lists the older-beta constructs seen, as (description, Pos) pairs, for XS002.
    """

    kind: str
    name: str | None
    pos: Pos
    path: str = ""
    name_quoted: bool = True
    name_pos: Pos | None = None
    verb: str | None = None
    settings: list[Setting] = field(default_factory=list)
    inputs: list[InputField] | None = None
    stack: list[Statement] | None = None
    stack_pos: Pos | None = None
    schema: list[InputField] | None = None
    blocks: list[Statement] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    legacy: list[tuple[str, Pos]] = field(default_factory=list)
    line_offset: int = 0  # lines before this document in a multidoc text

    def setting(self, key: str) -> Setting | None:
        for item in self.settings:
            if item.key == key:
                return item
        return None

    def value(self, key: str) -> Expr | None:
        item = self.setting(key)
        return item.value if item else None

    @property
    def response(self) -> Expr | None:
        """The ``response = EXPR`` value (or the legacy ``response { value = EXPR }``)."""
        item = self.setting("response")
        if item is not None:
            return item.value
        for block in self.blocks:
            if block.kind == "response":
                return block.value("value")
        return None

    @property
    def guid(self) -> str | None:
        value = self.value("guid")
        if isinstance(value, Literal) and isinstance(value.value, str):
            return value.value
        return None

    @property
    def schedule(self) -> list[ScheduleEvent] | None:
        """The task's schedule events, or None when the document has no schedule at all
        (neither ``schedule = [...]`` nor the legacy ``schedule { events = [...] }``)."""
        value = self.value("schedule")
        if value is None:
            for block in self.blocks:
                if block.kind == "schedule":
                    value = block.value("events")
                    break
            else:
                return None
        if not isinstance(value, ArrayLit):
            return []
        events = []
        for item in value.items:
            if isinstance(item, ObjectLit):
                events.append(
                    ScheduleEvent(item.pos, item.get("starts_on"), item.get("freq"), item.get("ends_on"), item)
                )
            else:
                events.append(ScheduleEvent(item.pos, None, None, None, item))
        return events

    def statements(self) -> Iterator[Statement]:
        """Every statement of the stack and of the other block clauses, nested ones included."""
        for top in self.stack or []:
            yield from top.walk()
        for block in self.blocks:
            yield from block.walk()
