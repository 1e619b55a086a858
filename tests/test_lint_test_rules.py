"""The static checks of tests: TS001 (a mock keyed by no test), TS002 (an expect on a stack
variable), TS003 (two tests of one name), and XR003 on a workflow test's calls (a function, an
endpoint or a group that does not exist); what each catches, where, and what it leaves alone."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from test_lint_rules import hits, lint, messages  # noqa: E402

WEATHER = '''function "Weather/Get" {
  input {
    text city
  }
  stack {
    api.request {
      url = "https://api.weather.example/current"
      mock = {
        "sunny in Paris": {response: {weather: "sunny"}}
        "rainy in Londn": {response: {weather: "rainy"}}
      }
    } as $weather
    var $temp {
      value = 21
    }
  }
  response = $weather.response

  test "sunny in Paris" {
    input = {city: "Paris"}
    expect.to_equal ($response.weather) {
      value = "sunny"
    }
  }

  test "rainy in London" {
    input = {city: "London"}
    expect.to_equal ($temp) {
      value = $weather
    }
    expect.to_be_defined ($input.city)
  }

  test "sunny in Paris" {
    expect.to_be_defined ($response)
  }
}
'''


def test_ts001_a_mock_keyed_by_no_test(tmp_path):
    result = lint(tmp_path, {"function/weather.xs": WEATHER})
    assert hits(result, "TS001") == [("TS001", 10, 9, 10, 25)]
    assert messages(result, "TS001") == ["the mock of `api.request` is keyed `rainy in Londn`, which no test of "
                                         "this function is named: it never takes effect; did you mean "
                                         "`rainy in London`?"]


def test_ts001_is_silent_without_tests(tmp_path):
    without = WEATHER.split("\n  test ")[0] + "\n}\n"
    assert hits(lint(tmp_path, {"function/weather.xs": without}), "TS001") == []


def test_ts002_an_expect_on_a_stack_variable(tmp_path):
    result = lint(tmp_path, {"function/weather.xs": WEATHER})
    assert hits(result, "TS002") == [("TS002", 28, 22, 28, 27), ("TS002", 29, 15, 29, 23)]
    assert messages(result, "TS002")[0] == ("`expect.to_equal` in test `rainy in London` reads `$temp`, a variable "
                                            "of the stack: a unit test sees only `$response`; put it in the "
                                            "response and read `$response.temp`")


def test_ts003_two_tests_of_one_name(tmp_path):
    result = lint(tmp_path, {"function/weather.xs": WEATHER})
    assert hits(result, "TS003") == [("TS003", 34, 8, 34, 24)]
    assert messages(result, "TS003") == ["a second test named `sunny in Paris` in this function (the first is on "
                                         "line 19): give each test its own name"]


GROUP = 'api_group first {\n  canonical = "abc"\n}\n'
ENDPOINT = 'query test verb=GET {\n  api_group = "first"\n  input {\n  }\n  stack {\n  }\n  response = 1\n}\n'
FUNCTION = 'function functionOne {\n  input {\n  }\n  stack {\n  }\n  response = 1\n}\n'


def flow(call: str) -> str:
    return f"workflow_test flow {{\n  stack {{\n{call}\n  }}\n}}\n"


def workspace(call: str) -> dict[str, str]:
    return {"api/first/api_group.xs": GROUP, "api/first/test_GET.xs": ENDPOINT, "function/one.xs": FUNCTION,
            "workflow_test/flow.xs": flow(call)}


def test_xr003_a_workflow_test_calling_what_does_not_exist(tmp_path):
    fine = '    api.call test verb=GET {\n      api_group = "first"\n    } as $e\n    function.call functionOne as $f'
    assert hits(lint(tmp_path / "fine", workspace(fine)), "XR003") == []
    bad = ('    api.call test verb=GET {\n      api_group = "frist"\n    } as $e\n'
           '    api.call test verb=POST {\n      api_group = "first"\n    } as $p\n'
           '    function.call functionTwo as $f')
    result = lint(tmp_path / "bad", workspace(bad))
    assert messages(result, "XR003") == [
        '`api.call "test verb=GET"`: no API group `frist` in the workspace; did you mean `first`?',
        '`api.call "test verb=POST"`: no endpoint of that name in the workspace; did you mean `test`?',
        '`function.call "functionTwo"`: no function of that name in the workspace']


def test_xr003_an_endpoint_in_another_group(tmp_path):
    other = 'api_group second {\n  canonical = "def"\n}\n'
    call = '    api.call test verb=GET {\n      api_group = "second"\n    } as $e'
    result = lint(tmp_path, {**workspace(call), "api/second/api_group.xs": other})
    assert messages(result, "XR003") == ['`api.call "test verb=GET"`: the API group `second` has no such endpoint '
                                         '(it is in `first`)']
