"""Tables belong to the workspace, not to a branch: the emulator keeps one set of them, whatever
branch a request names (Xano's documentation: "Branches do not apply to the database"; its
TypeScript SDK: tables carry no branch dimension), while functions, endpoints, tasks... stay
each branch's own. Over real HTTP, the object routes and the multidoc routes alike."""

from __future__ import annotations

import json

import httpx
import pytest

from xanoctl.emulator.server import run_in_thread
from xanoctl.emulator.store import Store
from xanoctl.emulator.testing import function_source, table_source

TOKEN = "branch-token"
XS = {"Content-Type": "text/x-xanoscript"}
WITH_CODE = {"include_xanoscript": "true"}


@pytest.fixture
def emu():
    with run_in_thread(token=TOKEN) as server:
        yield server


@pytest.fixture
def http(emu):
    with httpx.Client(base_url=emu.base_url + "/workspace/1/", headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        assert client.post("branch", json={"label": "dev", "source_branch": "v1"}).status_code == 200
        yield client


def names(http, kind, branch=""):
    items = http.get(kind, params={"branch": branch, **WITH_CODE}).json()["items"]
    return {o["name"]: (o["id"], o["xanoscript"]["value"]) for o in items}


def test_a_table_made_through_a_branch_is_the_live_databases(http):
    made = http.post("table", params={"branch": "dev", **WITH_CODE}, content=table_source("user"), headers=XS)
    assert made.status_code == 200, made.text
    assert names(http, "table") == names(http, "table", "dev") == {"user": (made.json()["id"], table_source("user"))}
    # a branch made afterwards sees the same table, not a copy with another id
    assert http.post("branch", json={"label": "later", "source_branch": "dev"}).status_code == 200
    assert names(http, "table", "later") == names(http, "table")


def test_a_table_changed_or_deleted_through_a_branch_changes_it_for_every_branch(http):
    table = http.post("table", content=table_source("user"), headers=XS).json()
    changed = table_source("user").replace("text name", "text email")
    assert http.put(f"table/{table['id']}", params={"branch": "dev"}, content=changed, headers=XS).status_code == 200
    assert names(http, "table")["user"] == names(http, "table", "dev")["user"] == (table["id"], changed)
    assert http.delete(f"table/{table['id']}").status_code == 200
    assert names(http, "table", "dev") == {}


def test_functions_stay_each_branchs_own(http):
    http.post("function", params={"branch": "dev"}, content=function_source("Dev/only"), headers=XS)
    assert "Dev/only" in names(http, "function", "dev") and "Dev/only" not in names(http, "function")


def test_the_multidoc_routes_share_the_tables_too(http):
    body = "\n---\n".join([table_source("order"), function_source("Dev/imported")])
    dry = http.post("multidoc/dry-run", params={"branch": "dev"}, content=body, headers=XS).json()
    assert [(op["action"], op["type"]) for op in dry["operations"]] == [("create", "table"), ("create", "function")]
    assert http.post("multidoc", params={"branch": "dev"}, content=body, headers=XS).status_code == 200
    assert "order" in names(http, "table")  # imported on dev, created in the live database
    assert "Dev/imported" not in names(http, "function")
    live_text = http.get("multidoc", params={"branch": ""}).text
    assert table_source("order") in live_text and function_source("Dev/imported") not in live_text
    assert table_source("order") in http.get("multidoc", params={"branch": "dev"}).text


def test_a_failed_transactional_import_on_a_branch_leaves_the_shared_tables_as_they_were(http):
    table = http.post("table", content=table_source("user"), headers=XS).json()
    body = "\n---\n".join([table_source("user").replace("text name", "text renamed"), "function {{ broken"])
    failed = http.post("multidoc", params={"branch": "dev", "transaction": "true"}, content=body, headers=XS)
    assert failed.status_code == 400
    assert names(http, "table")["user"] == names(http, "table", "dev")["user"] == (table["id"], table_source("user"))
    # the dicts are still one: a later change through dev is seen from live
    http.put(f"table/{table['id']}", params={"branch": "dev"}, content=table_source("user2"), headers=XS)
    assert "user2" in names(http, "table")


def test_the_state_file_keeps_one_set_and_reads_an_older_file_that_kept_tables_per_branch(tmp_path):
    path = tmp_path / "state.json"
    with run_in_thread(token=TOKEN, state_file=path) as server:
        with httpx.Client(base_url=server.base_url + "/workspace/1/", headers={"Authorization": f"Bearer {TOKEN}"}) as c:
            c.post("table", content=table_source("user"), headers=XS)
            c.post("branch", json={"label": "dev"})
    data = json.loads(path.read_text())
    workspace = data["workspaces"][0]
    assert list(workspace["shared"]["table"]) and all("table" not in b["objects"] for b in workspace["branches"].values())
    store = Store.from_json(data)
    branches = store.workspace(1).branches
    assert branches["dev"].objects["table"] is branches["v1"].objects["table"]
    # an older file: a copy of the tables in each branch, one with a table only dev had
    old = json.loads(path.read_text())
    table = next(iter(old["workspaces"][0].pop("shared")["table"].values()))
    for label, branch in old["workspaces"][0]["branches"].items():
        branch["objects"]["table"] = {str(table["id"]): table}
    old["workspaces"][0]["branches"]["dev"]["objects"]["table"]["99"] = {**table, "id": 99, "name": "dev_only"}
    store = Store.from_json(old)
    live, dev = store.workspace(1).branches["v1"], store.workspace(1).branches["dev"]
    assert live.objects["table"] is dev.objects["table"]
    assert sorted(o.name for o in live.objects["table"].values()) == ["dev_only", "user"]
