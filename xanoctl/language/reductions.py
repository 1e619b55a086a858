"""What each grammar rule does when it is reduced, compiled from Lark's wrappers into one plain
function per rule.

Lark builds a reduction as a chain of small objects: a child filter (which children are kept,
which inlined rules are spliced in), then ``?rule`` expansion, then the transformer's method, or
a ``Tree`` for a rule the transformer has no method for (the inlined ``_rules`` and ``*``/``+``
repetitions, about 230,000 of them for a thousand functions). Each is a Python call that loops
over its settings. Here the same decisions are made once, when the grammar is loaded, and
written out as straight-line code; a rule without a method gives a :class:`Splice` (a list that
its parent splices in) instead of a tree.

Only the shapes Lark builds for our grammar (LALR, no placeholders, no position propagation)
are compiled; :func:`compile_reductions` returns ``None`` for anything else, and the driver then
keeps Lark's own callbacks.
"""

from __future__ import annotations

from functools import lru_cache, partial
from types import CodeType, FunctionType
from typing import Any, Callable

from lark.parse_tree_builder import ChildFilterLALR_NoPlaceholders, ExpandSingleChild


class Splice(list):
    """The children of a rule that has no node of its own: spliced into its parent's."""

    __slots__ = ()

    @property
    def children(self) -> list:  # what Lark's own child filters read
        return self


class _Unknown(Exception):
    """A wrapper this module does not know how to compile."""


def _splices(node: Any) -> bool:
    """Whether Lark's node builder ``node`` makes no node of its own (a rule without a method:
    its children are spliced into its parent's), ``?rule`` expansion aside."""
    if type(node) is ExpandSingleChild:
        node = node.node_builder
    return type(node) is partial and getattr(node.func, "__name__", "") == "default_callback"


def _builder(node: Any, methods: object, names: dict[str, Any], splice: bool) -> str:
    """The expression applying ``node`` (Lark's node builder) to the list ``r`` (``splice``:
    ``r`` is already a :class:`Splice`); the method it calls is put in ``names`` as ``build``."""
    if type(node) is ExpandSingleChild:
        return f"(r[0] if len(r) == 1 else {_builder(node.node_builder, methods, names, splice)})"
    if _splices(node):
        return "r" if splice else "Splice(r)"
    if getattr(node, "__self__", None) is methods and getattr(node, "visit_wrapper", None) is None:
        names["build"] = node
        return "build(r)"
    raise _Unknown(repr(node))


@lru_cache(maxsize=None)
def _code(source: str) -> CodeType:
    """Rules of the same shape share their code (compiling is most of the cost of this module)."""
    scope: dict[str, Any] = {}
    exec(compile(source, "<reduction>", "exec"), scope)  # noqa: S102 - code generated below
    return scope["reduce"].__code__


def _compile(callback: Any, methods: object) -> Callable[[list], Any]:
    """One function doing what ``callback`` does to the children of a reduction."""
    if getattr(callback, "__self__", None) is methods and getattr(callback, "visit_wrapper", None) is None:
        return callback  # every child kept, nothing to splice: the method itself
    names: dict[str, Any] = {"Splice": Splice}
    if type(callback) is not ChildFilterLALR_NoPlaceholders:
        body = ["r = c", f"return {_builder(callback, methods, names, False)}"]
    else:
        include = list(callback.to_include)
        splices = _splices(callback.node_builder)
        if include and include[0][1]:  # starts with a spliced child: its list grows in place
            body = [f"r = c[{include.pop(0)[0]}]"]
        else:
            kept = []
            while include and not include[0][1]:
                kept.append(f"c[{include.pop(0)[0]}]")
            body = [f"r = Splice([{', '.join(kept)}])" if splices else f"r = [{', '.join(kept)}]"]
        body += [f"r += c[{index}]" if spliced else f"r.append(c[{index}])" for index, spliced in include]
        body.append(f"return {_builder(callback.node_builder, methods, names, True)}")
    return FunctionType(_code("def reduce(c):\n    " + "\n    ".join(body) + "\n"), names, "reduce")


def compile_reductions(callbacks: dict, methods: object) -> dict | None:
    """``{rule: function}`` for Lark's ``{rule: callback}`` (``methods``: the transformer), or
    ``None`` when one of them has a shape this module does not know."""
    out = {}
    try:
        for rule, callback in callbacks.items():
            out[rule] = _compile(callback, methods)
    except _Unknown:
        return None
    return out


def kept_terminals(callbacks: dict) -> frozenset[str]:
    """The terminals some rule keeps among its children (the others, such as line breaks and
    most punctuation, are filtered out by every rule: the parser need not make their tokens)."""
    kept = set()
    for rule, callback in callbacks.items():
        if type(callback) is ChildFilterLALR_NoPlaceholders:
            indices = [index for index, _ in callback.to_include]
        else:
            indices = range(len(rule.expansion))
        kept.update(str(rule.expansion[index].name) for index in indices if rule.expansion[index].is_term)
    return frozenset(kept)
