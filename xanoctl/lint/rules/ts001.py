r"""A `mock` is keyed by a test name that the object's tests do not have.

A statement's `mock = {"test name": value}` takes effect only while the unit test of that name
runs; a key no `test "..."` block of the same function, endpoint or middleware carries (a typo,
a test renamed or deleted) never takes effect, and the test it was meant for calls the real
service. Checked only in documents that hold at least one test: elsewhere nothing says which
names are meant.

Bad::

    function "Weather/Get" {
      input {
        text city
      }
      stack {
        api.request {
          url = "https://api.weather.example/current"
          params = {city: $input.city}
          mock = {"returns sunny for Paris": {response: {weather: "sunny"}}}
        } as $weather
      }
      response = $weather.response

      test "returns sunny in Paris" {
        input = {city: "Paris"}
        expect.to_equal ($response.weather) {
          value = "sunny"
        }
      }
    }

Good::

    function "Weather/Get" {
      input {
        text city
      }
      stack {
        api.request {
          url = "https://api.weather.example/current"
          params = {city: $input.city}
          mock = {"returns sunny in Paris": {response: {weather: "sunny"}}}
        } as $weather
      }
      response = $weather.response

      test "returns sunny in Paris" {
        input = {city: "Paris"}
        expect.to_equal ($response.weather) {
          value = "sunny"
        }
      }
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.lint.suggest import Suggester
from xanoctl.semantics.tests import UNIT_TEST_KINDS, mock_entries, unit_tests

CODE = "TS001"
NAME = "unknown-mock-test"
SEVERITY = "warning"
OPTIONS: dict = {}
SCOPE = "document"


def check(doc, ctx) -> Iterator[Problem]:
    if doc.kind not in UNIT_TEST_KINDS:
        return
    names = [block.target for block in unit_tests(doc)]
    if not names:
        return
    closest = None
    for stmt, entry in mock_entries(doc):
        if entry.key in names:
            continue
        closest = closest or Suggester(names)
        close = closest(entry.key)
        hint = f"; did you mean `{close}`?" if close else f" (its tests: {', '.join(f'`{n}`' for n in names[:5])})"
        yield Problem(entry.pos, f"the mock of `{stmt.kind}` is keyed `{entry.key}`, which no test of this "
                                 f"{doc.kind} is named: it never takes effect{hint}")
