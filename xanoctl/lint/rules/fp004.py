r"""A success check that defaults to true: a caller that got no envelope reads it as success.

`$r.success ?? true` (or `$r.success|first_notnull:true`, `|first_notempty:true`,
`$r|get:"success":true`) turns a missing `success` into `true`: when the callee answers a raw
result, `null`, or an envelope without the key, the caller goes on as if the call had worked,
and the failure is silent. Default to `false` (or compare with `== true`), so that anything but
a real success is handled as a failure. Checks of `$input`, `$env` and `$auth` are left alone.

Bad::

    function "Workers/FUB - Sync People" {
      input {
      }
      stack {
        var $people { value = [] }
      }
      response = {success: true, data: {people: $people}, error: null}
    }
    ---
    function "Tasks/Sync People" {
      input {
      }
      stack {
        function.run "Workers/FUB - Sync People" as $r
        conditional {
          if ($r.success ?? true) {
            debug.log {
              value = "synced"
            }
          }
        }
      }
      response = {success: true, data: null, error: null}
    }

Good::

    function "Workers/FUB - Sync People" {
      input {
      }
      stack {
        var $people { value = [] }
      }
      response = {success: true, data: {people: $people}, error: null}
    }
    ---
    function "Tasks/Sync People" {
      input {
      }
      stack {
        function.run "Workers/FUB - Sync People" as $r
        conditional {
          if ($r.success ?? false) {
            debug.log {
              value = "synced"
            }
          }
        }
      }
      response = {success: true, data: null, error: null}
    }
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.lint.fixes import UNSAFE, replace
from xanoctl.lint.walk import document_reads
from xanoctl.language.model import Binary, Filtered, Literal, Member, access_path, walk_expr

CODE = "FP004"
NAME = "success-defaults-true"
SEVERITY = "warning"
OPTIONS: dict = {"key": "success"}
SCOPE = "document"
FIX = (UNSAFE, "defaults to `false` (`$r.success ?? false`)")

_GIVEN = ("$input", "$env", "$auth")
_DEFAULTING = ("first_notnull", "first_notempty")


@lru_cache(maxsize=None)
def _hints(key: str) -> tuple[re.Pattern[str], ...]:
    """What the source must hold for a finding (the key, then a default of true), a cheap test
    that spares most documents the walk of their expressions. Two patterns, each starting with
    plain text, which a search skips to: four times as fast as one with both branches."""
    key = re.escape(key)
    return (re.compile(rf'{key}"?\]?\)?\s*(?:\?\?|\|\s*first_not(?:null|empty)\s*:)[\s(]*true\b'),
            re.compile(rf'get\s*:\s*"{key}"\s*:[\s(]*true\b'))


def check(doc, ctx) -> Iterator[Problem]:
    key = ctx.options(CODE)["key"]
    source = "\n".join(ctx.lines[doc.pos.line - 1:doc.pos.end_line])
    if not any(hint.search(source) for hint in _hints(key)):
        return
    for expr in document_reads(doc):
        for node in walk_expr(expr):
            found = _defaults_true(node, key)
            if found is not None:
                chain, how = found
                text = ctx.source(node.pos) or f"{chain} {how}"
                yield Problem(node.pos, f"`{text}` reads a missing `{key}` as success: a caller that got no "
                                        f"envelope goes on as if the call had worked; default to `false`",
                              _fix(node.pos, _fixed(ctx.source(node.pos))))


def _defaults_true(node, key: str) -> tuple[str, str] | None:
    if isinstance(node, Binary) and node.op == "??" and _true(node.right):
        chain = _success(node.left, key)
        return (chain, "?? true") if chain else None
    if isinstance(node, Filtered) and node.filters:
        # the first filter applies to the value itself; later ones to what earlier ones made
        first = node.filters[0]
        if first.disabled:
            return None
        if first.name in _DEFAULTING and len(first.args) == 1 and _true(first.args[0]):
            chain = _success(node.value, key)
            return (chain, f"|{first.name}:true") if chain else None
        if first.name == "get" and len(first.args) == 2 and _true(first.args[1]) \
                and getattr(first.args[0], "value", None) == key:
            root = access_path(node.value)
            if root is not None and root[0] not in _GIVEN:
                return (_text(*root), f'|get:"{key}":true')
    return None


def _success(expr, key: str) -> str | None:
    """``$r.success`` (any chain on a variable ending in the key), or None."""
    if not isinstance(expr, Member):
        return None
    found = access_path(expr)
    if found is None or not found[1] or found[1][-1] != key or found[0] in _GIVEN:
        return None
    return _text(*found)


def _text(var: str, keys: list[str]) -> str:
    return ".".join([var, *keys])


def _true(expr) -> bool:
    return isinstance(expr, Literal) and expr.kind == "bool" and expr.value is True


def _fix(pos, fixed: str | None):
    return replace(pos, fixed, "Default to `false`", UNSAFE) if fixed else None


def _fixed(source: str | None) -> str | None:
    if not source:
        return None
    for old in ("?? true", "??true", ":true"):
        if source.rstrip().endswith(old):
            return source.rstrip()[: -len(old)] + old.replace("true", "false")
    return None
