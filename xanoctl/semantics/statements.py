"""The statements of a document that can run: disabled ones (``!kind``) and everything nested
in them are skipped. The semantic model (:class:`~xanoctl.semantics.document.Semantics`) lists
them once per document for the references, the column uses, the results and the rules.

>>> from xanoctl.language.parser import parse_document
>>> doc = parse_document('function "a" {\\n  stack {\\n    !debug.log { value = 1 }\\n'
...                      '    conditional {\\n      if (true) {\\n        return { value = 1 }\\n'
...                      '      }\\n    }\\n  }\\n}\\n')
>>> [stmt.kind for stmt in document_statements(doc)]
['conditional', 'if', 'return']
"""

from __future__ import annotations

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
