"""Every kind of document is code: add-ons, agents, tools, MCP servers, the triggers of tables,
the workspace, agents, MCP servers and realtime channels, realtime channels and the workspace's
own document, and those without routes of their own (the workspace's error trigger, the branch's
settings, the realtime v2 server with its channel, message and triggers, and a document of a type
xanoctl does not know: a toolset) go through pull, status, diff, push (object by object and
``--transaction``), rollback and compare in both layouts, against the emulator over HTTP; a kind
the plan or the token cannot reach is reported and left as it was."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import TOKEN, Clock, open_shop  # noqa: E402

from xanoctl.emulator.server import run_in_thread  # noqa: E402
from xanoctl.emulator.testing import SOURCES, function_source  # noqa: E402

# one object of each kind (the workspace's document is the workspace's one)
NAMES = {"workspace": "Shop", "addon": "user_one", "tool": "Look up", "agent": "Helper", "mcp_server": "Tools",
         "realtime_channel": "room", "table_trigger": "user audit", "workspace_trigger": "on branch",
         "agent_trigger": "helper hook", "mcp_server_trigger": "tools hook", "realtime_trigger": "room hook",
         # without routes of their own (the message and the triggers in the server "Chat", the channel's)
         "error_trigger": "On Error", "branch": "v1", "realtime_server": "Chat", "channel": "rooms/{room_id}",
         "message": "Send", "realtime_server_trigger": "on connect", "channel_trigger": "member gate",
         "toolset": "Helpers"}
SINGLE = ("workspace", "branch", "error_trigger")  # one per workspace (or branch)
PATHS = {
    "readable": {"workspace": "workspace/Shop.xs", "addon": "addon/user_one.xs", "tool": "ai/tool/Look up.xs",
                 "agent": "ai/agent/Helper.xs", "mcp_server": "ai/mcp_server/Tools.xs",
                 "realtime_channel": "realtime/channel/room.xs", "table_trigger": "table/trigger/user audit.xs",
                 "workspace_trigger": "workspace/trigger/on branch.xs",
                 "agent_trigger": "ai/agent/trigger/helper hook.xs",
                 "mcp_server_trigger": "ai/mcp_server/trigger/tools hook.xs",
                 "realtime_trigger": "realtime/trigger/room hook.xs",
                 "error_trigger": "workspace/trigger/On Error.xs", "branch": "branch/v1.xs",
                 "realtime_server": "realtime/server/Chat/realtime_server.xs",
                 "channel": "realtime/server/Chat/channel/rooms_{room_id}/channel.xs",
                 "message": "realtime/server/Chat/channel/rooms_{room_id}/message/Send.xs",
                 "realtime_server_trigger": "realtime/server/Chat/trigger/on connect.xs",
                 "channel_trigger": "realtime/server/Chat/channel/rooms_{room_id}/trigger/member gate.xs",
                 "toolset": "toolset/Helpers.xs"},
    "official": {"workspace": "workspace/shop.xs", "addon": "addon/user_one.xs", "tool": "ai/tool/look_up.xs",
                 "agent": "ai/agent/helper.xs", "mcp_server": "ai/mcp_server/tools.xs",
                 "realtime_channel": "realtime/channel/room.xs", "table_trigger": "table/trigger/user_audit.xs",
                 "workspace_trigger": "workspace/trigger/on_branch.xs",
                 "agent_trigger": "ai/agent/trigger/helper_hook.xs",
                 "mcp_server_trigger": "ai/mcp_server/trigger/tools_hook.xs",
                 "realtime_trigger": "realtime/trigger/room_hook.xs",
                 "error_trigger": "workspace/trigger/on_error.xs", "branch": "branch/v_1.xs",
                 "realtime_server": "realtime/server/chat/chat.xs",
                 "channel": "realtime/server/chat/channel/rooms_room_id/rooms_room_id.xs",
                 "message": "realtime/server/chat/channel/rooms_room_id/message/send.xs",
                 "realtime_server_trigger": "realtime/server/chat/trigger/on_connect.xs",
                 "channel_trigger": "realtime/server/chat/channel/rooms_room_id/trigger/member_gate.xs",
                 "toolset": "toolset/helpers.xs"},
}


def plant(emu) -> None:
    emu.add("function", "Utils/noop", function_source("Utils/noop"))
    emu.add("table", "user", SOURCES["table"]("user"))
    for kind, name in NAMES.items():
        emu.add(kind, name, SOURCES[kind](name))


@pytest.fixture(params=["readable", "official"])
def shop(request, tmp_path):
    emu = run_in_thread(token=TOKEN)
    emu.state.store.clock = Clock()
    plant(emu)
    built = open_shop(emu, tmp_path, layout=request.param)
    built.layout = request.param
    built.paths = PATHS[request.param]
    built.cli("pull")
    built.commit_all("pull")
    yield built
    emu.stop()


def described(source: str, text: str) -> str:
    """The document with a description clause after its header line: an edit every kind takes."""
    head, _, rest = source.partition("\n")
    return f'{head}\n  description = "{text}"\n{rest}'


def states(shop) -> dict[str, str]:
    return {item["path"]: item["state"] for item in json.loads(shop.cli("status", "--json").output)["objects"]}


def test_pull_writes_every_kind_where_the_layout_puts_it_byte_for_byte(shop):
    for kind, name in NAMES.items():
        rel = shop.paths[kind]
        assert shop.read(rel) == SOURCES[kind](name), rel
        entry = shop.entry(rel)
        assert (entry["kind"], entry["name"]) == (kind, name)
    assert all(state == "unchanged" for state in states(shop).values())
    again = shop.cli("pull").output
    assert again.startswith("nothing changed: 21 objects up to date")


def test_local_edits_of_every_kind_show_in_status_and_diff_and_push_sends_each(shop):
    edits = {}
    for kind, rel in shop.paths.items():
        edits[kind] = described(shop.read(rel), f"edited {kind}")
        shop.write(rel, edits[kind])
    seen = states(shop)
    assert {seen[rel] for rel in shop.paths.values()} == {"modified locally"}
    diff = shop.cli("diff", "--remote").output
    for kind, rel in shop.paths.items():
        assert rel in diff and f'+  description = "edited {kind}"' in diff
    shop.cli("push", "--no-lint")
    for kind, name in NAMES.items():
        assert shop.stored(kind, name).xanoscript == edits[kind], kind
    assert set(states(shop).values()) == {"unchanged"}


def test_push_transaction_sends_every_kind_in_one_import(shop):
    edits = {}
    for kind, rel in shop.paths.items():
        edits[kind] = described(shop.read(rel), "in one go")
        shop.write(rel, edits[kind])
    before = shop.emu.state.stats.methods["POST"]
    output = shop.cli("push", "--transaction", "--no-lint").output
    assert "pushed" in output.lower() or "updated" in output.lower()
    for kind, name in NAMES.items():
        assert shop.stored(kind, name).xanoscript == edits[kind], kind
    # the dry-run and the import: two POSTs for the nineteen documents
    assert shop.emu.state.stats.methods["POST"] - before == 2
    assert set(states(shop).values()) == {"unchanged"}


def test_remote_edits_of_every_kind_are_seen_pulled_and_rolled_back(shop):
    originals = {kind: shop.read(rel) for kind, rel in shop.paths.items()}
    for kind, name in NAMES.items():
        shop.remote_edit(name, described(originals[kind], "from the UI"), kind=kind)
    seen = states(shop)
    assert {seen[rel] for rel in shop.paths.values()} == {"changed remotely"}
    shop.cli("pull")
    assert all('"from the UI"' in shop.read(rel) for rel in shop.paths.values())
    shop.commit_all("pull the UI edits")
    for kind in ("agent", "table_trigger", "workspace", "realtime_channel", "message", "branch", "toolset"):
        shop.cli("rollback", f"workspace/{shop.paths[kind]}", "--to", "HEAD~1")
        assert shop.stored(kind, NAMES[kind]).xanoscript == originals[kind], kind
        assert shop.read(shop.paths[kind]) == originals[kind]


def test_new_objects_of_every_kind_are_created_by_push(shop):
    created = {kind: f"{name} two" for kind, name in NAMES.items() if kind not in SINGLE}
    for kind, name in created.items():
        folder = shop.paths[kind].rsplit("/", 1)[0]
        shop.write(f"{folder}/{name}.xs", SOURCES[kind](name))
    shop.cli("push", "--no-lint")
    for kind, name in created.items():
        stored = shop.stored(kind, name)
        assert stored is not None and stored.xanoscript == SOURCES[kind](name), kind
    kinds = {entry["kind"] for entry in shop.lock()["objects"] if entry["name"].endswith(" two")}
    assert kinds == set(created)


def test_the_workspace_document_cannot_be_deleted_by_a_push(shop):
    (shop.ws / shop.paths["workspace"]).unlink()
    result = shop.cli("push", "--delete", "--no-lint", code=None)
    assert result.exit_code != 0
    assert "workspace document cannot be deleted" in result.output
    assert shop.stored("workspace", "Shop") is not None


def test_a_kind_the_plan_lacks_is_reported_once_and_left_as_it_was(shop):
    shop.emu.state.options.absent_kinds = frozenset({"agent", "agent_trigger"})
    before = shop.tree()
    result = shop.cli("pull")
    assert result.output.count("warning: agent: not pulled") == 1
    assert "warning: agent_trigger: not pulled" in result.output
    assert "403" in result.output and "left as they were" in result.output
    assert shop.tree() == before  # the files and xanoctl.lock entries stay
    status = json.loads(shop.cli("status", "--json").output)
    assert set(status["unreachable"]) == {"agent", "agent_trigger"}
    assert {item["state"] for item in status["objects"]} == {"unchanged"}
    assert "note: agent: remote not checked" in shop.cli("status").output
    output = shop.cli("push", "--delete", "--no-lint").output
    assert "nothing to push" in output.lower()
    assert shop.stored("agent", "Helper") is not None


def test_compare_names_a_change_of_each_kind(shop):
    shop.write(shop.paths["agent"], shop.read(shop.paths["agent"]).replace('{name: "Look up"}', '{name: "Other"}'))
    shop.write(shop.paths["table_trigger"], described(shop.read(shop.paths["table_trigger"]), "audit"))
    shop.write(shop.paths["message"], shop.read(shop.paths["message"]).replace('"channel"', '"sender"'))
    result = shop.cli("compare", "rev:HEAD", "workspace", "--format", "json", code=None)
    report = json.loads(result.output)
    changed = {(item["kind"], item["name"]) for item in report["changed"]}
    assert changed == {("agent", "Helper"), ("table_trigger", "user audit"), ("message", "Send")}
    agent = next(item for item in report["changed"] if item["kind"] == "agent")
    assert "calls" in agent["aspects"]
    only = json.loads(shop.cli("compare", "rev:HEAD", "workspace", "--format", "json", "--kind", "message",
                               "--kind", "trigger", code=None).output)
    assert {(item["kind"], item["name"]) for item in only["changed"]} == {("table_trigger", "user audit"),
                                                                          ("message", "Send")}


def test_an_official_cli_tree_holding_every_kind_is_adopted_where_it_lies(tmp_path):
    emu = run_in_thread(token=TOKEN)
    emu.state.store.clock = Clock()
    plant(emu)
    try:
        shop = open_shop(emu, tmp_path, layout="readable")
        for kind, name in NAMES.items():  # the tree `xano workspace pull` leaves
            shop.write(PATHS["official"][kind], SOURCES[kind](name))
        before = shop.tree()
        summary = json.loads(shop.cli("pull", "--json").output)
        adopted = {change["path"] for change in summary["added"] if change["reason"] == "adopted"}
        assert set(PATHS["official"].values()) <= adopted
        assert {k: v for k, v in shop.tree().items() if k in before} == before  # nothing moved nor rewritten
        assert {entry["path"] for entry in shop.lock()["objects"]} >= set(PATHS["official"].values())
        assert shop.cli("status", "--exit-code").exit_code == 0
    finally:
        emu.stop()


def test_the_workspace_document_is_shared_by_every_branch(tmp_path):
    emu = run_in_thread(token=TOKEN)
    emu.state.store.clock = Clock()
    plant(emu)
    emu.mutate(lambda state: state.store.create_branch(emu.workspace_id, "dev", None))
    try:
        shop = open_shop(emu, tmp_path, layout="readable", branch="dev")
        shop.cli("pull")
        entry = shop.entry("workspace/Shop.xs")
        assert entry["kind"] == "workspace" and entry.get("shared") is True
        changed = described(shop.read("workspace/Shop.xs"), "from dev")
        shop.write("workspace/Shop.xs", changed)
        refused = shop.cli("push", "--no-lint", code=1).output
        assert "changes the live workspace's settings; pass --allow-shared-schema-changes" in refused
        assert "table is deleted" not in refused and "data is lost" not in refused
        shop.cli("push", "--no-lint", "--allow-shared-schema-changes")
        assert shop.stored("workspace", "Shop").xanoscript == changed  # the live branch's: one document
    finally:
        emu.stop()


def test_a_second_workspace_document_is_refused(shop):
    shop.write("workspace/Other.xs", SOURCES["workspace"]("Other"))
    refused = shop.cli("push", "--no-lint", code=1).output
    assert f"workspace/Other.xs: a second workspace document; the workspace has one, {shop.paths['workspace']}" in refused
    assert shop.stored("workspace", "Shop") is not None and shop.stored("workspace", "Other") is None


def test_compare_with_a_live_branch_names_the_kinds_it_could_not_read(shop):
    shop.emu.state.options.absent_kinds = frozenset({"agent"})
    result = shop.cli("compare", "live:v1", "workspace", code=None)
    assert "live:v1: its agent objects could not be read (GET" in result.output
