"""What a document fetches once per item of a list: a database read, a ``GET`` request or a
function call inside a loop, that depends on the loop's item (for PF001, N+1 queries).

The loops: ``foreach (LIST) { each as $item }`` (the item is ``$item``), and ``for (N) { each
as $i }`` and ``while (E)`` when the statement reads an element of a list by the loop's counter
(``$list[$i]``, ``$list|get:$i``; a ``while`` loop's counters are the variables its body
updates). A statement depends on the item when it reads it, or a variable set from it inside the
loop (``var $id { value = $item.id }``). Loops bounded by a small literal are left out (a
``foreach`` over a literal list, a ``for`` of a literal count, of at most :data:`SMALL` items),
as are statements that do not depend on the item, and writes: a row edited per item, with that
item's data, is what a job loop does. Expressions hold no statements, so a ``map`` or ``filter``
predicate never queries. Only the bodies of live loops are looked at.

>>> from xanoctl.language.parser import parse_document
>>> doc = parse_document('function "a" {\\n  input {\\n    int[] ids\\n  }\\n  stack {\\n'
...     '    foreach ($input.ids) {\\n      each as $id {\\n        db.get user {\\n'
...     '          field_name = "id"\\n          field_value = $id\\n        } as $u\\n'
...     '        db.query settings as $all\\n      }\\n    }\\n  }\\n}\\n')
>>> [(r.kind, r.target, r.loop, r.over, r.item) for r in repeated(list(doc.statements()))]
[('db.get', 'user', 'foreach', '$input.ids', '$id')]
"""

from __future__ import annotations

from typing import Iterable, Iterator, NamedTuple

from xanoctl.language.model import (
    ArrayLit, Expr, Filtered, Literal, Member, ObjectLit, Statement, Variable, access_path, walk_expr,
)
from xanoctl.semantics.statements import live_statements

SMALL = 10  # a loop over at most this many literal items is not worth a finding
READS = frozenset({"db.get", "db.query", "db.has", "db.count"})
LOOPS = frozenset({"foreach", "for", "while"})
_COUNTERS = ("var.update", "math.add", "math.sub", "math.mul", "math.div")

Span = tuple[int, int, int, int]


class Repeated(NamedTuple):  # a tuple: they go through the cache
    """A read (``db.get``...), a ``GET`` ``api.request`` or a ``function.run`` that runs once
    per item of a loop. ``target``: the table, the callee or the URL as written; ``over``: the
    list (or count, or condition) of the loop as written; ``item``: the variable it reads."""

    kind: str
    target: str
    pos: Span
    loop: str
    loop_pos: Span
    over: str
    item: str


def repeated(live: list[Statement]) -> list[Repeated]:
    """Every such statement of the document (``live``: its live statements), once each."""
    found: list[Repeated] = []
    seen: set[int] = set()
    for loop in live:
        if loop.kind in LOOPS:
            for item in _in_loop(loop):
                if id(item[0]) not in seen:
                    seen.add(id(item[0]))
                    found.append(item[1])
    return found


# statements that act on the world outside the workspace's tables (a table write is a reference)
ACTS = frozenset({"util.send_email", "api.realtime_event", "realtime.publish"})


def requests(live: Iterable[Statement]) -> tuple[list[int], bool]:
    """The lines of the document's ``GET`` requests (``api.request`` without another method),
    and whether it sends anything: another request, an email, a realtime event."""
    gets: list[int] = []
    acts = False
    for stmt in live:
        if stmt.kind == "api.request":
            if _is_get(stmt):
                gets.append(stmt.pos.line)
            else:
                acts = True
        elif stmt.kind in ACTS:
            acts = True
    return gets, acts


def _in_loop(loop: Statement) -> Iterator[tuple[Statement, Repeated]]:
    arg = loop.args[0] if loop.args else None
    each = next((s for s in loop.body if s.kind == "each" and not s.disabled), None)
    body = each.body if each is not None and loop.kind != "while" else loop.body
    statements = list(live_statements(body))
    items: set[str] = set()
    counters: set[str] = set()
    if loop.kind == "foreach":
        if isinstance(arg, ArrayLit) and len(arg.items) <= SMALL or each is None or each.alias is None:
            return
        items.add(each.alias.name)
    elif loop.kind == "for":
        if isinstance(arg, Literal) and isinstance(arg.value, (int, float)) and arg.value <= SMALL:
            return
        if each is None or each.alias is None:
            return
        counters.add(each.alias.name)
    else:
        counters.update(s.target.name for s in statements
                        if s.kind.startswith(_COUNTERS) and isinstance(s.target, Variable))
    over = _text(arg)
    for stmt in statements:
        item = _reads_item(stmt, items, counters)
        if item is None:
            continue
        kind = stmt.kind
        if kind in READS and isinstance(stmt.target, str) and stmt.target \
                or kind == "function.run" and isinstance(stmt.target, str) \
                or kind == "api.request" and _is_get(stmt):
            target = stmt.target if isinstance(stmt.target, str) else _text(stmt.value("url"))
            yield stmt, Repeated(kind, target, _span(stmt), loop.kind, _span(loop), over, item)
        for name in _binds(stmt):
            items.add(name)


def _reads_item(stmt: Statement, items: set[str], counters: set[str]) -> str | None:
    """The item (or the element by a counter, ``$list[$i]``) the statement's own expressions
    read, if any."""
    for expr in _expressions(stmt):
        for node in walk_expr(expr):
            kind = type(node)
            if kind is Variable and node.name in items:
                return node.name
            if counters and kind is Member and type(node.key) is Variable and node.key.name in counters:
                return _text(node)
            if counters and kind is Filtered:
                for flt in node.filters:
                    if flt.name == "get" and not flt.disabled and flt.args and type(flt.args[0]) is Variable \
                            and flt.args[0].name in counters:
                        return _text(node)
    return None


def _expressions(stmt: Statement) -> Iterator[Expr]:
    if not isinstance(stmt.target, (str, type(None))):
        yield stmt.target
    yield from stmt.args
    if stmt.guard is not None:
        yield stmt.guard
    for setting in stmt.settings:
        yield setting.value


def _binds(stmt: Statement) -> list[str]:
    """The variables a statement that read the item sets (``var $x``, ``as $x``)."""
    names = [stmt.alias.name] if stmt.alias is not None and not stmt.alias.path else []
    if stmt.kind in ("var", "var.update") and isinstance(stmt.target, Variable):
        names.append(stmt.target.name)
    return names


def _is_get(stmt: Statement) -> bool:
    method = stmt.value("method")
    if method is None:
        return True
    return isinstance(method, Literal) and isinstance(method.value, str) and method.value.upper() == "GET"


def _span(stmt: Statement) -> Span:
    pos = stmt.pos
    return (pos.line, pos.column, pos.line, pos.column + len(stmt.kind) + (1 if stmt.disabled else 0))


def _text(expr: Expr | None) -> str:
    """A short text of an expression: a variable's path, a literal, else ``...``."""
    if expr is None:
        return ""
    path = access_path(expr)
    if path is not None:
        return path[0] + "".join(f".{key}" for key in path[1])
    if isinstance(expr, Member) and not isinstance(expr.key, str):
        return f"{_text(expr.obj)}[{_text(expr.key)}]"
    if isinstance(expr, Literal):
        return expr.raw or str(expr.value)
    if isinstance(expr, Filtered):
        return _text(expr.value) + "|..."
    if isinstance(expr, ObjectLit):
        return "{...}"
    return "..."
