"""The emulator speaks the Metadata API as meta-api.md describes it, over real HTTP."""

from __future__ import annotations

import httpx
import pytest

from xanoctl.emulator.server import run_in_thread
from xanoctl.emulator.state import EmulatorOptions, EmulatorState
from xanoctl.emulator.testing import function_source, group_source, query_source, task_source

TOKEN = "test-token"
READ_ONLY = "read-only-token"
XS = {"Content-Type": "text/x-xanoscript"}


@pytest.fixture
def emu():
    with run_in_thread(token=TOKEN, read_only_token=READ_ONLY) as server:
        yield server


@pytest.fixture
def http(emu):
    with httpx.Client(base_url=emu.base_url + "/", headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        yield client


def create(http, path, source):
    response = http.post(path, content=source.encode(), headers=XS, params={"include_xanoscript": "true"})
    assert response.status_code == 200, response.text
    return response.json()


def test_requests_without_a_valid_token_get_401(emu):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        response = httpx.get(emu.base_url + "/workspace", headers=headers)
        assert response.status_code == 401
        assert response.json()["code"] == "ERROR_CODE_UNAUTHORIZED"


def test_a_read_only_token_reads_but_gets_403_on_writes(emu):
    headers = {"Authorization": f"Bearer {READ_ONLY}"}
    assert httpx.get(emu.base_url + "/workspace/1/function", headers=headers).status_code == 200
    response = httpx.post(emu.base_url + "/workspace/1/function", headers={**headers, **XS},
                          content=function_source("a").encode())
    assert response.status_code == 403
    assert response.json()["code"] == "ERROR_CODE_ACCESS_DENIED"


def test_account_and_workspace_lists_are_bare_arrays(http):
    assert http.get("auth/me").json()["email"]
    instances = http.get("instance").json()
    assert isinstance(instances, list) and instances[0]["meta_api"].endswith("/api:meta")
    workspaces = http.get("workspace").json()
    assert workspaces == [{"id": 1, "name": "workspace", "description": "", "branch": "v1"}]
    branches = http.get("workspace/1/branch").json()
    assert isinstance(branches, list) and branches[0]["label"] == "v1" and branches[0]["live"] is True


def test_object_lists_are_paged_with_defaults_page_1_per_page_50_newest_first(http):
    for index in range(52):
        create(http, "workspace/1/function", function_source(f"f{index:02}"))
    first = http.get("workspace/1/function").json()
    assert set(first) == {"curPage", "nextPage", "prevPage", "items"}
    assert (first["curPage"], first["nextPage"], first["prevPage"]) == (1, 2, None)
    assert len(first["items"]) == 50
    assert first["items"][0]["name"] == "f51"  # created_at desc
    second = http.get("workspace/1/function", params={"page": 2}).json()
    assert (second["curPage"], second["nextPage"], second["prevPage"]) == (2, None, 1)
    assert [item["name"] for item in second["items"]] == ["f01", "f00"]
    beyond = http.get("workspace/1/function", params={"page": 9}).json()
    assert beyond["items"] == [] and beyond["nextPage"] is None


def test_search_sort_and_order(http):
    for name in ("beta", "alpha", "gamma", "alphabet"):
        create(http, "workspace/1/function", function_source(name))
    names = lambda **params: [i["name"] for i in http.get("workspace/1/function", params=params).json()["items"]]
    assert names(sort="name", order="asc") == ["alpha", "alphabet", "beta", "gamma"]
    assert names(sort="created_at", order="asc") == ["beta", "alpha", "gamma", "alphabet"]
    assert names(search="ALPHA", sort="name", order="desc") == ["alphabet", "alpha"]
    bad = http.get("workspace/1/function", params={"sort": "colour"})
    assert bad.status_code == 400 and bad.json()["payload"] == {"param": "sort"}
    assert http.get("workspace/1/function", params={"per_page": 0}).status_code == 400


def test_xanoscript_is_shown_only_when_asked(http):
    obj = create(http, "workspace/1/function", function_source("Utils/x"))
    plain = http.get(f"workspace/1/function/{obj['id']}").json()
    assert "xanoscript" not in plain
    full = http.get(f"workspace/1/function/{obj['id']}", params={"include_xanoscript": "true"}).json()
    assert full["xanoscript"] == {"status": "ok", "value": function_source("Utils/x")}
    listed = http.get("workspace/1/function").json()["items"][0]
    assert "xanoscript" not in listed


def test_create_takes_raw_xanoscript_and_names_the_object_from_the_document(http):
    source = function_source("Workers/FUB - Sync People")
    obj = create(http, "workspace/1/function", source)
    assert isinstance(obj["id"], int) and obj["guid"]
    assert obj["name"] == "Workers/FUB - Sync People"
    assert obj["xanoscript"]["value"] == source  # byte for byte
    for field in ("description", "created_at", "updated_at", "branch", "tag"):
        assert field in obj
    json_body = http.post("workspace/1/function", json={"name": "x"})
    assert json_body.status_code == 400


def test_unparseable_xanoscript_is_a_400_syntax_error_and_changes_nothing(http):
    obj = create(http, "workspace/1/function", function_source("f"))
    bad = "function \"f\" {\n  stack {\n    var $x {\n      value = (\n    }\n  }\n}"
    response = http.put(f"workspace/1/function/{obj['id']}", content=bad.encode(), headers=XS)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "ERROR_CODE_SYNTAX_ERROR" and body["message"].startswith("Syntax error")
    assert body["payload"]["line"] == 5 and body["payload"]["col"] >= 1
    assert set(body["payload"]) == {"char", "line", "col", "error_line", "error_snippet"}
    after = http.get(f"workspace/1/function/{obj['id']}", params={"include_xanoscript": "true"}).json()
    assert after["xanoscript"]["value"] == function_source("f")
    assert after["updated_at"] == obj["updated_at"]
    created = http.post("workspace/1/function", content=b"function {", headers=XS)
    assert created.status_code == 400 and created.json()["code"] == "ERROR_CODE_SYNTAX_ERROR"
    assert len(http.get("workspace/1/function").json()["items"]) == 1


def test_a_document_of_the_wrong_kind_is_refused(http):
    response = http.post("workspace/1/function", content=task_source("t").encode(), headers=XS)
    assert response.status_code == 400 and response.json()["code"] == "ERROR_CODE_INPUT_ERROR"


def test_update_moves_updated_at_and_keeps_id_and_guid(http):
    obj = create(http, "workspace/1/function", function_source("f"))
    params = {"publish": "true", "include_xanoscript": "true"}
    first = http.put(f"workspace/1/function/{obj['id']}", content=function_source("f", "1").encode(),
                     headers=XS, params=params).json()
    second = http.put(f"workspace/1/function/{obj['id']}", content=function_source("g", "2").encode(),
                      headers=XS, params=params).json()
    assert (first["id"], first["guid"]) == (obj["id"], obj["guid"]) == (second["id"], second["guid"])
    assert obj["updated_at"] < first["updated_at"] < second["updated_at"]
    assert second["name"] == "g" and second["xanoscript"]["value"] == function_source("g", "2")


def test_publish_false_stores_a_draft_shown_only_with_include_draft(http):
    obj = create(http, "workspace/1/function", function_source("f"))
    http.put(f"workspace/1/function/{obj['id']}", content=function_source("f", "2").encode(), headers=XS,
             params={"publish": "false"}).raise_for_status()
    live = http.get(f"workspace/1/function/{obj['id']}", params={"include_xanoscript": "true"}).json()
    assert live["xanoscript"]["value"] == function_source("f")
    draft = http.get(f"workspace/1/function/{obj['id']}",
                     params={"include_xanoscript": "true", "include_draft": "true"}).json()
    assert draft["xanoscript"]["value"] == function_source("f", "2")


def test_tasks_carry_no_schedule_key_and_echo_their_xanoscript(http):
    source = task_source("Nightly sync")
    obj = create(http, "workspace/1/task", source)
    assert "schedule" not in obj and obj["active"] is True
    listed = http.get("workspace/1/task", params={"include_xanoscript": "true"}).json()["items"][0]
    assert "schedule" not in listed and listed["xanoscript"]["value"] == source


def test_endpoints_have_a_verb_and_their_name_is_the_path(http):
    group = create(http, "workspace/1/apigroup", group_source("Tests"))
    assert group["canonical"] == "abc123" and "swagger" in group
    endpoint = create(http, f"workspace/1/apigroup/{group['id']}/api", query_source("users/{id}", "PATCH"))
    assert endpoint["name"] == "users/{id}" and endpoint["verb"] == "PATCH"
    assert "apigroup_id" not in endpoint and "group_id" not in endpoint
    same_path = create(http, f"workspace/1/apigroup/{group['id']}/api", query_source("users/{id}", "GET"))
    assert same_path["id"] != endpoint["id"]
    other = http.get(f"workspace/1/apigroup/{group['id'] + 1}/api/{endpoint['id']}")
    assert other.status_code == 404


def test_unknown_ids_and_paths_are_404_not_found(http):
    for path in ("workspace/1/function/999", "workspace/7/function", "workspace/1/nothing",
                 "workspace/1/apigroup/5/api", "no/such/route"):
        response = http.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "ERROR_CODE_NOT_FOUND"
    assert http.delete("workspace/1/function/999").status_code == 404
    assert http.put("workspace/1/function/999", content=b"x", headers=XS).status_code == 404


def test_duplicate_names_are_refused(http):
    obj = create(http, "workspace/1/function", function_source("f"))
    create(http, "workspace/1/function", function_source("g"))
    for response in (http.post("workspace/1/function", content=function_source("f").encode(), headers=XS),
                     http.put(f"workspace/1/function/{obj['id']}", content=function_source("g").encode(),
                              headers=XS)):
        assert response.status_code == 400
        assert "name is already being used" in response.json()["message"]


def test_deleting_a_group_deletes_its_endpoints(http, emu):
    group = create(http, "workspace/1/apigroup", group_source("G"))
    endpoint = create(http, f"workspace/1/apigroup/{group['id']}/api", query_source("x"))
    assert http.delete(f"workspace/1/apigroup/{group['id']}").status_code == 200
    assert http.get(f"workspace/1/apigroup/{group['id']}/api/{endpoint['id']}").status_code == 404
    assert not emu.state.store.workspaces[1].live.objects["query"]


def test_branches_are_listed_created_used_and_deleted(http):
    create(http, "workspace/1/function", function_source("f"))
    made = http.post("workspace/1/branch", json={"label": "dev", "source_branch": "v1"})
    assert made.status_code == 200
    assert [b["label"] for b in http.get("workspace/1/branch").json()] == ["v1", "dev"]
    dev = http.get("workspace/1/function", params={"branch": "dev"}).json()["items"]
    live = http.get("workspace/1/function").json()["items"]
    assert [o["name"] for o in dev] == ["f"] and dev[0]["id"] != live[0]["id"] and dev[0]["branch"] == "dev"
    assert http.get("workspace/1/function", params={"branch": "nope"}).status_code == 404
    assert http.delete("workspace/1/branch/v1").status_code == 400
    assert http.delete("workspace/1/branch/dev").status_code == 200


def test_multidoc_joins_every_document(http):
    sources = [function_source("f"), group_source("G"), task_source("t")]
    create(http, "workspace/1/function", sources[0])
    group = create(http, "workspace/1/apigroup", sources[1])
    create(http, f"workspace/1/apigroup/{group['id']}/api", query_source("x"))
    create(http, "workspace/1/task", sources[2])
    text = http.get("workspace/1/multidoc").text
    assert text == "\n---\n".join([sources[0], sources[1], query_source("x"), sources[2]])


def test_table_schema(http):
    table = create(http, "workspace/1/table", 'table "user" {\n  schema {\n    int id\n    text? name?\n  }\n}')
    schema = http.get(f"workspace/1/table/{table['id']}/schema").json()
    assert [(f["name"], f["type"], f["required"]) for f in schema] == [("id", "int", True), ("name", "text", False)]


def test_options_plain_string_xanoscript_and_epoch_timestamps():
    state = EmulatorState.create(token=TOKEN, options=EmulatorOptions(timestamps="ms", xanoscript_as_string=True))
    with run_in_thread(state) as server, httpx.Client(base_url=server.base_url + "/",
                                                      headers={"Authorization": f"Bearer {TOKEN}"}) as http:
        obj = create(http, "workspace/1/function", function_source("f"))
        assert obj["xanoscript"] == function_source("f")
        assert isinstance(obj["created_at"], int)


def test_an_unrenderable_object_answers_status_error(emu, http):
    obj = emu.add("function", "broken", "")
    emu.mutate(lambda state: setattr(obj, "xanoscript_error", "cannot render"))
    item = http.get(f"workspace/1/function/{obj.id}", params={"include_xanoscript": "true"}).json()
    assert item["xanoscript"] == {"status": "error", "message": "cannot render"}


def test_the_state_file_survives_a_restart(tmp_path):
    path = tmp_path / "state.json"
    with run_in_thread(token=TOKEN, state_file=path) as server:
        with httpx.Client(base_url=server.base_url + "/", headers={"Authorization": f"Bearer {TOKEN}"}) as http:
            obj = create(http, "workspace/1/function", function_source("kept"))
    with run_in_thread(token=TOKEN, state_file=path) as server:
        with httpx.Client(base_url=server.base_url + "/", headers={"Authorization": f"Bearer {TOKEN}"}) as http:
            again = http.get(f"workspace/1/function/{obj['id']}", params={"include_xanoscript": "true"}).json()
            assert (again["guid"], again["xanoscript"]["value"]) == (obj["guid"], function_source("kept"))
            assert create(http, "workspace/1/function", function_source("next"))["id"] == obj["id"] + 1
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left behind


def test_the_demo_seed_loads_with_stable_ids_guids_and_timestamps():
    def listing():
        with run_in_thread(seed="demo", token=TOKEN) as server:
            response = httpx.get(server.base_url + "/workspace/1/function",
                                 params={"per_page": 1000, "include_xanoscript": "true"},
                                 headers={"Authorization": f"Bearer {TOKEN}"})
            return response.json()["items"]

    first = listing()
    assert first and first == listing()
    assert all(item["xanoscript"]["status"] == "ok" for item in first)
