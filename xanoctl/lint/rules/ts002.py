r"""A unit test's `expect` reads a variable of the stack, which a test cannot see.

A unit test (`test "..."` inside a function, an endpoint or a middleware) sees only `$response`,
the value of the object's `response`, and what the request brings (`$input`, `$auth`, `$env`).
The variables its stack sets are gone when the test's expectations run: an `expect` on one
always fails (or passes on nothing). Expose the value through the response and read it there.
Only names the stack sets are reported.

Bad::

    function "Maths/Double Plus One" {
      input {
        int x
      }
      stack {
        var $doubled {
          value = $input.x * 2
        }
        var $result {
          value = $doubled + 1
        }
      }
      response = $result

      test "doubles" {
        input = {x: 5}
        expect.to_equal ($doubled) {
          value = 10
        }
      }
    }

Good::

    function "Maths/Double Plus One" {
      input {
        int x
      }
      stack {
        var $doubled {
          value = $input.x * 2
        }
        var $result {
          value = $doubled + 1
        }
      }
      response = {result: $result, doubled: $doubled}

      test "doubles" {
        input = {x: 5}
        expect.to_equal ($response.doubled) {
          value = 10
        }
      }
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.language.model import Variable, walk_expr
from xanoctl.semantics.tests import UNIT_TEST_KINDS, unit_tests

CODE = "TS002"
NAME = "expect-out-of-scope"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "document"

_SEEN = frozenset({"$response", "$input", "$auth", "$env"})


def check(doc, ctx) -> Iterator[Problem]:
    if doc.kind not in UNIT_TEST_KINDS:
        return
    tests = unit_tests(doc)
    if not tests:
        return
    stack = _bound(stmt for top in doc.stack or [] for stmt in top.walk())
    for block in tests:
        own = _bound(block.walk())
        for stmt in block.walk():
            if not stmt.kind.startswith("expect."):
                continue
            exprs = [*stmt.args, *(setting.value for setting in stmt.settings)]
            for node in (n for expr in exprs for n in walk_expr(expr)):
                if isinstance(node, Variable) and node.name in stack and node.name not in own | _SEEN:
                    yield Problem(node.pos, f"`{stmt.kind}` in test `{block.target}` reads `{node.name}`, a "
                                            "variable of the stack: a unit test sees only `$response`; put it "
                                            f"in the response and read `$response.{node.name[1:]}`")


def _bound(statements) -> set[str]:
    names = set()
    for stmt in statements:
        if stmt.kind == "var" and isinstance(stmt.target, Variable):
            names.add(stmt.target.name)
        if stmt.alias is not None:
            names.add(stmt.alias.name)
    return names
