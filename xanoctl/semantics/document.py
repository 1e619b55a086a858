"""The semantic model of one document: its variables, its inputs, the types of its values,
and the typed values it hands to other objects (a callee's inputs, a table's column), which
the workspace rules compare with what those objects declare.

>>> from xanoctl.language.parser import parse_document
>>> model = Semantics(parse_document('function "a" {\\n  input {\\n    text user_id\\n  }\\n  stack {\\n'
...     '    db.get user {\\n      field_name = "id"\\n      field_value = $input.user_id\\n    } as $u\\n'
...     '    function.run "b" {\\n      input = {id: $input.user_id|to_int}\\n    } as $r\\n  }\\n'
...     '  response = $u\\n}\\n'))
>>> [(v.via, v.target, v.key, v.type) for v in model.handed()]
[('db.get', 'user', 'id', 'text'), ('function.run', 'b', 'id', 'int')]
"""

from __future__ import annotations

from dataclasses import dataclass

from xanoctl.language.model import Document, Expr, Literal, ObjectLit, Pos, Statement
from xanoctl.semantics.inputs import Inputs, declared_inputs
from xanoctl.semantics.statements import live_statements
from xanoctl.semantics.types import Types
from xanoctl.semantics.variables import Variables, variables

@dataclass(frozen=True, slots=True)
class Handed:
    """A value of known type handed to another object: ``via`` ``function.run`` (``target``
    the callee, ``key`` the input) or a ``db.*`` statement (``target`` the table, ``key`` the
    column named by ``field_name``). ``expr`` is the value."""

    via: str
    target: str
    key: str
    type: str
    expr: Expr

    @property
    def pos(self) -> Pos:
        return self.expr.pos


class Semantics:
    """Built once per document (``DocContext.semantics``); each part on first use."""

    def __init__(self, doc: Document):
        self.doc = doc
        self._vars: Variables | None = None
        self._inputs: Inputs | None = None
        self._types: Types | None = None
        self._live_stack: list[Statement] | None = None
        self._live: list[Statement] | None = None

    @property
    def vars(self) -> Variables:
        if self._vars is None:
            self._vars = variables(self.doc)
        return self._vars

    @property
    def inputs(self) -> Inputs:
        if self._inputs is None:
            self._inputs = declared_inputs(self.doc)
        return self._inputs

    @property
    def live_stack(self) -> list[Statement]:
        """The live statements of the stack, in source order."""
        if self._live_stack is None:
            self._live_stack = list(live_statements(self.doc.stack or []))
        return self._live_stack

    @property
    def live(self) -> list[Statement]:
        """Every live statement: the stack's, then the other blocks' (tests, legacy forms)."""
        if self._live is None:
            self._live = self.live_stack + list(live_statements(self.doc.blocks))
        return self._live

    @property
    def types(self) -> Types:
        if self._types is None:
            self._types = Types(self.doc, self.vars, self.inputs)
        return self._types

    def handed(self) -> list[Handed]:
        """Every value of known type (``null`` aside) that a live ``function.run`` passes as
        an input, or that a ``db.*`` statement looks a row up by."""
        out: list[Handed] = []
        for stmt in self.vars.handing:
            kind = stmt.kind
            if not isinstance(stmt.target, str):
                continue
            if kind == "function.run":
                value = stmt.value("input")
                if isinstance(value, ObjectLit):
                    for entry in value.entries:
                        if "." not in entry.key and not entry.disabled:
                            self._add(out, kind, stmt.target, entry.key, entry.value)
            else:  # db.get, db.edit...: the row whose `field_name` column holds `field_value`
                name = stmt.value("field_name")
                value = stmt.value("field_value")
                if isinstance(name, Literal) and isinstance(name.value, str) and value is not None:
                    self._add(out, kind, stmt.target, name.value, value)
        return out

    def _add(self, out: list[Handed], via: str, target: str, key: str, expr: Expr) -> None:
        found = self.types.of(expr)
        if found is not None and found != "null":
            out.append(Handed(via, target, key, found, expr))

