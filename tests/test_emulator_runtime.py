"""The emulator's test routes (unit and workflow test list and run, scripted outcomes) and its
public API (`/api:{canonical}[:{branch}]/{path}`), over real HTTP."""

from __future__ import annotations

import httpx
import pytest

from xanoctl.emulator.server import run_in_thread
from xanoctl.emulator.testing import group_source, workflow_test_source

ADD = '''function "Utils/add" {
  input {
    int a
  }
  stack {
    var $sum {
      value = $input.a
    }
  }
  response = $sum

  test "adds" {
    input = {a: 5}
    expect.to_equal ($response) {
      value = 5
    }
    expect.to_be_defined ($response)
  }

  test "second" {
    expect.to_be_defined ($response)
  }
}'''

USER = '''query "users/{id}" verb=GET {
  auth = "user"
  input {
    int id
    text fields?
  }
  stack {
  }
  response = {success: true, data: {id: 1}, error: null, step: "users"}
}'''


@pytest.fixture
def emu():
    with run_in_thread(token="tok") as running:
        running.add("function", "Utils/add", ADD)
        running.add("workflow_test", "checkout", workflow_test_source("checkout"))
        running.add("api_group", "Tests", group_source("Tests"), fields={"canonical": "t3sts"})
        running.add("query", "users/{id}", USER, verb="GET", group="Tests")
        running.add("query", "ping", 'query "ping" verb=POST {\n  input {\n    text name\n  }\n  stack {\n  }\n'
                    '  response = $x\n}', verb="POST", group="Tests")
        yield running


def meta(emu, method, path, **kwargs):
    return httpx.request(method, f"{emu.base_url}/workspace/{emu.workspace_id}{path}",
                         headers={"Authorization": "Bearer tok"}, **kwargs)


def test_unit_tests_are_the_test_blocks_of_stored_objects_paged_and_filtered(emu):
    first = meta(emu, "GET", "/unit_test", params={"per_page": 1}).json()
    assert first["nextPage"] == 2 and first["items"][0]["name"] == "adds"
    assert first["items"][0] | {"id": "x"} == {"id": "x", "name": "adds", "description": "", "obj_id": 1,
                                              "obj_name": "Utils/add", "obj_type": "function",
                                              "expect_count": 2, "input_count": 1}
    second = meta(emu, "GET", "/unit_test", params={"per_page": 1, "page": 2}).json()
    assert second["nextPage"] is None and second["items"][0]["name"] == "second"
    assert meta(emu, "GET", "/unit_test", params={"obj_type": "query"}).json()["items"] == []
    assert meta(emu, "GET", "/unit_test", params={"obj_type": "table"}).status_code == 400


def test_a_run_answers_its_scripted_outcome(emu):
    test_id = meta(emu, "GET", "/unit_test").json()["items"][0]["id"]
    run = lambda: meta(emu, "POST", f"/unit_test/{test_id}/run", json={})  # noqa: E731
    assert run().json() == {"status": "ok", "timing": 0.001, "results": [{"status": "pass"}, {"status": "pass"}]}
    emu.script(kind="unit_test", object="Utils/add", name="adds",
               outcome={"status": "exception", "message": "expected 5, got 6", "timing": 0.25})
    assert run().json() == {"status": "exception", "message": "expected 5, got 6", "timing": 0.25,
                            "results": [{"status": "fail", "message": "expected 5, got 6"}]}
    emu.script(kind="unit_test", object="Utils/add", name="adds", outcome={"http_status": 500})
    assert run().status_code == 500 and run().json()["code"] == "ERROR_FATAL"
    emu.script(kind="unit_test", object="Utils/add", name="adds", outcome={"status": "none"})
    assert run().json() == {}
    emu.script(kind="unit_test", object="Utils/add", name="adds", outcome=None)
    assert run().json()["status"] == "ok"
    assert meta(emu, "POST", "/unit_test/nope/run", json={}).status_code == 404


def test_workflow_tests_list_like_objects_and_run(emu):
    listed = meta(emu, "GET", "/workflow_test", params={"include_xanoscript": "false"}).json()
    assert [item["name"] for item in listed["items"]] == ["checkout"]
    assert meta(emu, "POST", f"/workflow_test/{listed['items'][0]['id']}/run").json() == {"status": "ok",
                                                                                         "timing": 0.001}
    emu.script(kind="workflow_test", name="checkout", outcome={"status": "exception", "message": "step 3"})
    assert meta(emu, "POST", f"/workflow_test/{listed['items'][0]['id']}/run").json()["message"] == "step 3"
    assert meta(emu, "POST", "/workflow_test/99/run").status_code == 404


def test_the_admin_route_checks_what_it_is_given(emu):
    put = lambda body: httpx.put(f"{emu.origin}/_emulator/outcomes", json=body,  # noqa: E731
                                 headers={"Authorization": "Bearer tok"})
    assert put({"kind": "workflow_test", "name": "checkout", "outcome": {"status": "weird"}}).status_code == 400
    assert put({"kind": "workflow_test", "name": "nope", "outcome": {}}).status_code == 404
    assert put({"kind": "other"}).status_code == 400
    assert httpx.put(f"{emu.origin}/_emulator/outcomes", json={}).status_code == 401
    assert put({"kind": "endpoint", "group": "t3sts", "verb": "POST", "path": "ping",
                "outcome": {"status": 201, "body": {"success": False}}}).status_code == 200


def test_the_public_api_matches_verb_and_path_template_and_checks_inputs_and_auth(emu):
    url = f"{emu.origin}/api:t3sts"
    assert httpx.get(f"{url}/users/7").status_code == 401
    answer = httpx.get(f"{url}/users/7", headers={"Authorization": "Bearer user-token"})
    assert answer.status_code == 200 and answer.json() == {"success": True, "data": {"id": 1}, "error": None,
                                                           "step": "users"}
    missing = httpx.post(f"{url}/ping", json={})
    assert missing.status_code == 400 and missing.json() == {"code": "ERROR_CODE_INPUT_ERROR",
                                                             "message": "Missing param: name",
                                                             "payload": {"param": "name"}}
    assert httpx.post(f"{url}/ping", json={"name": "x"}).content == b"null"  # `response = $x`: not a literal
    emu.script(kind="endpoint", group="Tests", verb="POST", path="ping", outcome={"status": 200, "body": {"a": 1}})
    assert httpx.post(f"{url}/ping", json={"name": "x"}).json() == {"a": 1}
    assert httpx.get(f"{url}/ping").json() == {"code": "ERROR_CODE_NOT_FOUND", "message": "Unable to locate request."}
    assert httpx.get(f"{emu.origin}/api:nope/ping").status_code == 404
    assert httpx.get(f"{url}:v1/users/7", headers={"Authorization": "Bearer u"}).status_code == 200
    assert httpx.get(f"{url}:nobranch/users/7").status_code == 404
    log = emu.request_log()
    assert log[0] == "GET /api:t3sts/users/7" and "POST /api:t3sts/ping" in log
