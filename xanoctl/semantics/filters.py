"""Xano's filter names (the fact list in ``data/filters.json``, with its source) and where a
document uses filters.

>>> known_expression_filter("to_int"), known_expression_filter("lower"), known_expression_filter("to_integer")
(True, True, False)
>>> closest_filter("to_integer")
'to_int'
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Iterator

from xanoctl.language.model import Document, Expr, Filter, Filtered, InputField, Literal, ObjectLit, walk_expr


@dataclass(frozen=True)
class FilterNames:
    expression: frozenset[str]  # current names of expression filters
    deprecated: dict[str, str]  # older name -> current name (Xano still runs them)
    query: frozenset[str]  # the filters of database expressions (where, join, eval)
    input: dict[str, frozenset[str]]  # input type -> the filters an input of that type takes
    aggregate: frozenset[str]  # the functions of an aggregate query's eval (to_list...)

    @cached_property
    def input_names(self) -> frozenset[str]:
        return frozenset().union(*self.input.values())

    @cached_property
    def every(self) -> frozenset[str]:
        """Every name Xano knows as a filter, of any kind."""
        return self.expression | set(self.deprecated) | self.query | self.input_names | self.aggregate


@lru_cache(maxsize=1)
def names() -> FilterNames:
    raw = json.loads(resources.files("xanoctl.semantics").joinpath("data/filters.json").read_text("utf-8"))
    return FilterNames(
        expression=frozenset(raw["expression"]) | frozenset(raw["newer"]),
        deprecated=dict(raw["deprecated"]),
        query=frozenset(raw["query"]),
        input={kind: frozenset(items) for kind, items in raw["input"].items()},
        aggregate=frozenset(raw["aggregate"]),
    )


def known_expression_filter(name: str) -> bool:
    """A name Xano runs in an expression: current, deprecated, a database-expression filter, an
    aggregate function, or one of the ``lambda_*`` family (newer ones included)."""
    found = names()
    return (name in found.expression or name in found.deprecated or name in found.query
            or name in found.aggregate or name.startswith("lambda_"))


def closest_filter(name: str, input_type: str | None = None) -> str | None:
    """The current filter name closest to ``name`` (an older name's current one), if any; for an
    input filter, among the filters of inputs."""
    found = names()
    if input_type is not None:
        close = difflib.get_close_matches(name, sorted(found.input_names), n=1, cutoff=0.6)
        return close[0] if close else None
    close = difflib.get_close_matches(name, sorted(found.expression | set(found.deprecated)), n=1, cutoff=0.6)
    return found.deprecated.get(close[0], close[0]) if close else None


def expression_filters(doc: Document) -> Iterator[Filter]:
    """Every filter applied in an expression of the document (settings, statement arguments,
    guards, settings and ``as`` aliases), disabled code included (Xano reads it too: disabled
    statements, filters and object entries).
    The ``eval`` of an aggregate ``return`` is left out: its functions (``to_list``...) are
    aggregates, not filters."""
    exprs: list[Expr] = [setting.value for setting in doc.settings]
    for stmt in doc.statements():
        exprs.extend(stmt.args)
        if stmt.guard is not None:
            exprs.append(stmt.guard)
        for setting in stmt.settings:
            if setting.key == "return" and stmt.kind.startswith("db.") and _aggregate(setting.value):
                continue
            exprs.append(setting.value)
        if stmt.alias is not None:
            yield from stmt.alias.filters
    for expr in exprs:
        for node in walk_expr(expr, dead=True):
            if isinstance(node, Filtered):
                yield from node.filters


def input_filters(doc: Document) -> Iterator[tuple[InputField, Filter]]:
    """Every ``filters=`` of an input field (nested objects included)."""
    stack = list(doc.inputs or [])
    while stack:
        field = stack.pop()
        for flt in field.filters:
            yield field, flt
        stack.extend(field.fields)


def _aggregate(value: Expr) -> bool:
    if not isinstance(value, ObjectLit):
        return False
    kind = value.get("type")
    return isinstance(kind, Literal) and kind.value == "aggregate"
