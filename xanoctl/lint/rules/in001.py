r"""`$input.x` reads an input the document does not declare.

Xano answers `null` for an input that is not declared, silently: a misspelt or renamed input
reads as missing on every call. The message names the closest declared input. Reads in the
JavaScript of an `api.lambda` (`$input.x` in its code, not in its comments or strings) are
checked too. A `dblink { table = "X" }` line declares the columns of table X as inputs: those
reads are checked against the workspace's table (silent when the table is not known in full).
Documents whose inputs cannot be told (no `input` clause) are left alone.

Bad::

    function "Workers/Count People" {
      input {
        int ad_user_id
      }
      stack {
        db.query person {
          where = $db.person.ad_user_id == $input.user_id
          return = {type: "count"}
        } as $count
      }
      response = {success: true, data: {count: $count}, error: null}
    }

Good::

    function "Workers/Count People" {
      input {
        int ad_user_id
      }
      stack {
        db.query person {
          where = $db.person.ad_user_id == $input.ad_user_id
          return = {type: "count"}
        } as $count
      }
      response = {success: true, data: {count: $count}, error: null}
    }
"""

from __future__ import annotations

from typing import Iterator, NamedTuple

from xanoctl.lint.calls import closest
from xanoctl.language.model import Pos
from xanoctl.lint.finding import Problem
from xanoctl.lint.fixes import UNSAFE, replace
from xanoctl.semantics.inputs import lambda_reads

CODE = "IN001"
NAME = "undeclared-input"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "document"
FIX = (UNSAFE, "reads the closest input the document declares")


class Read(NamedTuple):
    key: str
    pos: Pos


def reads(model) -> list[Read]:
    """The live reads of inputs of a document (``model``: its semantics): ``$input.key`` in the
    XanoScript, and in the JavaScript of its ``api.lambda`` statements."""
    found = [Read(read.key, read.pos) for read in model.vars.inputs if read.live and not read.key.startswith("$")]
    found += [Read(read.key, read.pos) for read in lambda_reads(model.live)]
    return found


def check(doc, ctx) -> Iterator[Problem]:
    inputs = ctx.semantics.inputs
    if not inputs.complete:  # (a `dblink`: see check_workspace)
        return
    for read in reads(ctx.semantics):
        if read.key not in inputs.fields:
            yield problem(read.key, read.pos, ctx.source(read.pos) == f"$input.{read.key}", doc.kind,
                          list(inputs.fields))


def check_workspace(index, ctx) -> Iterator[Problem]:
    """The documents whose inputs include a table's columns (``dblink``): checked once the
    workspace's tables are known; silent when one of those tables is not known in full."""
    for doc in index.documents:
        if not doc.links:
            continue
        columns: list[str] = []
        for name in doc.links:
            table = index.tables.get(name)
            if table is None or not table.complete or name in index.ambiguous_tables:
                break
            columns += [column for column in table.names() if column not in columns]
        else:
            declared = [item.name for item in doc.inputs or ()]
            takes = declared + [column for column in columns if column not in declared]
            for key, pos, fixable in doc.linked_reads:
                if key not in takes:
                    found = problem(key, pos, fixable, doc.kind, takes, doc.links)
                    yield found._replace(path=doc.path, obj=doc.obj)


def problem(key: str, pos, exact: bool, kind: str, declared: list[str], links: tuple[str, ...] = ()) -> Problem:
    """``exact``: the text at ``pos`` is ``$input.key`` (a fix can name another input there)."""
    hint = closest(key, declared)
    message = f"`$input.{key}`: this {kind} declares no input `{key}`"
    if links:
        message += f" (its inputs include the columns of {', '.join(f'`{name}`' for name in links)})"
    if hint:
        message += f"; did you mean `{hint}`?"
    elif declared:
        names = ", ".join(f"`{name}`" for name in declared[:8])
        message += f"; it takes {names}{', ...' if len(declared) > 8 else ''}"
    else:
        message += "; it takes no inputs"
    fix = replace(pos, f"$input.{hint}", f"Read `$input.{hint}`", UNSAFE) if hint and exact else None
    return Problem(pos, message, fix)
