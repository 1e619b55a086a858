r"""A statement Xano does not have.

The parser reads any dotted name as a statement, so that tomorrow's statements parse; Xano's
own parser refuses a name it does not know, and code written outside the editor often guesses
one (`db.rawQuery`, `util.send_mail`, `retrun`). The message names the closest statement Xano
has. The names are a fact list (`xanoctl/semantics/data/statements.json`) from Xano's official
parser, the real exports it accepts and Xano's reference; as Xano adds statements with its
releases, only the families whose list the official parser gives (`db.*`, `array.*`, `util.*`,
`storage.*`) and the statements without a dot (`conditional`, `return`...) are judged, and only
a name close to a known one is reported. Disabled statements are checked too: Xano reads them.

Bad::

    function "Utils/Count Users" {
      input {
      }
      stack {
        db.rawQuery user {
          return = {type: "count"}
        } as $count
      }
      response = $count
    }

Good::

    function "Utils/Count Users" {
      input {
      }
      stack {
        db.query user {
          return = {type: "count"}
        } as $count
      }
      response = $count
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.lint.fixes import UNSAFE, replace
from xanoctl.semantics.statements import closest_statement, statement_names

CODE = "XS003"
NAME = "unknown-statement"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "document"
FIX = (UNSAFE, "names the closest statement Xano has")


def check(doc, ctx) -> Iterator[Problem]:
    known = statement_names()
    tops = list(doc.stack or [])
    for block in doc.blocks:  # the clauses (tests, older forms) are no statements; their bodies are
        tops.extend(block.body)
    for top in tops:
        for stmt in top.walk():
            if stmt.kind in known:
                continue
            hint = closest_statement(stmt.kind)
            if hint is not None:
                where = _kind_span(stmt, ctx.lines)
                fix = replace(where, hint, f"Write `{hint}`", UNSAFE) if where[3] > where[1] else None
                yield Problem(where, f"unknown statement `{stmt.kind}`: did you mean `{hint}`?", fix)


def _kind_span(stmt, lines: list[str]) -> tuple[int, int, int, int]:
    line, column = stmt.pos.line, stmt.pos.column + int(stmt.disabled)
    written = lines[line - 1][column - 1:column - 1 + len(stmt.kind)] if 0 < line <= len(lines) else ""
    end = column + len(stmt.kind) if written == stmt.kind else column
    return (line, column, line, end)
