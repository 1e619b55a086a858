"""The states a document writes into table columns, the states it selects rows by, and the
order it writes them in one run: what the workspace's state machines
(:mod:`xanoctl.semantics.machines`) are built from.

For each live database statement on a named table, and each column:

- a *write* is a string literal in the ``data`` of ``db.add``, ``db.edit``, ``db.patch``,
  ``db.add_or_edit`` (or an item of a literal ``db.bulk.add`` list): ``status: "Started"``. Its
  *sources* are the states the row was in before, as far as the document tells: ``()`` for a
  new row; the states selected by the ``where`` of the query that gave the row (``foreach`` over
  it, or ``return = {type: "single"}``), by ``field_name``/``field_value``, by an enclosing
  ``if``/``precondition``/``switch`` on ``$row.status``, or written earlier in the same run on
  the same row; ``None`` when it cannot tell (a row found by an id from the input). A write is
  *left* when, on every path the run completes normally (its end, a ``return``), the document
  writes the column again on that row afterwards: a job's "Started" before its "Complete". A
  ``throw`` ends a run abnormally; a ``catch`` starts from the state before any statement of its
  ``try`` (the one that failed).
- a *test* is a comparison of the column with a literal (``==``, ``!=``, ``in``, ``not in`` and
  their ``?`` forms): in a ``where`` (``$db.job.status == "New"``) or ``field_name`` +
  ``field_value`` (a *selection* of rows), or of a row the document holds, in an ``if``,
  ``elseif``, ``precondition``, ``while`` or ``switch``/``case``. A comparison with anything else is kept
  with ``values=None``: it may select any state.

Rows are told apart by the variable that holds them (``$job``, the item of a ``foreach``), or by
the expression of ``field_value`` (``$input.job_id``). Only documents with a live ``db.*``
statement are followed, in one walk of their statements' structure (the flat list of
:mod:`xanoctl.semantics.statements` cannot tell branches apart). Calls are not followed: a
state written by a function the document runs is that function's write.

>>> from xanoctl.language.parser import parse_document
>>> doc = parse_document('task "start" {\\n  stack {\\n    db.query job {\\n'
...     '      where = $db.job.status == "New"\\n    } as $jobs\\n    foreach ($jobs) {\\n'
...     '      each as $job {\\n        db.edit job {\\n          field_name = "id"\\n'
...     '          field_value = $job.id\\n          data = {status: "Started"}\\n        }\\n'
...     '        db.edit job {\\n          field_name = "id"\\n          field_value = $job.id\\n'
...     '          data = {status: "Complete"}\\n        }\\n      }\\n    }\\n  }\\n}\\n')
>>> writes, tests = state_facts(doc, list(doc.statements()))
>>> [(w.value, w.sources, w.left) for w in writes]
[('Started', ('New',), True), ('Complete', ('Started',), False)]
>>> [(t.column, t.op, t.values, t.select) for t in tests]
[('status', '==', ('New',), True)]
"""

from __future__ import annotations

from typing import Iterable, NamedTuple

from xanoctl.language.model import (
    ArrayLit, Binary, Document, Expr, Literal, Member, ObjectLit, Statement, Variable, access_path, walk_expr,
)

Span = tuple[int, int, int, int]

# data writes whose `data` names the columns; a new row for db.add
DATA_WRITES = frozenset({"db.add", "db.edit", "db.patch", "db.add_or_edit"})
ROW_STATEMENTS = frozenset({"db.get", "db.edit", "db.patch", "db.add_or_edit", "db.del", "db.has"})
_ROW_ALIASES = frozenset({"db.get", "db.edit", "db.patch", "db.add_or_edit", "db.add"})  # `as $x`: the row
_OPS = {"==": "==", "===": "==", "=": "==", "==?": "==", "!=": "!=", "!==": "!=", "!=?": "!=",
        "in": "in", "in?": "in", "not in": "not in"}


class StateWrite(NamedTuple):  # a tuple: they go through the cache
    """A string literal written into ``table.column`` (see the module's docstring)."""

    table: str
    column: str
    value: str
    kind: str  # the statement: db.add, db.edit...
    pos: Span  # the literal
    key_pos: Span  # the `data` key (as :class:`~xanoctl.semantics.dbaccess.ColumnUse` has it)
    sources: tuple[str, ...] | None  # the row's states before: () a new row; None: cannot tell
    left: bool  # the same run always writes the column again on this row afterwards
    then: tuple[str, ...] = ()  # the states written over it later in the run ("" for a computed value)
    atomic: bool = False  # it and every write over it are in one `db.transaction`

    @property
    def entry(self) -> bool:
        return self.sources == ()


class StateTest(NamedTuple):  # a tuple: they go through the cache
    """A comparison of ``table.column`` with literals (``values``; None: with something else).
    ``op``: ``==``, ``!=``, ``in`` or ``not in``; ``select``: it selects rows (``where``,
    ``field_value``), else it tests a row the document holds. ``spans``: each literal's place
    (the comparison's when ``values`` is None)."""

    table: str
    column: str
    op: str
    values: tuple[str, ...] | None
    spans: tuple[Span, ...]
    select: bool

    def admits(self, state: str) -> bool:
        """Whether rows in ``state`` may pass it (True when it cannot tell)."""
        if self.values is None:
            return True
        return (state in self.values) == (self.op in ("==", "in"))


def state_facts(doc: Document, live: Iterable[Statement]) -> tuple[list[StateWrite], list[StateTest]]:
    """The writes and tests of the document's live statements (``live``: listed already)."""
    if not any(stmt.kind.startswith("db.") for stmt in live):
        return [], []
    walker = _Walker()
    end = walker.block(doc.stack or [], {})
    walker.finish(end)
    return walker.results()


# a row's column: (table, column, row key); what the flow knows of it: its possible states
# (None: cannot tell) and the writes whose state it may still hold
_Key = tuple[str, str, str]
_Flow = dict  # _Key -> (frozenset[str] | None, frozenset[int]); None: no path reaches here


class _Write:
    __slots__ = ("table", "column", "value", "kind", "pos", "key_pos", "sources", "tx", "over")

    def __init__(self, table, column, value, kind, pos, key_pos, sources, tx):
        self.table, self.column, self.value, self.kind = table, column, value, kind
        self.pos, self.key_pos, self.sources, self.tx = pos, key_pos, sources, tx
        self.over: list[tuple[str, int | None]] = []  # the writes over it: (value, transaction)


class _Walker:
    def __init__(self) -> None:
        self.writes: list[_Write] = []
        self.tests: list[StateTest] = []
        self.rows: dict[str, tuple[str, str]] = {}  # variable -> (table, row key)
        self.lists: dict[str, tuple[str, dict]] = {}  # variable -> (table, {column: states}) of a query
        self.rests: set[int] = set()  # writes whose state a run may end in
        self.traces: list[list] = []  # the flows seen inside the `try` blocks being walked
        self.tx: list[int] = []
        self.fresh = 0

    def results(self) -> tuple[list[StateWrite], list[StateTest]]:
        out = []
        for number, w in enumerate(self.writes):
            left = bool(w.over) and number not in self.rests
            atomic = left and w.tx is not None and all(tx == w.tx for _, tx in w.over)
            sources = None if w.sources is None else tuple(sorted(w.sources))
            out.append(StateWrite(w.table, w.column, w.value, w.kind, w.pos, w.key_pos, sources, left,
                                  tuple(sorted({value for value, _ in w.over})), atomic))
        return out, self.tests

    def finish(self, flow: _Flow | None) -> None:
        if flow is not None:
            for _, pending in flow.values():
                self.rests.update(pending)

    # ------------------------------------------------------------------ statements

    def block(self, statements: list[Statement], flow: _Flow | None) -> _Flow | None:
        for stmt in statements:
            if flow is None:
                break
            if not stmt.disabled:
                for trace in self.traces:  # a `catch` starts from the state before any statement that fails
                    trace.append(flow)
                flow = self.statement(stmt, flow)
        return flow

    def statement(self, stmt: Statement, flow: _Flow) -> _Flow | None:
        kind = stmt.kind
        if kind.startswith("db."):
            if kind == "db.transaction":
                self.tx.append(id(stmt))
                flow = self.block(stmt.body, flow)
                self.tx.pop()
                return flow
            return self.database(stmt, flow)
        if kind == "conditional":
            return self.branches(stmt.body, flow, "else")
        if kind == "switch":
            return self.branches(stmt.body, flow, "default", stmt.args[0] if stmt.args else None)
        if kind == "try_catch":
            return self.try_catch(stmt, flow)
        if kind == "foreach":
            return self.foreach(stmt, flow)
        if kind in ("for", "while"):
            if kind == "while" and stmt.args:
                self.test(stmt.args[0], flow)
            return _merge([flow, self.block(stmt.body, flow)])
        if kind == "return":
            self.finish(flow)
            return None
        if kind == "throw":
            return None
        if kind == "precondition":
            return self.narrow(stmt.args[0], flow) if stmt.args else flow
        if stmt.body:
            return self.block(stmt.body, flow)
        return flow

    def branches(self, body: list[Statement], flow: _Flow, last: str, subject: Expr | None = None):
        outs = []
        for branch in body:
            if branch.disabled:
                continue
            start = flow
            if branch.args and branch.kind in ("if", "elseif"):
                start = self.narrow(branch.args[0], flow)
            elif branch.args and branch.kind == "case" and subject is not None:
                start = self.narrow(Binary("==", subject, branch.args[0], branch.pos), flow)
            outs.append(self.block(branch.body, dict(start)))
        if not any(branch.kind == last and not branch.disabled for branch in body):
            outs.append(flow)
        return _merge(outs)

    def try_catch(self, stmt: Statement, flow: _Flow) -> _Flow | None:
        parts = {part.kind: part for part in stmt.body if not part.disabled}
        trace: list = []
        self.traces.append(trace)
        end = self.block(parts["try"].body, dict(flow)) if "try" in parts else flow
        self.traces.pop()
        if "catch" in parts:
            end = _merge([end, self.block(parts["catch"].body, _merge(trace or [flow]))])
        if "finally" in parts and end is not None:
            end = self.block(parts["finally"].body, end)
        return end

    def foreach(self, stmt: Statement, flow: _Flow) -> _Flow | None:
        each = next((part for part in stmt.body if part.kind == "each" and not part.disabled), None)
        if each is None:
            return flow
        start = dict(flow)
        source = access_path(stmt.args[0]) if stmt.args else None
        if each.alias is not None and source is not None and source[0] in self.lists \
                and source[1] in ([], ["items"]):
            table, states = self.lists[source[0]]
            key = self.new_key()
            self.rows[each.alias.name] = (table, key)
            for column, found in states.items():
                start[(table, column, key)] = (found, frozenset())
        elif each.alias is not None:
            self.rows.pop(each.alias.name, None)
        return _merge([flow, self.block(each.body, start)])

    def new_key(self) -> str:
        self.fresh += 1
        return f"#{self.fresh}"

    # ------------------------------------------------------------------ database statements

    def database(self, stmt: Statement, flow: _Flow) -> _Flow:
        table = stmt.target
        if not isinstance(table, str) or not table:
            return flow
        kind = stmt.kind
        selected: dict[str, frozenset | None] = {}
        for name in ("where", "additional_where"):
            value = stmt.value(name)
            if value is not None:
                self.record(value, lambda node: _db_column(node, table), True)
                found = _constraint(value, lambda node: _db_column(node, table))
                selected = _and(selected, {column: states for (_, column), states in found.items()})
        field = _string(stmt.value("field_name"))
        value = stmt.value("field_value")
        if field is not None and "." not in field[0] and isinstance(value, Literal) \
                and value.kind == "string" and isinstance(value.value, str):
            self.tests.append(StateTest(table, field[0], "==", (value.value,), (tuple(value.pos),), True))
            selected = _and(selected, {field[0]: frozenset({value.value})})
        elif field is not None and field[0] != "id" and value is not None and not isinstance(value, Literal):
            self.tests.append(StateTest(table, field[0], "==", None, (tuple(value.pos),), True))
        key = None
        if kind in ("db.add", "db.bulk.add"):
            key = self.new_key()
        elif kind in ROW_STATEMENTS and field is not None and value is not None:
            key = self.row_key(table, field[0], value)
            if key is None and selected:  # the row found by its state: one of the selected
                key = self.new_key()
            if key is not None:
                for column, found in selected.items():
                    if (table, column, key) not in flow:
                        flow = {**flow, (table, column, key): (found, frozenset())}
        elif kind == "db.query" and stmt.alias is not None and not stmt.alias.path:
            self.lists.pop(stmt.alias.name, None)
            self.rows.pop(stmt.alias.name, None)
            if _single(stmt.value("return")):
                key = self.new_key()
                self.rows[stmt.alias.name] = (table, key)
                flow = {**flow, **{(table, column, key): (found, frozenset())
                                   for column, found in selected.items()}}
            else:
                self.lists[stmt.alias.name] = (table, selected)
        if kind in DATA_WRITES:
            flow = self.data(stmt, table, key, stmt.value("data"), flow)
        elif kind == "db.bulk.add":
            items = stmt.value("items")
            for item in items.items if isinstance(items, ArrayLit) else ():
                flow = self.data(stmt, table, None, item, flow)
        alias = stmt.alias
        if alias is not None and not alias.path and kind != "db.query":
            if key is not None and kind in _ROW_ALIASES:
                self.rows[alias.name] = (table, key)
            else:
                self.rows.pop(alias.name, None)
        return flow

    def row_key(self, table: str, field: str, value: Expr) -> str | None:
        path = access_path(value)
        if path is None:
            return None
        var, keys = path
        if field == "id" and keys == ["id"] and var in self.rows and self.rows[var][0] == table:
            return self.rows[var][1]
        return var + "".join("." + key for key in keys) + f"@{field}"

    def data(self, stmt: Statement, table: str, key: str | None, data: Expr | None, flow: _Flow) -> _Flow:
        if not isinstance(data, ObjectLit):
            return flow
        kind = stmt.kind
        tx = self.tx[-1] if self.tx else None
        for entry in data.entries:
            if entry.disabled or not entry.key or "." in entry.key:
                continue
            column = entry.key
            before = flow.get((table, column, key)) if key is not None else None
            literal = entry.value
            text = literal.value if isinstance(literal, Literal) and literal.kind == "string" \
                and isinstance(literal.value, str) else None
            if before is not None:
                for number in before[1]:
                    self.writes[number].over.append((text or "", tx))
            if text is None:  # a computed value: the state is no longer known
                if key is not None:
                    flow = {**flow, (table, column, key): (None, frozenset())}
                continue
            if kind == "db.add" or (kind == "db.bulk.add"):
                sources: frozenset | None = frozenset()
            elif kind == "db.add_or_edit" or before is None:
                sources = None
            else:
                sources = before[0]
            self.writes.append(_Write(table, column, text, kind, tuple(literal.pos), tuple(entry.pos), sources, tx))
            if key is not None:
                flow = {**flow, (table, column, key): (frozenset({text}), frozenset({len(self.writes) - 1}))}
        return flow

    # ------------------------------------------------------------------ tests of rows

    def row_column(self, node: Expr) -> _Key | None:
        """``$job.status`` for a row the document holds: (table, column, row key)."""
        if type(node) is not Member or not isinstance(node.key, str) or type(node.obj) is not Variable:
            return None
        row = self.rows.get(node.obj.name)
        return (row[0], node.key, row[1]) if row is not None else None

    def test(self, expr: Expr, flow: _Flow) -> None:
        self.record(expr, lambda node: (found[0], found[1]) if (found := self.row_column(node)) else None, False)

    def narrow(self, expr: Expr, flow: _Flow) -> _Flow:
        self.test(expr, flow)
        found = _constraint(expr, self.row_column)
        if not found:
            return flow
        out = dict(flow)
        for key, states in found.items():
            if states is not None:
                out[key] = (states, flow[key][1] if key in flow else frozenset())
        return out

    def record(self, expr: Expr, column_of, select: bool) -> None:
        for node in walk_expr(expr):
            if type(node) is Binary:
                found = _comparison(node, column_of)
                if found is not None:
                    (table, column), op, values, spans = found
                    self.tests.append(StateTest(table, column, op, values, spans, select))


# ---------------------------------------------------------------------------- expressions


def _db_column(node: Expr, table: str) -> tuple[str, str] | None:
    """``$db.<table>.<column>`` of the statement's own table."""
    if type(node) is not Member or not isinstance(node.key, str):
        return None
    found = access_path(node)
    if found is None or found[0] != "$db" or len(found[1]) != 2 or found[1][0] != table:
        return None
    return table, found[1][1]


def _comparison(node: Binary, column_of):
    """(column, op, values, spans) of ``column OP literal(s)`` (either way round), values None
    when the other side is not literals; None for anything else."""
    op = _OPS.get(node.op)
    if op is None:
        return None
    column, other = column_of(node.left), node.right
    if column is None:
        column, other = column_of(node.right), node.left
        if column is None or op in ("in", "not in"):
            return None
    if type(other) is Literal and other.kind == "string" and isinstance(other.value, str):
        return column, op, (other.value,), (tuple(other.pos),)
    if type(other) is ArrayLit and other.items and all(
            type(item) is Literal and item.kind == "string" for item in other.items):
        return column, op, tuple(item.value for item in other.items), tuple(tuple(item.pos) for item in other.items)
    if type(other) is Literal and other.kind == "null":
        return None
    return column, op, None, (tuple(node.pos),)


def _constraint(expr: Expr, column_of) -> dict:
    """What ``expr`` being true tells of the columns ``column_of`` recognises: key -> the
    states it admits (None: any)."""
    if type(expr) is not Binary:
        return {}
    if expr.op == "&&":
        return _and(_constraint(expr.left, column_of), _constraint(expr.right, column_of))
    if expr.op == "||":
        left, right = _constraint(expr.left, column_of), _constraint(expr.right, column_of)
        return {key: None if left[key] is None or right[key] is None else left[key] | right[key]
                for key in left.keys() & right.keys()}
    found = _comparison(expr, column_of)
    if found is None or found[2] is None or found[1] not in ("==", "in"):
        return {}
    return {found[0]: frozenset(found[2])}


def _and(left: dict, right: dict) -> dict:
    out = dict(left)
    for key, states in right.items():
        mine = out.get(key)
        out[key] = states if mine is None else mine if states is None else mine & states
    return out


def _merge(flows: list) -> _Flow | None:
    """The flow after paths join: a row's states are those of any path (unknown on a path that
    does not know them), its pending writes those of every path."""
    flows = [flow for flow in flows if flow is not None]
    if not flows:
        return None
    if len(flows) == 1:
        return flows[0]
    out: _Flow = {}
    for key in {key for flow in flows for key in flow}:
        states: frozenset | None = frozenset()
        pending: frozenset = frozenset()
        for flow in flows:
            found = flow.get(key)
            if found is None:
                states = None
                continue
            states = None if states is None or found[0] is None else states | found[0]
            pending = pending | found[1]
        out[key] = (states, pending)
    return out


def _string(expr: Expr | None) -> tuple[str, Span] | None:
    if isinstance(expr, Literal) and expr.kind == "string" and isinstance(expr.value, str) and expr.value:
        return expr.value, tuple(expr.pos)
    return None


def _single(value: Expr | None) -> bool:
    """``return = {type: "single"}``."""
    if not isinstance(value, ObjectLit):
        return False
    kind = value.get("type")
    return isinstance(kind, Literal) and kind.value == "single"
