"""The documents without routes of their own travel in the multidoc: the realtime v2 server, its
channels, messages and triggers, the workspace's error trigger, a branch's settings, and any
document of a type xanoctl does not know. End to end against the emulator over HTTP: what a pull
writes and records, what status and diff show, what a push sends and refuses; and the workspace
document's ``env`` clause, which is never pushed, is no difference."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import TOKEN, Clock, open_shop  # noqa: E402

from xanoctl.emulator.server import run_in_thread  # noqa: E402
from xanoctl.emulator.testing import SOURCES, function_source  # noqa: E402
from xanoctl.xano.client import XanoClient  # noqa: E402


def plant(emu) -> None:
    emu.add("function", "Utils/noop", function_source("Utils/noop"))
    emu.add("workspace", "Shop", SOURCES["workspace"]("Shop"))
    emu.add("branch", "v1", SOURCES["branch"]("v1"))


@pytest.fixture(params=["readable", "official"])
def shop(request, tmp_path):
    emu = run_in_thread(token=TOKEN)
    emu.state.store.clock = Clock()
    plant(emu)
    emu.add("realtime_server", "Chat", SOURCES["realtime_server"]("Chat"))
    # one message name in two channels: names repeat from one channel to the next
    emu.add("channel", "rooms/{room_id}", SOURCES["channel"]("rooms/{room_id}"))
    emu.add("channel", "lobby", SOURCES["channel"]("lobby"))
    emu.add("message", "say", SOURCES["message"]("say"))
    emu.add("message", "say", SOURCES["message"]("say", channel="lobby"))
    built = open_shop(emu, tmp_path, layout=request.param)
    built.layout = request.param
    built.cli("pull")
    built.commit_all("pull")
    yield built
    emu.stop()


def states(shop) -> dict[str, dict]:
    return {item["path"]: item for item in json.loads(shop.cli("status", "--json").output)["objects"]}


def multidoc_requests(shop) -> list[str]:
    return [line for line in shop.emu.state.stats.log if line.endswith("/multidoc")]


def stored_message(shop, channel: str):
    with shop.emu.state.lock:
        branch = shop.emu.state.store.workspace(shop.emu.workspace_id).live
        return next(obj for obj in branch.objects["message"].values() if f'channel = "{channel}"' in obj.xanoscript)


def test_messages_of_one_name_in_two_channels_are_two_objects_with_their_own_files(shop):
    messages = [entry for entry in shop.lock()["objects"] if entry["kind"] == "message"]
    assert sorted(entry["parents"] for entry in messages) == [["Chat", "lobby"], ["Chat", "rooms/{room_id}"]]
    lobby = next(entry["path"] for entry in messages if entry["parents"][1] == "lobby")
    assert lobby == {"readable": "realtime/server/Chat/channel/lobby/message/say.xs",
                     "official": "realtime/server/chat/channel/lobby/message/say.xs"}[shop.layout]
    shop.write(lobby, shop.read(lobby).replace("deliver_to = \"channel\"", "deliver_to = \"sender\""))
    assert states(shop)[lobby]["state"] == "modified locally"
    shop.cli("push", "--no-lint")
    assert 'deliver_to = "sender"' in stored_message(shop, "lobby").xanoscript
    assert 'deliver_to = "channel"' in stored_message(shop, "rooms/{room_id}").xanoscript
    assert shop.cli("status", "--exit-code").exit_code == 0


def test_a_pull_reads_one_multidoc_export_for_every_kind_without_routes(shop):
    shop.emu.state.stats.log.clear()
    assert shop.cli("pull").output.startswith("nothing changed")
    assert len(multidoc_requests(shop)) == 1


def test_a_document_without_routes_cannot_be_deleted_nor_renamed_by_a_push(shop):
    lobby = next(entry for entry in shop.lock()["objects"] if entry.get("parents") == ["Chat", "lobby"])
    text = shop.read(lobby["path"])
    (shop.ws / lobby["path"]).unlink()
    note = shop.cli("push", "--no-lint").output
    assert "deleted locally; a message cannot be deleted through the Metadata API" in note
    refused = shop.cli("push", "--delete", "--no-lint", code=1).output
    assert "delete it in Xano, then pull" in refused
    assert stored_message(shop, "lobby") is not None
    shop.write(lobby["path"], text.replace("message \"say\"", "message \"shout\"", 1).replace("message say", "message shout", 1))
    refused = shop.cli("push", "--no-lint", code=1).output
    assert "renames message 'say' of channel 'lobby' of realtime_server 'Chat' to message 'shout'" in refused
    assert stored_message(shop, "lobby").name == "say"


def test_a_document_type_xanoctl_does_not_know_is_pulled_recorded_shown_and_pushed(shop):
    # a toolset appears remotely: status and diff show it, a pull writes it where the official CLI would
    shop.emu.add("toolset", "Ops Tools", SOURCES["toolset"]("Ops Tools"))
    remote = [item for item in json.loads(shop.cli("status", "--json").output)["objects"]
              if item["kind"] == "toolset"]
    assert [(item["state"], item["name"]) for item in remote] == [("new remotely", "Ops Tools")]
    assert "toolset 'Ops Tools'" in shop.cli("diff", "--remote", code=None).output
    shop.cli("pull", "other")
    path = {"readable": "toolset/Ops Tools.xs", "official": "toolset/ops_tools.xs"}[shop.layout]
    assert shop.read(path) == SOURCES["toolset"]("Ops Tools")
    assert shop.entry(path)["kind"] == "toolset"
    # an edit and a new document of that type go through the multidoc import
    shop.write(path, shop.read(path).replace("Tools for the helpers", "Tools for operations"))
    shop.write("policy/Read only.xs", 'policy "Read only" {\n  description = "No writes"\n}')
    new = states(shop)["policy/Read only.xs"]
    assert (new["state"], new["kind"], new["name"]) == ("new locally", "policy", "Read only")
    shop.emu.state.stats.log.clear()
    shop.cli("push", "--no-lint")
    assert any(line.startswith("POST") for line in multidoc_requests(shop))
    assert "Tools for operations" in shop.stored("toolset", "Ops Tools").xanoscript
    assert shop.stored("policy", "Read only") is not None
    assert shop.entry("policy/Read only.xs")["kind"] == "policy"
    assert shop.cli("status", "--exit-code").exit_code == 0
    # gone remotely: a pull removes its file, as any object's
    shop.emu.mutate(lambda state: state.store.workspace(shop.emu.workspace_id).live.objects["toolset"].clear())
    assert f"  deleted  {path}" in shop.cli("pull").output
    assert not (shop.ws / path).exists()


def test_a_second_error_trigger_is_refused(shop):
    shop.emu.add("error_trigger", "On Error", SOURCES["error_trigger"]("On Error"))
    shop.cli("pull")
    first = next(entry["path"] for entry in shop.lock()["objects"] if entry["kind"] == "error_trigger")
    shop.write("workspace/trigger/Other.xs", SOURCES["error_trigger"]("Other"))
    refused = shop.cli("push", "--no-lint", code=1).output
    assert f"workspace/trigger/Other.xs: a second error_trigger document; the workspace has one, {first}" in refused


def test_the_branch_document_is_the_branch_pulled(tmp_path):
    emu = run_in_thread(token=TOKEN)
    emu.state.store.clock = Clock()
    plant(emu)
    emu.mutate(lambda state: state.store.create_branch(emu.workspace_id, "dev", None, color="#00ff00"))
    try:
        shop = open_shop(emu, tmp_path, layout="readable", branch="dev")
        shop.cli("pull")
        entry = shop.entry("branch/dev.xs")
        assert (entry["kind"], entry["name"]) == ("branch", "dev") and "shared" not in entry  # the branch's own
        assert 'color = "#00ff00"' in shop.read("branch/dev.xs")
        edited = shop.read("branch/dev.xs").replace("query   : 100", "query   : 1000")
        shop.write("branch/dev.xs", edited)
        shop.cli("push", "--no-lint")  # no --allow-shared-schema-changes: it is dev's, not every branch's
        dev = emu.state.store.branch(emu.workspace_id, "dev").objects["branch"]
        live = emu.state.store.branch(emu.workspace_id, "v1").objects["branch"]
        assert [obj.xanoscript for obj in dev.values()] == [edited]
        assert [obj.xanoscript for obj in live.values()] == [SOURCES["branch"]("v1")]
        shop.write("branch/dev.xs", edited.replace("branch dev", "branch staging"))
        refused = shop.cli("push", "--no-lint", code=1).output
        assert "renames the branch" in refused
    finally:
        emu.stop()


def test_a_local_env_clause_is_no_difference_and_is_never_pushed(shop):
    path = next(entry["path"] for entry in shop.lock()["objects"] if entry["kind"] == "workspace")
    pulled = shop.read(path)
    with_env = pulled.replace("{\n", '{\n  env = {STRIPE_KEY: "sk_live_secret", REGION: "eu"}\n', 1)
    shop.write(path, with_env)
    item = states(shop)[path]
    assert item["state"] == "unchanged" and "env clause is kept locally" in item["note"]
    text = shop.cli("status", "--exit-code").stdout  # said in the text too, where unchanged files are not listed
    assert text.splitlines()[-1] == f"note: {path}: {item['note']}" and "sk_live_secret" not in text
    assert shop.cli("diff").output == ""
    assert shop.cli("diff", "--remote").output == ""
    assert "nothing to push" in shop.cli("push", "--no-lint").output.lower()
    # another change of the document is pushed without the environment
    shop.write(path, with_env.replace("track_performance: true", "track_performance: false"))
    shop.cli("push", "--no-lint")
    stored = shop.stored("workspace", "Shop").xanoscript
    assert "track_performance: false" in stored and "sk_live_secret" not in stored
    assert shop.read(path).count("sk_live_secret") == 1  # the file keeps its clause
    assert shop.cli("status", "--exit-code").exit_code == 0
    # a remote change is pulled and the local clause kept
    shop.commit_all("env kept locally")
    shop.remote_edit("Shop", stored.replace("internal_docs    : false", "internal_docs    : true"), kind="workspace")
    shop.cli("pull")
    merged = shop.read(path)
    assert "internal_docs    : true" in merged and "sk_live_secret" in merged


def test_a_refused_export_is_one_warning_for_every_kind_it_carries_and_leaves_them_as_they_were(shop):
    before = shop.tree()
    shop.emu.state.options.export = False
    result = shop.cli("pull")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("xanoctl: warning:")]
    assert warnings == ["xanoctl: warning: branch, channel, channel_trigger, error_trigger, message, other, "
                        "realtime_server, realtime_server_trigger, workspace: not pulled: GET "
                        f"/workspace/{shop.emu.workspace_id}/multidoc was refused (403 ERROR_CODE_ACCESS_DENIED): "
                        "give the token the read scope on it (Instance settings > Metadata API) if you want it; "
                        "their files and xanoctl.lock entries were left as they were"]
    assert shop.tree() == before
    notes = [line for line in shop.cli("status").stdout.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and notes[0].startswith("note: branch, channel, channel_trigger, error_trigger, message, "
                                                   "other, realtime_server, realtime_server_trigger, workspace: "
                                                   "remote not checked: GET ")
    unreachable = json.loads(shop.cli("status", "--format", "json").stdout)["unreachable"]
    assert "message" in unreachable and "other" in unreachable  # JSON: one key per kind


def test_one_document_is_read_from_the_export_up_to_it_only():
    """The workspace's document leads the export: finding it reads no further."""
    served: list[int] = []

    async def chunks():
        yield b'workspace "Shop" {\n  preferences = {}\n}\n---\n'
        for number in range(1000):
            served.append(number)
            yield (f'function "f{number}" {{\n  stack {{\n  }}\n}}\n---\n' * 50).encode("utf-8")

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path.endswith("/multidoc")
        return httpx.Response(200, content=chunks(), headers={"content-type": "text/x-xanoscript"})

    with XanoClient("http://xano.test/api:meta", TOKEN, 7, transport=httpx.MockTransport(handler)) as client:
        found = client.get("workspace", 7)
    assert found.name == "Shop" and found.xanoscript == 'workspace "Shop" {\n  preferences = {}\n}'
    assert len(served) < 5


def test_a_failed_push_keeps_the_document_it_created_that_no_route_deletes(shop):
    shop.emu.add("toolset", "Ops", SOURCES["toolset"]("Ops"))
    shop.cli("pull")
    toolset = next(entry["path"] for entry in shop.lock()["objects"] if entry["kind"] == "toolset")
    folder = next(entry["path"] for entry in shop.lock()["objects"] if entry.get("parents") == ["Chat", "lobby"])
    new = folder.rsplit("/", 1)[0] + "/wave.xs"
    shop.write(new, SOURCES["message"]("wave", channel="lobby"))
    shop.write(toolset, shop.read(toolset).replace("tools = [", "tools = = ["))  # Xano refuses it, after the message
    result = shop.cli("push", "--no-lint", "--color", "always", code=1)
    output = result.output
    assert "KEPT" in output and "no route deletes a message" in output
    assert "\x1b[33mKEPT\x1b[0m" in output  # yellow: a look, not a failure
    # the summary says what is not back, and the error line what to do
    assert "the remote is back as it was before the push\x1b[0m\x1b[33m, but for 1 document it created that no route " \
           "deletes (KEPT above)" in output
    assert "xanoctl.lock records the documents kept" in output and "re-created" not in output
    assert result.stderr.endswith("xanoctl: error: the push was rolled back, but for 1 document no route deletes (KEPT "
                                  "above): delete it in Xano if it must go, then pull\n")
    assert shop.stored("message", "wave") is not None
    entry = shop.entry(new)
    assert (entry["kind"], entry["name"], entry["parents"]) == ("message", "wave", ["Chat", "lobby"])
    found = states(shop)
    assert found[new]["state"] == "unchanged" and found[toolset]["state"] == "modified locally"
