"""Working on the official Xano CLI's tree, through the CLI against the emulator over HTTP:
`init --layout official` then pull writes the official CLI's paths for every kind; a tree the
official CLI pulled (snake_case names, `guid = "..."` lines) is adopted where it lies, with no
second copy; status is then clean, an edit pushes, a remote rename moves the file; a readable
layout setting over an official tree keeps the tree and puts only new objects in its own
layout."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import TOKEN, Clock, Shop, edited, open_shop  # noqa: E402

from xanoctl.emulator.server import run_in_thread  # noqa: E402
from xanoctl.emulator.testing import (function_source, group_source, middleware_source, query_source,  # noqa: E402
                                      snapshot, table_source, task_source)


def with_guid(source: str, guid: str) -> str:
    """``source`` with the ``guid = "..."`` clause newer exports end a document with."""
    return source[:-1] + f'  guid = "{guid}"\n}}'


def in_group(source: str, group: str) -> str:
    """An endpoint's source with its ``api_group = "..."`` clause, as Xano renders it."""
    head, rest = source.split("\n", 1)
    return f'{head}\n  api_group = "{group}"\n{rest}'


# (kind, name, verb, group, source) and the path the official CLI writes for it
OBJECTS = [
    ("table", "UserProfile", None, None, table_source("UserProfile"), "table/user_profile.xs"),
    ("function", "Tasks/reZEN - Onboarding Start Job", None, None, function_source("Tasks/reZEN - Onboarding Start Job"),
     "function/tasks/re_zen_onboarding_start_job.xs"),
    ("function", "Utils/HubSpot v1 Sync", None, None, function_source("Utils/HubSpot v1 Sync"),
     "function/utils/hub_spot_v_1_sync.xs"),
    ("function", "Utils/noop", None, None, function_source("Utils/noop"), "function/utils/noop.xs"),
    ("function", "Utils/Foo Bar", None, None, function_source("Utils/Foo Bar"), "function/utils/foo_bar.xs"),
    ("function", "utils/foo_bar", None, None, function_source("utils/foo_bar"), "function/utils/foo_bar_2.xs"),
    ("middleware", "Auth Check", None, None, middleware_source("Auth Check"), "middleware/auth_check.xs"),
    ("api_group", "Shop API", None, None, group_source("Shop API"), "api/shop_api/shop_api.xs"),
    ("query", "items/{item_id}", "GET", "Shop API", in_group(query_source("items/{item_id}", "GET"), "Shop API"),
     "api/shop_api/items/item_id_GET.xs"),
    ("query", "items", "POST", "Shop API", query_source("items", "POST"), "api/shop_api/items_POST.xs"),
    ("query", "v1/Orders/{id}/Refund", "PATCH", "Shop API",
     in_group(query_source("v1/Orders/{id}/Refund", "PATCH"), "Shop API"), "api/shop_api/v_1/orders/id/refund_PATCH.xs"),
    ("api_group", "shop api", None, None, group_source("shop api"), "api/shop_api_2/shop_api.xs"),
    ("query", "items", "GET", "shop api", in_group(query_source("items", "GET"), "shop api"), "api/shop_api_2/items_GET.xs"),
    ("task", "Task 0 - Stage Listings", None, None, task_source("Task 0 - Stage Listings", "Utils/noop"),
     "task/task_0_stage_listings.xs"),
    # the branch's settings, a document without routes of its own (the official CLI's default folder)
    ("branch", "v1", None, None, 'branch v1 {\n  color = "#fff3cd"\n  history = {function: false, query: 100}\n}',
     "branch/v_1.xs"),
]
OFFICIAL = {path for *_, path in OBJECTS}


def guid_of(index: int) -> str:
    return f"G{index:02d}xFakeGuidForTheOfficialTree"


def build(tmp_path: Path, layout: str | None) -> Shop:
    """An emulator holding OBJECTS (each rendered with its guid line), and a git repository
    with xanoctl.yaml (``layout`` None: no xanoctl.yaml, `init` writes it)."""
    emu = run_in_thread(token=TOKEN)
    emu.state.store.clock = Clock()
    for index, (kind, name, verb, group, source, _) in enumerate(OBJECTS):
        fields = {"canonical": "abc123"} if kind == "api_group" else {}
        emu.add(kind, name, with_guid(source, guid_of(index)), group=group, verb=verb, guid=guid_of(index),
                fields=fields)
    return open_shop(emu, tmp_path, layout=layout)


@pytest.fixture
def world(request, tmp_path):
    built = build(tmp_path, getattr(request, "param", "official"))
    yield built
    built.emu.stop()


def official_tree(shop: Shop, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    """Write the tree `xano workspace pull` leaves: the official paths, each document as the
    server renders it (guid lines included)."""
    remote = shop.remote()
    for kind, name, verb, _, _, path in OBJECTS:
        if path not in skip:
            shop.write(path, remote[(kind, f"{verb} {name}" if kind == "query" else name)])
    return shop.tree()


@pytest.mark.parametrize("world", [None], indirect=True)
def test_init_with_the_official_layout_then_pull_writes_the_official_paths_of_every_kind(world):
    shop = world
    shop.cli("init", "--instance", shop.emu.base_url, "--workspace", str(shop.emu.workspace_id),
             "--layout", "official")
    assert yaml.safe_load((shop.root / "xanoctl.yaml").read_text())["layout"] == "official"
    shop.cli("pull")
    tree = shop.tree()
    assert set(tree) == OFFICIAL | {"xanoctl.lock"}
    remote = shop.remote()
    for kind, name, verb, _, _, path in OBJECTS:
        assert tree[path] == remote[(kind, f"{verb} {name}" if kind == "query" else name)].encode("utf-8")
        assert b'guid = "' in tree[path]  # the guid lines are kept, byte for byte
    assert {e["path"]: e["guid"] for e in shop.lock()["objects"]} == \
           {path: guid_of(index) for index, (*_, path) in enumerate(OBJECTS)}
    assert shop.cli("pull").output.startswith("nothing changed: 15 objects up to date")
    assert shop.cli("status", "--exit-code").exit_code == 0


def test_an_official_tree_is_adopted_in_place_then_status_push_and_rename_work(world):
    shop = world
    before = official_tree(shop)
    result = shop.cli("pull", "--json")
    summary = json.loads(result.output)
    assert summary["written"] == ["xanoctl.lock"] and summary["deleted"] == []  # no second copy, nothing rewritten
    assert sorted(c["path"] for c in summary["added"]) == sorted(OFFICIAL)
    after = shop.tree()
    assert {k: v for k, v in after.items() if k != "xanoctl.lock"} == before
    assert {e["path"] for e in shop.lock()["objects"]} == OFFICIAL
    shop.cli("status", "--exit-code")
    shop.commit_all("adopt the official tree")

    # an edit in the official tree pushes to its object, and to it only
    path = "function/utils/hub_spot_v_1_sync.xs"
    shop.write(path, edited(shop.read(path), "v2"))
    output = shop.cli("push").output
    assert "pushed 1 object" in output and "left alone" not in output
    assert shop.remote()[("function", "Utils/HubSpot v1 Sync")] == shop.read(path)
    assert shop.cli("status", "--exit-code").exit_code == 0

    # a rename in Xano moves the file to the official path of the new name
    def rename(state):
        obj = shop.stored("function", "Utils/HubSpot v1 Sync")
        source = shop.read(path).replace("Utils/HubSpot v1 Sync", "Utils/HubSpot v2 Sync")
        state.store.replace(obj, name="Utils/HubSpot v2 Sync", xanoscript=source, verb=None, description="",
                            tags=[], fields={}, publish=True)
    shop.emu.mutate(rename)
    output = shop.cli("pull").output
    assert f"  changed  function/utils/hub_spot_v_2_sync.xs (from {path})" in output
    assert not (shop.ws / path).exists()
    assert shop.read("function/utils/hub_spot_v_2_sync.xs") == shop.remote()[("function", "Utils/HubSpot v2 Sync")]
    assert shop.cli("status", "--exit-code").exit_code == 0
    assert shop.read("branch/v_1.xs") == before["branch/v_1.xs"].decode("utf-8")


def test_adopting_reports_each_file_as_already_on_disk(world):
    shop = world
    official_tree(shop)
    output = shop.cli("pull").output
    assert "  adopted  function/tasks/re_zen_onboarding_start_job.xs" in output
    assert "  adopted  api/shop_api/items_POST.xs" in output  # no api_group clause: its group from the folder
    assert output.splitlines()[-1].startswith("pulled into workspace/: 15 added (")


@pytest.mark.parametrize("world", ["readable"], indirect=True)
def test_the_readable_layout_keeps_an_official_tree_where_it_lies_and_adds_new_objects_readably(world):
    shop = world
    official_tree(shop, skip=("function/utils/noop.xs", "api/shop_api_2/items_GET.xs"))
    summary = json.loads(shop.cli("pull", "--json").output)
    assert sorted(summary["written"]) == ["api/shop_api_2/items_GET.xs", "function/Utils/noop.xs", "xanoctl.lock"]
    paths = {e["path"] for e in shop.lock()["objects"]}
    # the new endpoint goes into its group's existing folder; the new function gets a readable name
    assert paths == OFFICIAL - {"function/utils/noop.xs"} | {"function/Utils/noop.xs"}
    assert shop.cli("status", "--exit-code").exit_code == 0
    assert shop.cli("pull").output.startswith("nothing changed")


def test_a_file_that_differs_from_the_remote_is_kept_as_a_conflict_not_copied(world):
    shop = world
    official_tree(shop)
    path, endpoint = "function/utils/noop.xs", "api/shop_api/items_POST.xs"  # the endpoint: group from its folder
    mine = edited(shop.read(path), "mine")
    shop.write(path, mine)
    shop.write(endpoint, edited(shop.read(endpoint), "mine"))
    result = shop.cli("pull", code=1)
    assert f"conflict {path}: this file declares the object but differs from the remote" in result.output
    assert f"conflict {endpoint}: this file declares the object but differs from the remote" in result.output
    assert shop.read(path) == mine
    assert not any("noop" in p for p in shop.tree() if p != path and p != "xanoctl.lock")
    assert all(e["path"] not in (path, endpoint) for e in shop.lock()["objects"])
    assert len(shop.lock()["objects"]) == len(OBJECTS) - 2
    shop.cli("pull", "--force")
    assert shop.read(path) == shop.remote()[("function", "Utils/noop")]
    assert shop.cli("status", "--exit-code").exit_code == 0


def test_a_file_is_matched_by_its_guid_when_the_object_was_renamed_since(world):
    shop = world
    official_tree(shop)
    old = "function/tasks/re_zen_onboarding_start_job.xs"

    def rename(state):
        obj = shop.stored("function", "Tasks/reZEN - Onboarding Start Job")
        state.store.replace(obj, name="Tasks/reZEN - Onboarding Kickoff",
                            xanoscript=obj.xanoscript.replace("Start Job", "Kickoff"), verb=None, description="",
                            tags=[], fields={}, publish=True)
    shop.emu.mutate(rename)
    result = shop.cli("pull", code=1)
    assert f"conflict {old}: this file declares the object but differs from the remote" in result.output
    assert "function/tasks/re_zen_onboarding_kickoff.xs" not in shop.tree()  # no second copy
    output = shop.cli("pull", "--force").output
    assert f"  added    function/tasks/re_zen_onboarding_kickoff.xs (from {old})" in output
    assert not (shop.ws / old).exists()
    assert shop.cli("status", "--exit-code").exit_code == 0


def test_new_files_in_the_official_tree_are_pushed_with_their_group_from_the_folder(world):
    shop = world
    shop.cli("pull")
    shop.commit_all("pull")
    shop.write("api/shop_api/things_POST.xs", query_source("things", "POST", '"posted"'))
    assert "pushed 1 object" in shop.cli("push").output
    created = shop.stored("query", "things")
    assert created is not None and created.group_id == shop.stored("api_group", "Shop API").id
    assert snapshot(shop.ws)["api/shop_api/things_POST.xs"] == query_source("things", "POST", '"posted"').encode()


@pytest.mark.parametrize("world", [None], indirect=True)
def test_an_unknown_layout_is_a_one_line_usage_error(world):
    shop = world
    (shop.root / "xanoctl.yaml").write_text(f"instance: {shop.emu.base_url}\nworkspace: 1\nlayout: snake\n")
    result = shop.cli("pull", code=2)
    assert result.output.strip().splitlines() == [
        "xanoctl: error: xanoctl.yaml:3: layout must be one of readable, official, got 'snake'"]
    assert not shop.ws.exists()
    assert "invalid value for '--layout'" in shop.cli("init", "--instance", "x.io", "--workspace", "1",
                                                      "--layout", "snake", code=2).output


def test_the_guid_wins_over_the_name_when_an_object_was_renamed_and_its_old_name_reused(world):
    shop = world
    official_tree(shop)
    path = "function/utils/foo_bar.xs"  # declares "Utils/Foo Bar" with the guid of OBJECTS[4]
    assert f'guid = "{guid_of(4)}"' in shop.read(path)

    def rename_and_reuse(state):
        obj = shop.stored("function", "Utils/Foo Bar")
        state.store.replace(obj, name="Utils/Foo Baz", xanoscript=with_guid(function_source("Utils/Foo Baz"), guid_of(4)),
                            verb=None, description="", tags=[], fields={}, publish=True)
        state.store.add(state.store.workspace(shop.emu.workspace_id).live, "function", "Utils/Foo Bar",
                        with_guid(function_source("Utils/Foo Bar", '"new"'), "NewGuid"), guid="NewGuid")
    shop.emu.mutate(rename_and_reuse)
    output = shop.cli("pull", code=1).output
    assert f"conflict {path}: this file declares the object but differs from the remote" in output  # by its guid
    assert f"conflict {path}: an untracked local file is in the way" in output  # the new object's path
    shop.cli("pull", "--force")
    assert shop.read(path) == with_guid(function_source("Utils/Foo Bar", '"new"'), "NewGuid")
    assert shop.read("function/utils/foo_baz.xs") == with_guid(function_source("Utils/Foo Baz"), guid_of(4))
    guids = {e["path"]: e["guid"] for e in shop.lock()["objects"]}
    assert guids[path] == "NewGuid" and guids["function/utils/foo_baz.xs"] == guid_of(4)
    assert shop.cli("status", "--exit-code").exit_code == 0


def test_a_link_out_of_the_workspace_is_never_adopted_nor_followed(world, tmp_path):
    shop = world
    outside = tmp_path / "outside.xs"
    remote = shop.remote()
    outside.write_text(remote[("function", "Utils/noop")], encoding="utf-8")
    official_tree(shop, skip=("function/utils/noop.xs",))
    (shop.ws / "function/utils/noop.xs").symlink_to(outside)
    result = shop.cli("pull", code=1)
    assert "refusing the path 'function/utils/noop.xs': it resolves outside" in result.output
    assert outside.read_text(encoding="utf-8") == remote[("function", "Utils/noop")]
    assert not (shop.ws / "xanoctl.lock").exists()
