r"""A statement after `return` or `throw` in the same block never runs.

Everything below a `return` or a `throw` of the same block is dead: often a step added at the
end of a stack that was meant to run before the early return, or a log after a `throw`. The
finding marks the first statement that never runs and counts the others. Statements in other
branches, after the enclosing `conditional`, or in `finally` are not affected; disabled
statements are left alone.

Bad::

    function "Workers/Load Profile" {
      input {
        int user_id
      }
      stack {
        db.get user {
          field_name = "id"
          field_value = $input.user_id
        } as $user
        return {
          value = {success: true, data: $user, error: null}
        }
        debug.log {
          value = $user
        }
      }
      response = {success: true, data: $user, error: null}
    }

Good::

    function "Workers/Load Profile" {
      input {
        int user_id
      }
      stack {
        db.get user {
          field_name = "id"
          field_value = $input.user_id
        } as $user
        debug.log {
          value = $user
        }
        return {
          value = {success: true, data: $user, error: null}
        }
      }
      response = {success: true, data: $user, error: null}
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.lint.fixes import UNSAFE, remove_lines

CODE = "CF002"
NAME = "unreachable-statement"
SEVERITY = "warning"
OPTIONS: dict = {}
SCOPE = "document"
FIX = (UNSAFE, "removes the statements that never run (disabled ones are left)")

_ENDS = ("return", "throw")


def check(doc, ctx) -> Iterator[Problem]:
    # most documents have no live `return` or `throw` (the bodies of the other block clauses
    # are looked at even when the clause is disabled: those documents are walked all the same)
    if not any(stmt.kind in _ENDS for stmt in ctx.semantics.live) and not any(b.disabled for b in doc.blocks):
        return
    blocks = [doc.stack or [], *(block.body for block in doc.blocks)]
    while blocks:
        block = blocks.pop()
        yield from _block(block, ctx.lines)
        blocks.extend(stmt.body for stmt in block if not stmt.disabled and stmt.body)


def _block(block, lines: list[str]) -> Iterator[Problem]:
    for index, stmt in enumerate(block):
        if stmt.disabled or stmt.kind not in _ENDS:
            continue
        dead = [later for later in block[index + 1:] if not later.disabled]
        if dead:
            more = f" (and {len(dead) - 1} more statement{'s' if len(dead) > 2 else ''})" if len(dead) > 1 else ""
            first = dead[0]
            yield Problem((first.pos.line, first.pos.column, first.pos.line, first.pos.column + len(first.kind)),
                          f"`{first.kind}` never runs: it comes after the `{stmt.kind}` on line {stmt.pos.line} "
                          f"in the same block{more}; move it above, or remove it",
                          remove_lines(lines, [later.pos for later in dead],
                                       f"Remove the {len(dead)} statement{'s' if len(dead) > 1 else ''} that never run"
                                       if len(dead) > 1 else f"Remove the `{first.kind}` that never runs", UNSAFE))
        return
