r"""Two unit tests of one object have the same name.

Xano lists and runs unit tests by name, and a `mock` picks its value by the test's name: two
`test "..."` blocks of one function, endpoint or middleware with the same name cannot be told
apart (one of them is not run as written, and a mock meant for one applies to both).

Bad::

    function "Maths/Add" {
      input {
        int a
        int b
      }
      stack {
        var $sum {
          value = $input.a + $input.b
        }
      }
      response = $sum

      test "adds" {
        input = {a: 1, b: 2}
        expect.to_equal ($response) {
          value = 3
        }
      }

      test "adds" {
        input = {a: -1, b: 2}
        expect.to_equal ($response) {
          value = 1
        }
      }
    }

Good::

    function "Maths/Add" {
      input {
        int a
        int b
      }
      stack {
        var $sum {
          value = $input.a + $input.b
        }
      }
      response = $sum

      test "adds" {
        input = {a: 1, b: 2}
        expect.to_equal ($response) {
          value = 3
        }
      }

      test "adds a negative number" {
        input = {a: -1, b: 2}
        expect.to_equal ($response) {
          value = 1
        }
      }
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.semantics.tests import UNIT_TEST_KINDS, unit_tests

CODE = "TS003"
NAME = "duplicate-test-name"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "document"


def check(doc, ctx) -> Iterator[Problem]:
    if doc.kind not in UNIT_TEST_KINDS:
        return
    first: dict[str, int] = {}
    for block in unit_tests(doc):
        if block.target in first:
            yield Problem(block.target_pos or block.pos, f"a second test named `{block.target}` in this "
                                                         f"{doc.kind} (the first is on line {first[block.target]}): "
                                                         "give each test its own name")
        else:
            first[block.target] = block.pos.line
