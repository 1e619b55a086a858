"""The variables of a document: where each is bound and every place one is read.

Binding is flow-insensitive, as in Xano: a variable bound anywhere in the document (``var``,
``as $x`` of any statement, ``each as $x``) counts as defined everywhere in it. Some names are
bound by Xano itself, in part of a document only: ``$input``, ``$auth``, ``$env`` and ``$db``
everywhere; ``$$`` (the element) in filter arguments, in ``array.*`` statements and in loops;
``$this`` and ``$index`` there too; ``$output`` (the row) in the ``addon`` setting of a ``db.*``
statement and in an ``addon`` document; ``$error`` inside ``catch``; ``$response`` in tests and
in ``util.post_process``.

One walk of the document gives the bindings, the reads (with the context that makes a
built-in name valid there), the reads of ``$input.x``, and the names that code held in text
mentions (backtick expressions, ``api.lambda`` code, templates), which count as read. The same
walk keeps what other rules would otherwise walk the document again for: the names of the
filters applied and the string literals (dead code included).

Dead code is walked too, its reads marked not live: disabled statements, the value of a
disabled object entry (``{a: $x, !b: $y}``: Xano leaves ``b`` out, ``$y`` is never evaluated)
and the arguments of a disabled filter (``|!set:"k":$v``). No rule takes them for reads that
run (VR001, IN001, the column and type rules); VR002 counts them, as a name kept in code
switched off is not unused.

Xano's exporter writes ``placeholder "mvp:crypto_jwe_decode"`` where it cannot print a
statement; in the live workspace that statement binds and reads variables we cannot see. A live
placeholder (:class:`Placeholder`) could bind any name read after it, read any variable bound
before it, and change it: such a read is not reported unbound, such a variable counts as read,
and the placeholder counts as an update of it (its value and type unknown from then on). Inside
a loop, the whole loop is both before and after it.

>>> from xanoctl.language.parser import parse_document
>>> found = variables(parse_document('function "a" {\\n  input {\\n    int id\\n  }\\n  stack {\\n'
...     '    var $x { value = $input.id|map:$$.a }\\n    debug.log { value = $y }\\n  }\\n'
...     '  response = $x\\n}\\n'))
>>> sorted(found.bindings), [read.name for read in found.unbound()], [r.key for r in found.inputs]
(['$x'], ['$y'], ['id'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from xanoctl.language.model import (
    Alias, ArrayLit, Backtick, Binary, Cast, Document, Expr, Filtered, Literal, Member, ObjectLit, Pos,
    Statement, Ternary, Unary, Variable,
)

EVERYWHERE = frozenset({"$input", "$auth", "$env", "$db"})
# built-in names and the contexts that bind them
_IN_CONTEXT = {"$$": "element", "$this": "element", "$index": "element", "$output": "addon",
               "$error": "catch", "$response": "test"}
# statements whose body binds a built-in name: `catch` ($error), a loop ($index), the
# post-processing of an endpoint ($response)
_BINDS = {"catch": "catch", "foreach": "element", "for": "element", "while": "element",
          "util.post_process": "test"}
# statements whose target is written, not read
WRITES = frozenset({"var", "var.update"})
_ELEMENT = frozenset({"element"})
# statements that hand values to another object (a callee's inputs, a row's key)
HANDING = frozenset({"function.run", "db.get", "db.edit", "db.patch", "db.del", "db.add_or_edit", "db.has"})
_MENTION = re.compile(r"\$(?:var\.)?([A-Za-z_][A-Za-z0-9_]*)")


class Binding(NamedTuple):
    """``kind``: ``var`` (``var $x``), ``as`` (``... as $x``) or ``each`` (``each as $x``).
    ``stmt`` is the statement that binds it."""

    name: str
    kind: str
    pos: Pos
    stmt: Statement
    live: bool  # not inside a disabled statement


class Read(NamedTuple):
    name: str  # with the "$"
    pos: Pos
    contexts: frozenset[str]  # element, addon, catch, test: what the place binds
    live: bool

    @property
    def builtin(self) -> bool:
        """Whether Xano binds this name where it is read."""
        return self.name in EVERYWHERE or _IN_CONTEXT.get(self.name) in self.contexts


class InputRead(NamedTuple):
    """``$input.key`` (or ``$input["key"]``): ``pos`` covers ``$input.key``."""

    key: str
    pos: Pos
    live: bool


class Chain(NamedTuple):
    """A live static access chain on a variable, as long as it goes: ``$r.data.people`` is
    ``node`` (the whole chain), ``var`` ``$r`` and ``keys`` ``["data", "people"]``."""

    node: Member
    var: str
    keys: list[str]


class Placeholder(NamedTuple):
    """A live ``placeholder`` statement: where it starts, and the span of the outermost loop
    around it (None outside loops)."""

    stmt: Statement
    loop: Pos | None

    def after(self, pos: Pos) -> bool:
        """Whether code at ``pos`` could run after the statement the placeholder stands for."""
        start = self.stmt.pos
        return (pos[0], pos[1]) >= (start[0], start[1]) or _within(pos, self.loop)

    def before(self, pos: Pos) -> bool:
        """Whether code at ``pos`` could run before it."""
        start = self.stmt.pos
        return (pos[0], pos[1]) <= (start[0], start[1]) or _within(pos, self.loop)


def _within(pos: Pos, span: Pos | None) -> bool:
    return span is not None and (span[0], span[1]) <= (pos[0], pos[1]) <= (span[2], span[3])


class Change(NamedTuple):
    """A live statement that sets a variable: ``how`` is ``bind`` (``var $x``), ``as`` (its
    ``as $x``, ``each as $x`` included), ``update`` (the whole value: ``var.update $x``,
    ``math.add $x``...) or ``key`` (``var.update $x.key``; ``key`` is the first key, None when
    dynamic)."""

    how: str
    stmt: Statement
    key: str | None = None


@dataclass(slots=True)
class Variables:
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    # the variables read, by (contexts, live): the model's nodes themselves, few objects made
    # (a "write" context: the target of `var.update`)
    by_place: dict[tuple[frozenset[str], bool], list[Variable]] = field(default_factory=dict)
    inputs: list[InputRead] = field(default_factory=list)
    mentions: set[str] = field(default_factory=set)  # `$name` seen in text and backticks (no "$")
    # statements that change a variable's whole value in place (`var.update $x`, `math.add $x`,
    # `array.push $x`...), and the keys set on one (`var.update $x.key`; None: a dynamic key)
    updates: dict[str, list[Statement]] = field(default_factory=dict)
    keys_set: dict[str, list[str | None]] = field(default_factory=dict)
    # every live statement that sets a variable, its key or the whole of it, in source order
    changes: dict[str, list[Change]] = field(default_factory=dict)
    handing: list[Statement] = field(default_factory=list)  # live statements of a HANDING kind
    placeholders: list[Placeholder] = field(default_factory=list)  # what Xano's exporter could not print
    chains: list[Chain] = field(default_factory=list)  # in the expressions (targets aside)
    # every filter name applied in an expression or an `as` alias, and every string and text
    # literal, disabled statements included
    filters: set[str] = field(default_factory=set)
    strings: list[Literal] = field(default_factory=list)
    _names: set[str] | None = None

    def bound(self, name: str) -> bool:
        return any(binding.live for binding in self.bindings.get(name, ()))

    @property
    def reads(self) -> list[Read]:
        """Every read of a variable."""
        return [Read(node.name, node.pos, contexts, live)
                for (contexts, live), nodes in self.by_place.items() for node in nodes]

    def read_at(self, node: Variable, contexts: frozenset[str], live: bool) -> None:
        place = (contexts, live)
        found = self.by_place.get(place)
        if found is None:
            self.by_place[place] = [node]
        else:
            found.append(node)

    def unbound(self) -> list[Read]:
        """The live reads of a name that nothing live in the document binds (updates aside)."""
        bound = {name for name, bindings in self.bindings.items() if any(b.live for b in bindings)}
        names = self._read_names()
        if not names.difference(bound, EVERYWHERE):
            return []
        out = []
        for (contexts, live), nodes in self.by_place.items():
            if live and "write" not in contexts:
                for node in nodes:
                    if node.name not in bound:
                        read = Read(node.name, node.pos, contexts, live)
                        if not read.builtin and not any(p.after(node.pos) for p in self.placeholders):
                            out.append(read)
        return out

    def is_read(self, name: str) -> bool:
        """Whether anything reads the variable (dead code and text mentions included), or could:
        a placeholder after one of its bindings."""
        if name in self._read_names() or name[1:] in self.mentions:
            return True
        return bool(self.placeholders) and self._before_placeholder(name) is not None

    def _before_placeholder(self, name: str) -> Placeholder | None:
        """A live placeholder that could run after a live binding of ``name``."""
        for binding in self.bindings.get(name, ()):
            if binding.live:
                for placeholder in self.placeholders:
                    if placeholder.before(binding.pos):
                        return placeholder
        return None

    def _read_names(self) -> set[str]:
        if self._names is None:
            self._names = {node.name for (contexts, _), nodes in self.by_place.items() if "write" not in contexts
                           for node in nodes}
        return self._names


def variables(doc: Document) -> Variables:
    out = Variables()
    addon_doc = doc.kind == "addon"
    base = frozenset({"addon"}) if addon_doc else frozenset()
    if doc.kind == "workflow_test":
        base = base | {"test"}
    for setting in doc.settings:
        _expr(setting.value, base, True, out)
    todo: list[tuple[Statement, frozenset[str], bool]] = []
    for block in reversed(doc.blocks):
        todo.append((block, base | {"test"} if block.kind == "test" else base, True))
    for stmt in reversed(doc.stack or []):
        todo.append((stmt, base, True))
    while todo:
        stmt, contexts, live = todo.pop()
        live = live and not stmt.disabled
        kind = stmt.kind
        if kind in _BINDS:
            contexts = _with(contexts, _BINDS[kind])
        inner = _with(contexts, "element") if kind.startswith("array.") else contexts
        if live and kind in HANDING:
            out.handing.append(stmt)
        elif live and kind == "placeholder":
            out.placeholders.append(Placeholder(stmt, None))
        target = stmt.target
        if isinstance(target, str) and kind in WRITES:  # the older `var x1 {`
            target = Variable("$" + target, stmt.target_pos or stmt.pos)
        if isinstance(target, Variable):
            if kind == "var":
                out.bindings.setdefault(target.name, []).append(Binding(target.name, "var", target.pos, stmt, live))
                if live:
                    out.changes.setdefault(target.name, []).append(Change("bind", stmt))
            else:
                # math.add $x, array.push $x, array.pop $x: the value is used; var.update only sets it
                out.read_at(target, _with(inner, "write") if kind in WRITES else inner, live)
                if live:
                    out.updates.setdefault(target.name, []).append(stmt)
                    out.changes.setdefault(target.name, []).append(Change("update", stmt))
        elif isinstance(target, Member):
            _target_member(target, stmt, inner, live, out)
        for arg in stmt.args:
            _expr(arg, inner, live, out)
        if stmt.guard is not None:
            _expr(stmt.guard, inner, live, out)
        for setting in stmt.settings:
            where = _with(inner, "addon") if setting.key == "addon" and kind.startswith("db.") else inner
            if kind == "api.lambda" and isinstance(setting.value, Literal) and isinstance(setting.value.value, str):
                out.mentions.update(_MENTION.findall(setting.value.value))
            _expr(setting.value, where, live, out)
        alias = stmt.alias
        if alias is not None:
            _alias(alias, stmt, live, out)
        for child in reversed(stmt.body):
            todo.append((child, contexts, live))
    if out.placeholders:
        _placeholders(doc, out)
    return out


_LOOPS = frozenset({"foreach", "for", "while"})


def _placeholders(doc: Document, out: Variables) -> None:
    """The loop around each placeholder, and the variables it could change (see the module's
    docstring)."""
    loops: dict[int, Pos] = {}
    todo: list[tuple[Statement, Pos | None]] = [(stmt, None) for stmt in (*(doc.stack or ()), *doc.blocks)]
    while todo:
        stmt, loop = todo.pop()
        if stmt.kind == "placeholder" and loop is not None:
            loops[id(stmt)] = loop
        if loop is None and stmt.kind in _LOOPS:
            loop = stmt.pos
        todo.extend((child, loop) for child in stmt.body)
    out.placeholders = [Placeholder(p.stmt, loops.get(id(p.stmt))) for p in out.placeholders]
    for name in list(out.bindings):
        placeholder = out._before_placeholder(name)
        if placeholder is not None:
            out.updates.setdefault(name, []).append(placeholder.stmt)
            out.changes.setdefault(name, []).append(Change("update", placeholder.stmt))


def _alias(alias: Alias, stmt: Statement, live: bool, out: Variables) -> None:
    kind = "each" if stmt.kind == "each" else "as"
    out.bindings.setdefault(alias.name, []).append(Binding(alias.name, kind, alias.pos, stmt, live))
    if live:
        out.changes.setdefault(alias.name, []).append(Change("as", stmt))
    for flt in alias.filters:
        out.filters.add(flt.name)
        for arg in flt.args:
            _expr(arg, _ELEMENT, live and not flt.disabled, out)


def _target_member(target: Member, stmt: Statement, contexts: frozenset[str], live: bool, out: Variables) -> None:
    """``var.update $x.key`` sets a key of ``$x``; ``math.add $rows[0].qty`` reads ``$rows``
    and changes a key of it. Dynamic keys in either are read."""
    kind = stmt.kind
    node: Expr = target
    first: str | None = None
    while isinstance(node, Member):
        if isinstance(node.key, str):
            first = node.key
        else:
            first = None
            _expr(node.key, contexts, live, out)
        node = node.obj
    if isinstance(node, Variable):
        out.read_at(node, _with(contexts, "write") if kind in WRITES else contexts, live)
        if live:
            out.keys_set.setdefault(node.name, []).append(first)
            out.changes.setdefault(node.name, []).append(Change("key", stmt, first))


@lru_cache(maxsize=64)
def _with(contexts: frozenset[str], extra: str) -> frozenset[str]:
    return contexts | {extra}


def _expr(expr: Expr, where: frozenset[str], live: bool, out: Variables) -> None:
    stack: list[Expr] = [expr]
    pop, push = stack.pop, stack.append
    element: frozenset[str] | None = None
    while stack:
        node = pop()
        kind = type(node)
        if kind is Variable:
            out.read_at(node, where, live)
        elif kind is Literal:
            if node.kind in ("string", "text"):
                out.strings.append(node)
                if "$" in node.value:
                    out.mentions.update(_MENTION.findall(node.value))
        elif kind is Member:  # a whole access chain: `$r.data.people`, `$rows[$i].id`
            top = node
            keys: list[str] = []
            static = True
            while type(node) is Member:
                key = node.key
                obj = node.obj
                if type(key) is str:
                    keys.append(key)
                else:
                    static = False
                    push(key)
                    if type(key) is Literal and type(key.value) is str:
                        key = key.value
                if type(obj) is Variable and obj.name == "$input" and type(key) is str:
                    out.inputs.append(InputRead(key, node.pos, live))
                node = obj
            if type(node) is Variable:
                out.read_at(node, where, live)
                if static and live:
                    keys.reverse()
                    out.chains.append(Chain(top, node.name, keys))
            else:
                push(node)
        elif kind is Filtered:
            push(node.value)
            if element is None:
                element = _with(where, "element")
            for flt in node.filters:
                out.filters.add(flt.name)
                for arg in flt.args:  # a disabled filter's arguments are dead code
                    _expr(arg, element, live and not flt.disabled, out)
        elif kind is Binary:
            push(node.left)
            push(node.right)
        elif kind is ObjectLit:
            for entry in node.entries:
                if entry.disabled:  # `!key: value`: Xano never evaluates the value
                    _expr(entry.value, where, False, out)
                else:
                    push(entry.value)
        elif kind is ArrayLit:
            stack.extend(node.items)
        elif kind is Ternary:
            stack.extend((node.cond, node.then, node.otherwise))
        elif kind is Unary:
            push(node.operand)
        elif kind is Cast:
            push(node.value)
        elif kind is Backtick:
            out.mentions.update(_MENTION.findall(node.code))
