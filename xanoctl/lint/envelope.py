"""The FP envelope: what a function gives back, and whether it is ``{success, data, error}``.

A function's *results* are its ``response`` value and the value of every live ``return``.
Each is judged on what the document itself shows: an object literal with an envelope key is an
envelope; any other literal (``null``, a string, an array, an object without envelope keys) is
not, nor is a comparison, a test, arithmetic or a cast to a scalar; ``a ?? b`` and
``c ? a : b`` are judged by both sides; a variable is judged by every value assigned to it,
and a ``function.run`` result is an envelope when its callee returns one (decided later,
across files). With the document's value types (:mod:`xanoctl.semantics.types`), a value
known to be a list, a number, a text, a bool or a timestamp is not an envelope either, nor is
a variable that holds a ``db.query``/``db.get``/``db.add``... result. Anything else (other
filters, member reads, backticks...) is unknown.
"""

from __future__ import annotations

from typing import NamedTuple

from xanoctl.lint.walk import Source, assignments
from xanoctl.language.model import (
    ArrayLit, Binary, Cast, Document, Expr, Literal, ObjectLit, Pos, Statement, Ternary, Unary, Variable,
)
from xanoctl.semantics.statements import live_statements
from xanoctl.semantics.types import Types

ENVELOPE_KEYS = frozenset({"success", "data", "error"})
STANDARD_KEYS = frozenset({"success", "data", "error", "step"})
_SCALAR_OPS = frozenset({"==", "!=", "===", "!==", "<", "<=", ">", ">=", "&&", "||", "+", "-", "*", "/", "%",
                         "~"})
_SCALAR_CASTS = frozenset({"int", "bool", "text", "decimal", "timestamp"})
# value types that are never an envelope, as the messages name them
_NOT_ENVELOPE = {"list": "a list", "int": "a number", "decimal": "a number", "text": "a text",
                 "bool": "a bool", "timestamp": "a timestamp"}


class Verdict(NamedTuple):
    """``kind``: ``envelope`` (every value is an envelope literal or the result of a call in
    ``callees``), ``other`` (every value is plainly not an envelope), or ``unknown``."""

    kind: str
    literals: tuple[ObjectLit, ...] = ()
    callees: tuple[str, ...] = ()
    culprit: Expr | None = None  # for "other": a value that is plainly not an envelope
    extra: tuple[str, ...] = ()  # keys set on the variable afterwards (`var.update $out.error`)
    what: str | None = None  # for "other" without a culprit: what it holds (`a db.query list`)


UNKNOWN = Verdict("unknown")


class Result(NamedTuple):
    expr: Expr | None  # None: the document has no response clause at all
    where: str  # "response" or "return"
    pos: Pos
    verdict: Verdict


def is_envelope_literal(expr: Expr) -> bool:
    return isinstance(expr, ObjectLit) and any(key in ENVELOPE_KEYS for key in expr.keys())


def judge(expr: Expr, table: dict[str, list[Source]], types: Types | None = None,
          _seen: frozenset[str] = frozenset()) -> Verdict:
    verdict = _judge(expr, table, types, _seen)
    if verdict.kind == "unknown" and types is not None:
        return _typed(expr, types, table)
    return verdict


def _typed(expr: Expr, types: Types, table: dict[str, list[Source]]) -> Verdict:
    """What the value types tell of a value the shapes left unknown."""
    if isinstance(expr, Variable):
        if any(source.kind == "member" for source in table.get(expr.name, ())):
            return UNKNOWN  # keys are set on it: it may be made into an envelope
        origin = types.origin(expr.name)
        if origin is not None:
            return Verdict("other", what=origin)
    found = types.of(expr)
    if found in _NOT_ENVELOPE:
        return Verdict("other", culprit=None if isinstance(expr, Variable) else expr, what=_NOT_ENVELOPE[found])
    return UNKNOWN


def _judge(expr: Expr, table: dict[str, list[Source]], types: Types | None, _seen: frozenset[str]) -> Verdict:
    if isinstance(expr, ObjectLit):
        return Verdict("envelope", (expr,)) if is_envelope_literal(expr) else Verdict("other", culprit=expr)
    if isinstance(expr, (Literal, ArrayLit)):
        return Verdict("other", culprit=expr)
    if isinstance(expr, Binary):
        if expr.op == "??":  # either side
            return combine([judge(expr.left, table, types, _seen), judge(expr.right, table, types, _seen)])
        if expr.op in _SCALAR_OPS:  # a comparison, a test, arithmetic or text: never an object
            return Verdict("other", culprit=expr)
        return UNKNOWN
    if isinstance(expr, Unary) and expr.op == "!":
        return Verdict("other", culprit=expr)
    if isinstance(expr, Ternary):
        return combine([judge(expr.then, table, types, _seen), judge(expr.otherwise, table, types, _seen)])
    if isinstance(expr, Cast) and expr.type in _SCALAR_CASTS:
        return Verdict("other", culprit=expr)
    if isinstance(expr, Variable):
        sources = table.get(expr.name)
        if not sources or expr.name in _seen:
            return UNKNOWN
        seen = _seen | {expr.name}
        verdicts = []
        extra: list[str] = []
        for source in sources:
            if source.kind == "member":
                if source.name is None:
                    return UNKNOWN  # a key set dynamically: its keys cannot be told
                extra.append(source.name)
            elif source.kind == "expr" and source.expr is not None:
                verdicts.append(judge(source.expr, table, types, seen))
            elif source.kind == "call" and source.name:
                verdicts.append(Verdict("envelope", (), (source.name,)))
            elif source.kind == "scalar":
                verdicts.append(Verdict("other"))
            else:
                return UNKNOWN
        if ENVELOPE_KEYS.intersection(extra):  # built key by key: `{}`, then `var.update $out.success`
            verdicts = [_start(verdict) for verdict in verdicts]
        verdict = combine(verdicts)
        if extra and verdict.kind == "envelope":
            return verdict._replace(extra=tuple(dict.fromkeys(verdict.extra + tuple(extra))))
        return verdict if verdicts else UNKNOWN
    return UNKNOWN


def _start(verdict: Verdict) -> Verdict:
    """An object (or null) that envelope keys are set on afterwards is where an envelope starts."""
    if verdict.kind == "other" and isinstance(verdict.culprit, ObjectLit):
        return Verdict("envelope", (verdict.culprit,))
    if verdict.kind == "other" and isinstance(verdict.culprit, Literal) and verdict.culprit.kind == "null":
        return Verdict("envelope")
    return verdict


def combine(verdicts: list[Verdict]) -> Verdict:
    kinds = {verdict.kind for verdict in verdicts}
    if kinds == {"envelope"}:
        literals: list[ObjectLit] = []
        callees: list[str] = []
        extra: list[str] = []
        for verdict in verdicts:
            literals.extend(verdict.literals)
            callees.extend(name for name in verdict.callees if name not in callees)
            extra.extend(key for key in verdict.extra if key not in extra)
        return Verdict("envelope", tuple(literals), tuple(callees), extra=tuple(extra))
    if kinds == {"other"}:
        return verdicts[0]
    return UNKNOWN


def results(doc: Document, table: dict[str, list[Source]] | None = None,
            types: Types | None = None, stack: list[Statement] | None = None) -> list[Result]:
    """The response and every live ``return`` of a function-like document, judged (with the
    document's value types when given; ``stack``: the live statements of its stack, when they
    are listed already)."""
    if table is None:
        table = assignments(doc)
    found: list[Result] = []
    for stmt in live_statements(doc.stack or []) if stack is None else stack:
        if stmt.kind == "return":
            value = stmt.value("value")
            if value is not None:
                found.append(Result(value, "return", value.pos, judge(value, table, types)))
            else:
                found.append(Result(None, "return", stmt.pos, Verdict("other")))
    response = doc.response
    if response is not None:
        found.append(Result(response, "response", response.pos, judge(response, table, types)))
    return found
