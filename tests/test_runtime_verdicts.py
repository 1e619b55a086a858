"""The verdicts, one line per case: only `status: ok` passes a run; only `success: true` on 2xx
passes an envelope endpoint."""

from __future__ import annotations

import pytest

from xanoctl.runtime.verdicts import NO_JSON, endpoint, run, timing


@pytest.mark.parametrize("status, body, unit, expected", [
    (200, {"status": "ok"}, True, ("pass", "")),
    (200, {"status": "OK"}, True, ("fail", "status 'OK'")),
    (200, {"status": "error", "results": [{"status": "pass"}, {"status": "fail", "message": "m1"},
                                          {"status": "fail", "message": "m2"}]}, True, ("fail", "m1; m2")),
    (200, {"status": "exception", "message": "boom"}, True, ("fail", "boom")),
    (200, {"status": "exception", "message": "boom", "results": [{"status": "fail"}]}, True, ("fail", "boom")),
    (200, {"status": "failed", "results": [{"status": "fail", "message": "x"}]}, False, ("fail", "status 'failed'")),
    (200, {}, True, ("fail", "the answer has no status")),
    (200, None, True, ("fail", "unexpected answer (not a JSON object): null")),
    (200, NO_JSON, False, ("fail", "unexpected answer (not a JSON object): <html>")),
    (404, {"code": "ERROR_CODE_NOT_FOUND"}, True, ("fail", "API error 404: <html>")),
])
def test_a_run(status, body, unit, expected):
    verdict = run(status, body, "null" if body is None else "<html>", unit=unit)
    assert (verdict.status, verdict.message) == expected


def test_a_run_without_an_answer():
    assert run(None, NO_JSON, "", error="no answer (refused)").message == "no answer (refused)"


def test_timing_is_a_number_or_nothing():
    assert [timing({"timing": 1}), timing({"timing": "1"}), timing({"timing": True}), timing(NO_JSON)] == \
        [1.0, None, None, None]


@pytest.mark.parametrize("status, body, envelope, expected_status, verdict", [
    (200, {"success": True}, True, None, "pass"),
    (201, {"success": True, "data": 1}, True, None, "pass"),
    (200, {"success": False, "error": "e", "step": "s"}, True, None, 'fail: success: false, error: "e", step: "s"'),
    (200, None, True, None, "fail: answered null, not the envelope: an empty stack, a response never wired, or a "
                            "function that returns nothing"),
    (200, NO_JSON, True, None, "fail: the body is not JSON: text"),
    (200, {"data": 1}, True, None, "fail: no `success` key: not the envelope (keys: data)"),
    (200, {"code": "ERROR_CODE_X", "message": "m"}, True, None, "fail: answered an error: ERROR_CODE_X: m"),
    (200, 1, True, None, "fail: answered a number, not the envelope {success, data, error, step}"),
    (200, {"success": 1}, True, None, "fail: success is 1, not true"),
    (500, {"success": True}, True, None, "fail: HTTP 500: text"),
    (200, None, False, None, "pass"),
    (204, NO_JSON, False, None, "pass"),
    (302, NO_JSON, False, None, "fail: HTTP 302: text"),
    (401, {"code": "ERROR_CODE_UNAUTHORIZED", "message": "Invalid token."}, False, 401, "pass"),
    (200, {"success": True}, True, 201, "fail: HTTP 200, expected 201: text"),
    (403, {"code": "ERROR_CODE_ACCESS_DENIED", "message": "Test endpoints are disabled: set TESTS_ON"}, True, None,
     "skip: test endpoints are disabled (Test endpoints are disabled: set TESTS_ON): turn on the setting it names "
     "to smoke-test them"),
    (403, {"code": "ERROR_CODE_ACCESS_DENIED", "message": "Access denied."}, True, None,
     "fail: HTTP 403: ERROR_CODE_ACCESS_DENIED Access denied."),
])
def test_an_endpoint(status, body, envelope, expected_status, verdict):
    found = endpoint(status, body, "text", envelope=envelope, expected_status=expected_status)
    assert (found.status + (f": {found.message}" if found.message else "")) == verdict
