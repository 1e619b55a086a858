r"""Older beta syntax, with the form to write today.

Xano still reads some constructs from the XanoScript beta, but exports and the current docs use
newer forms: `as $name` with a `$`, `response = EXPR`, `precondition (EXPR)`, a top-level
`guid`, table names instead of numeric ids, quoted names with `/`, `where` instead of
`search`. The message says which form to write. (The old `schedule { events = [...] }` block
is also reported by SC002, with the task's other schedule problems.)

Bad::

    function "Utils/Double" {
      input {
        int n
      }
      stack {
        var $double { value = $input.n * 2 }
      }
      response {
        value = $double
      }
    }

Good::

    function "Utils/Double" {
      input {
        int n
      }
      stack {
        var $double { value = $input.n * 2 }
      }
      response = $double
    }
"""

from __future__ import annotations

import re
from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.lint.fixes import SAFE, Fix, quoted, replace
from xanoctl.lint.schedule import current_schedule
from xanoctl.language.model import Backtick, ObjectLit, Literal

CODE = "XS002"
NAME = "legacy-syntax"
SEVERITY = "warning"
OPTIONS: dict = {}
SCOPE = "document"
FIX = (SAFE, "writes the current form (same meaning); not for a numeric table id, whose name the file "
             "does not hold")


def check(doc, ctx) -> Iterator[Problem]:
    written = _current_forms(doc, ctx) if doc.legacy else {}
    fixes = _fixes(doc, ctx) if doc.legacy else {}
    for description, pos in doc.legacy:
        current = written.get((pos.line, pos.column))
        head, sep, _ = description.partition(": write `")
        yield Problem(pos, f"{head}: write `{current}`" if current and sep else description,
                      fixes.get((pos.line, pos.column)))


def _current_forms(doc, ctx) -> dict[tuple[int, int], str]:
    """The current form of the older constructs that hold code, with that code in it (when
    it stands on one line): `response = $x * 2`, `precondition ($m != null) {`..."""
    out: dict[tuple[int, int], str] = {}
    for block in doc.blocks:
        if block.kind == "response" and block.value("value") is not None:
            text = ctx.source(block.value("value").pos)
            if text:
                out[(block.pos.line, block.pos.column)] = f"response = {text}"
        elif block.kind == "schedule":
            text = current_schedule(block, ctx.source)
            if text:
                out[(block.pos.line, block.pos.column)] = text
    for stmt in doc.statements():
        if stmt.kind == "precondition" and isinstance(stmt.guard, Backtick) and "\n" not in stmt.guard.code:
            out[(stmt.pos.line, stmt.pos.column)] = f"precondition ({stmt.guard.code.strip()}) {{"
    return out


# ---------------------------------------------------------------------------- fixes

_BLOCK = {"response": "value", "schedule": "events"}


def _fixes(doc, ctx) -> dict[tuple[int, int], Fix]:
    """The fix of each older form, by where its finding starts: the current form, only where
    the text says exactly what the older form held (nothing else, no comment, would be lost)."""
    out: dict[tuple[int, int], Fix] = {}

    def add(pos, fix: Fix | None) -> None:
        if fix is not None:
            out[(pos.line, pos.column)] = fix

    if doc.name and not doc.name_quoted and doc.name_pos is not None:
        add(doc.name_pos, _rewrite(ctx, doc.name_pos, re.escape(doc.name), quoted(doc.name),
                                   title=f"Write `{doc.kind} {quoted(doc.name)}`"))
    for block in doc.blocks:
        key = _BLOCK.get(block.kind)
        value = block.value(key) if key and block.has_block else None
        if value is not None:
            inner = ctx.text(value.pos)
            if inner is not None:
                pattern = rf"{block.kind}\s*\{{\s*{key}\s*=\s*{re.escape(inner)}\s*\}}"
                add(block.pos, _rewrite(ctx, block.pos, pattern, f"{block.kind} = {inner}"))
    security = doc.setting("security") if doc.kind == "table" else None
    if security is not None and isinstance(security.value, ObjectLit) and security.value.keys() == ["guid"]:
        guid = security.value.get("guid")
        if isinstance(guid, Literal) and guid.kind == "string" and ctx.source(guid.pos):
            pattern = rf"security\s*=\s*\{{\s*guid\s*:\s*{re.escape(ctx.source(guid.pos))}\s*,?\s*\}}"
            add(security.pos, _rewrite(ctx, security.pos, pattern, f"guid = {ctx.source(guid.pos)}"))
    for stmt in doc.statements():
        _statement_fixes(stmt, ctx, add)
    return out


def _statement_fixes(stmt, ctx, add) -> None:
    alias = stmt.alias
    if alias is not None and alias.legacy:
        bare = alias.name[1:]
        if ctx.source((alias.pos.line, alias.pos.column, alias.pos.line, alias.pos.column + len(bare))) == bare:
            add(alias.pos, _insert(alias.pos, "$", f"Write `as {alias.name}`"))
    kind = stmt.kind
    target, where = stmt.target, stmt.target_pos
    if kind in ("var", "var.update") and isinstance(target, str) and not stmt.target_quoted and where is not None \
            and ctx.source(where) == target:
        add(stmt.pos, _insert(where, "$", f"Write `{kind} ${target}`"))
    elif kind in ("function.run", "function.call") and isinstance(target, str) and not stmt.target_quoted \
            and "/" in target and where is not None and ctx.source(where) == target:
        add(stmt.pos, replace(where, quoted(target), f"Write `{kind} {quoted(target)}`", SAFE))
    elif kind == "precondition" and isinstance(stmt.guard, Backtick) and not stmt.args:
        guard = ctx.source(stmt.guard.pos)
        if guard and "\n" not in stmt.guard.code:
            current = f"precondition ({stmt.guard.code.strip()})"
            add(stmt.pos, _rewrite(ctx, stmt.pos, rf"!?precondition\s+if\s*\(\s*{re.escape(guard)}\s*\)", current,
                                   disabled=stmt.disabled))
    elif kind == "db.query":
        search = stmt.setting("search")
        if search is not None and ctx.source((search.pos.line, search.pos.column, search.pos.line,
                                              search.pos.column + 6)) == "search":
            add(search.pos, replace((search.pos.line, search.pos.column, search.pos.line, search.pos.column + 6),
                                    "where", "Write `where = ...`", SAFE))


def _insert(pos, text: str, title: str) -> Fix:
    return replace((pos.line, pos.column, pos.line, pos.column), text, title, SAFE)


def _rewrite(ctx, pos, pattern: str, current: str, disabled: bool = False, title: str = "") -> Fix | None:
    """``current`` in place of the text from ``pos`` that ``pattern`` matches from its start
    (on the lines of ``pos``), when it does."""
    lines = ctx.lines
    if not 0 < pos.line <= pos.end_line <= len(lines):
        return None
    text = "\n".join([lines[pos.line - 1][pos.column - 1:], *lines[pos.line:pos.end_line]])
    found = re.compile(pattern).match(text)
    if found is None:
        return None
    before = text[:found.end()]
    end_line = pos.line + before.count("\n")
    end_column = (len(before) - before.rfind("\n") if "\n" in before else pos.column + len(before))
    new = ("!" if disabled else "") + current
    return replace((pos.line, pos.column, end_line, end_column), new, title or f"Write `{_short(new)}`", SAFE)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
