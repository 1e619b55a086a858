"""The statements of a document that can run: disabled ones (``!kind``) and everything nested
in them are skipped. The semantic model (:class:`~xanoctl.semantics.document.Semantics`) lists
them once per document for the references, the column uses, the results and the rules. And the
statement names Xano has (``data/statements.json``).

>>> from xanoctl.language.parser import parse_document
>>> doc = parse_document('function "a" {\\n  stack {\\n    !debug.log { value = 1 }\\n'
...                      '    conditional {\\n      if (true) {\\n        return { value = 1 }\\n'
...                      '      }\\n    }\\n  }\\n}\\n')
>>> [stmt.kind for stmt in document_statements(doc)]
['conditional', 'if', 'return']
"""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from importlib import resources
from typing import Iterator

from xanoctl.language.model import Document, Statement


def live_statements(statements: list[Statement]) -> Iterator[Statement]:
    """Every statement of ``statements`` that can run, nested ones included, in source order
    (iteratively)."""
    stack = list(reversed(statements))
    while stack:
        node = stack.pop()
        if node.disabled:
            continue
        yield node
        stack.extend(reversed(node.body))


def document_statements(doc: Document) -> Iterator[Statement]:
    """The live statements of the stack, then of the other block clauses (tests, legacy forms)."""
    yield from live_statements(doc.stack or [])
    yield from live_statements(doc.blocks)


@lru_cache(maxsize=1)
def _statements() -> tuple[frozenset[str], tuple[str, ...]]:
    """The statement names Xano has and the families whose list is known (the fact list
    ``data/statements.json``, with its source)."""
    raw = json.loads(resources.files("xanoctl.semantics").joinpath("data/statements.json").read_text("utf-8"))
    return frozenset(raw["statements"]), tuple(family + "." for family in raw["families"])


def statement_names() -> frozenset[str]:
    return _statements()[0]


def closest_statement(name: str) -> str | None:
    """For a statement name Xano does not have (``db.rawQuery``), the known one closest to it
    (``db.query``); None for a known name, for a name of a family whose list is not known
    (``zip.*``...), and for one close to none: it may be newer than the list."""
    known, families = _statements()
    if name in known or ("." in name and not name.startswith(families)):
        return None
    # the last part against those of its family (`db.` alone would make any two db.* close), in
    # lower case (`rawQuery`)
    prefix = name[:name.rfind(".") + 1]
    parts = {known_name[len(prefix):].lower(): known_name for known_name in sorted(known)
             if known_name.startswith(prefix) and "." not in known_name[len(prefix):]}
    close = difflib.get_close_matches(name[len(prefix):].lower(), list(parts), n=1, cutoff=0.7)
    return parts[close[0]] if close else None
