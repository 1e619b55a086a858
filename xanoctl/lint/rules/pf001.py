r"""A query once per item of a loop (N+1 queries), where one query on the whole list would do.

A `db.get`, `db.query`, `db.has` or `db.count`, a `GET` `api.request`, or a `function.run` of a
function that does one of them (followed through the calls; the message names the function that
queries), inside a `foreach` (or a `for`/`while` walking a list by its counter, `$list[$i]`),
that depends on the loop's item: a list of a thousand items makes a thousand round trips. One
`db.query` with `where = $db.user.id in $ids` before the loop (or a join) fetches them all.
Silent where the loop is bounded by a small literal (a literal list or count of at most ten),
where the statement does not depend on the item (it reads neither the item nor a variable set
from it in the loop), for writes (a row edited per item, with that item's data), and for a
function that does work per item: one that writes a table or sends something (a request other
than `GET`, an email, a realtime event), itself or through its calls, is a step of a job, not a
lookup.

Bad::

    function "Reports/Owners" {
      input {
        int[] deal_ids
      }
      stack {
        var $owners {
          value = []
        }
        foreach ($input.deal_ids) {
          each as $deal_id {
            db.get deal {
              field_name = "id"
              field_value = $deal_id
            } as $deal
            array.push $owners {
              value = $deal.owner
            }
          }
        }
      }
      response = $owners
    }

Good::

    function "Reports/Owners" {
      input {
        int[] deal_ids
      }
      stack {
        db.query deal {
          where = $db.deal.id in $input.deal_ids
        } as $deals
        var $owners {
          value = $deals|map:$$.owner
        }
      }
      response = $owners
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.finding import Problem

CODE = "PF001"
NAME = "query-per-item"
SEVERITY = "warning"
OPTIONS: dict = {}
SCOPE = "workspace"


def check(index, ctx) -> Iterator[Problem]:
    functions = {doc.name: doc for doc in index.every_document
                 if doc.kind == "function" and doc.name not in index.duplicates}
    known: dict[str, tuple[str, ...] | None] = {}
    acting: dict[str, bool] = {}
    for doc in index.documents:
        for item in doc.repeated:
            loop = f"`{item.loop} ({item.over})`" if item.over else f"`{item.loop}`"
            if item.kind == "function.run":
                chain = _queries(item.target, functions, known)
                if chain is None or _acts(item.target, functions, acting):
                    continue
                *through, what = chain
                via = "".join(f", which calls `{name}`" for name in through[1:])
                message = (f'`function.run "{item.target}"` inside {loop} runs once per item (`{item.item}`)'
                           f"{via}, and `{through[-1]}` {what}: one query per item; fetch what the loop "
                           f"needs once, before it (a `db.query` with a `where` on the list)")
                yield Problem(item.pos, message, None, doc.path, doc.obj, (item.target,))
                continue
            if item.kind == "api.request":
                what = f"`api.request` (GET {item.target or 'a computed URL'})"
                advice = "ask the API for the whole list in one request where it allows it"
            else:
                what = f"`{item.kind} {item.target}`"
                advice = (f"fetch the rows once, before the loop (`db.query {item.target}` with a `where` "
                          f"on the list, `in`)")
            yield Problem(item.pos, f"{what} inside {loop} runs once per item (`{item.item}`): one round "
                                    f"trip per item; {advice}", None, doc.path, doc.obj)


def _queries(name: str, functions: dict, known: dict) -> tuple[str, ...] | None:
    """(the functions called on the way..., the one that queries, what it does) when the
    function ``name`` reads a table or sends a GET request, itself or through its calls; None
    when it does neither (or cannot be told: missing, defined twice)."""
    if name in known:
        return known[name]
    known[name] = None  # guards against call cycles
    doc = functions.get(name)
    if doc is None:
        return None
    found: tuple[str, ...] | None = None
    for ref in doc.refs:
        if ref.kind == "table" and ref.mode == "read" and ref.via != "join":
            found = (name, f"queries `{ref.name}` (`{ref.via}`, line {ref.pos[0]})")
            break
    if found is None and doc.requests:
        found = (name, f"sends a GET request (`api.request`, line {doc.requests[0]})")
    if found is None:
        for ref in doc.refs:
            if ref.kind == "function" and ref.via == "function.run":
                inner = _queries(ref.name, functions, known)
                if inner is not None:
                    found = (name, *inner)
                    break
    known[name] = found
    return found


def _acts(name: str, functions: dict, known: dict) -> bool:
    """Whether the function ``name`` writes a table or sends something, itself or through its
    calls (True when it cannot be told: missing, defined twice)."""
    if name in known:
        return known[name]
    known[name] = False  # guards against call cycles
    doc = functions.get(name)
    found = doc is None or doc.sends or any(ref.kind == "table" and ref.mode == "write" for ref in doc.refs) \
        or any(ref.kind == "function" and _acts(ref.name, functions, known) for ref in doc.refs if ref.mode == "call")
    known[name] = found
    return found
