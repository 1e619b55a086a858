"""The state machines of a workspace: for each table column that holds a state, its states,
how rows enter it, the transitions between states and who performs each, and who selects
rows in each state. Built from the per-document facts of :mod:`xanoctl.semantics.states` (kept
in the workspace index), for the lint rules and the views alike.

A column holds a state when it is

- an ``enum`` with a list of values that code writes a literal into or selects rows by (its
  states are the declared values, in their order), or
- a ``text`` column that code only ever writes string literals into (at least two different
  ones; a value computed anywhere disqualifies it) and compares with a literal somewhere (its
  states are the literals written, sorted).

What it cannot tell is said, never guessed: a write of a computed value
(``status: $input.status``, :attr:`Machine.computed`) and a write on a row whose state before is
unknown (:attr:`Machine.from_unknown`: a row looked up by an id from the input).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from xanoctl.semantics.states import StateTest, StateWrite
from xanoctl.semantics.tables import Column, Table

if TYPE_CHECKING:
    from xanoctl.lint.facts import DocFact
    from xanoctl.semantics.dbaccess import ColumnUse


@dataclass(frozen=True, slots=True)
class Step:
    """A row entering ``target``: from ``source`` (``""``: a new row, ``None``: from a state
    the code does not tell), by ``write`` in ``doc`` (None for the column's default)."""

    source: str | None
    target: str
    doc: "DocFact | None"
    write: StateWrite | None


@dataclass
class Machine:
    table: str
    column: str
    declared: bool  # an enum with declared values (else inferred from a text column)
    states: list[str]
    default: str | None = None
    writes: list[tuple["DocFact", StateWrite]] = field(default_factory=list)
    computed: list[tuple["DocFact", "ColumnUse"]] = field(default_factory=list)  # values it cannot tell
    selects: list[tuple["DocFact", StateTest]] = field(default_factory=list)  # rows selected by state
    tests: list[tuple["DocFact", StateTest]] = field(default_factory=list)  # rows held, tested

    @property
    def name(self) -> str:
        return f"{self.table}.{self.column}"

    @property
    def entries(self) -> list[Step]:
        found = [Step("", self.default, None, None)] if self.default is not None else []
        return found + [Step("", w.value, doc, w) for doc, w in self.writes if w.entry]

    @property
    def transitions(self) -> list[Step]:
        """The writes that move a row from a known state to another."""
        return [Step(source, w.value, doc, w) for doc, w in self.writes if w.sources
                for source in w.sources if source != w.value]

    @property
    def from_unknown(self) -> list[Step]:
        return [Step(None, w.value, doc, w) for doc, w in self.writes if w.sources is None]

    def selecting(self, state: str) -> list[tuple["DocFact", StateTest]]:
        """The selections that may pick rows up in ``state`` (those that cannot tell included)."""
        return [(doc, test) for doc, test in self.selects if test.admits(state)]

    def stuck(self) -> Iterable[tuple["DocFact", StateWrite]]:
        """The writes that enter a state the same run always leaves, outside a transaction
        with the writes that leave it, when nothing may take a row out of that state otherwise:
        no selection or test of a row that may admit it, no write from a state the code does
        not tell, no write of a computed value."""
        if self.computed:
            return
        unknown = {step.target for step in self.from_unknown}
        for doc, write in self.writes:
            state = write.value
            if not write.left or write.atomic or state not in self.states:
                continue
            if any(test.admits(state) for _, test in self.selects + self.tests):
                continue
            if unknown - {state}:
                continue
            yield doc, write


def machines(tables: dict[str, Table], documents: Iterable["DocFact"], skip: set[str] = frozenset()) -> list[Machine]:
    """The state machines of the tables (``skip``: tables that cannot be told, defined twice
    with other columns), by table and column name."""
    writes: dict[tuple[str, str], list] = {}
    tests: dict[tuple[str, str], list] = {}
    data: dict[tuple[str, str], list] = {}
    for doc in documents:
        for write in doc.state_writes:
            writes.setdefault((write.table, write.column), []).append((doc, write))
        for test in doc.state_tests:
            tests.setdefault((test.table, test.column), []).append((doc, test))
        for use in doc.columns:
            if use.via == "data":
                data.setdefault((use.table, use.column), []).append((doc, use))
    found = []
    for name in sorted(tables):
        if name in skip:
            continue
        for column in tables[name].columns:
            key = (name, column.name)
            machine = _machine(name, column, writes.get(key, []), tests.get(key, []), data.get(key, []))
            if machine is not None:
                found.append(machine)
    return found


def _machine(table: str, column: Column, writes: list, tests: list, data: list) -> Machine | None:
    if column.array:
        return None
    literal = {(doc.path, write.key_pos) for doc, write in writes}
    computed = [(doc, use) for doc, use in data if (doc.path, use.pos) not in literal]
    compared = any(test.values is not None for _, test in tests)
    if column.type == "enum" and column.values:
        if not writes and not compared:
            return None
        states = list(column.values)
        declared = True
    elif column.type == "text":
        states = sorted({write.value for _, write in writes})
        if computed or len(states) < 2 or not compared:
            return None
        declared = False
    else:
        return None
    return Machine(table, column.name, declared, states, column.default if declared else None,
                   writes=writes, computed=computed,
                   selects=[(doc, test) for doc, test in tests if test.select],
                   tests=[(doc, test) for doc, test in tests if not test.select])
