"""`--format json` on every command that reports: each command's real output, through the CLI
against the emulator, matches the JSON Schema that docs/json.md defines for it (the page is the
definition); `--json` is the same; JSON mode prints nothing but the document on stdout."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import FUNCTIONS, build_demo_shop, edited, fn_path, shop  # noqa: E402,F401

from xanoctl.cli import main

DOC = Path(__file__).resolve().parent.parent / "docs" / "json.md"


def schemas() -> dict[str, dict]:
    text = DOC.read_text(encoding="utf-8")
    found = re.findall(r"<!-- schema: (\w+) -->\s*```json\n(.*?)```", text, re.DOTALL)
    return {name: json.loads(body) for name, body in found}


def check(name: str, output: str):
    data = json.loads(output)  # stdout holds the document and nothing else
    jsonschema.validate(data, schemas()[name], cls=jsonschema.Draft202012Validator)
    return data


def test_the_page_defines_a_valid_schema_for_each_command():
    found = schemas()
    assert sorted(found) == ["diff", "doctor", "init", "pull", "push", "rules", "smoke", "status", "tasks", "test"]
    for schema in found.values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_pull_status_diff_push_rollback_and_doctor_speak_the_documented_json(shop):
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "a"))
    shop.remote_edit("Utils/f02", shop.read(fn_path("Utils/f02")).replace('"Utils/f02"', '"remote"', 1))
    pulled = check("pull", shop.cli("pull", "--format", "json").stdout)
    assert [c["path"] for c in pulled["changed"]] == [fn_path("Utils/f02")]
    assert pulled["kept"] == [fn_path("Utils/f01")]  # the local modification the pull left alone
    status = check("status", shop.cli("status", "--json").stdout)
    assert status["counts"] == {"modified locally": 1, "unchanged": len(status["objects"]) - 1}
    diff = check("diff", shop.cli("diff", "--format", "json").stdout)
    assert [f["path"] for f in diff["files"]] == [fn_path("Utils/f01")] and "+    var $edit_a" in diff["files"][0]["diff"]
    remote = check("diff", shop.cli("diff", "--remote", "--format", "json").stdout)
    assert remote["differs"] is True
    dry = check("push", shop.cli("push", "--dry-run", "--format", "json").stdout)
    assert dry["outcome"] == "dry-run" and [s["path"] for s in dry["plan"]] == [fn_path("Utils/f01")]
    pushed = check("push", shop.cli("push", "--format", "json", "--commit").stdout)
    assert pushed["outcome"] == "pushed" and pushed["steps"][0]["result"] == "updated" and pushed["commit"]
    rolled = check("push", shop.cli("rollback", fn_path("Utils/f01"), "--to", "HEAD~1", "--json").stdout)
    assert rolled["operation"] == "rollback" and rolled["outcome"] == "pushed"
    doctor = check("doctor", shop.cli("doctor", "--format", "json").stdout)
    assert doctor["ok"] is True and [c["check"] for c in doctor["checks"]] == [
        "config", "token", "instance", "workspace", "branch", "git", "layout"]


def test_a_refused_push_reports_its_conflict_and_error_in_json_and_on_stderr(shop):
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "a"))
    shop.remote_edit("Utils/f01", shop.read(fn_path("Utils/f01")).replace('"Utils/f01"', '"x"', 1))
    result = shop.cli("push", "--format", "json", code=1)
    data = check("push", result.stdout)
    assert data["outcome"] == "refused" and [c["path"] for c in data["conflicts"]] == [fn_path("Utils/f01")]
    assert data["error"].startswith("1 conflict: nothing was written")
    assert result.stderr == f"xanoctl: error: {data['error']}\n"


def test_documents_without_routes_speak_the_documented_json_with_their_parents_and_kept(shop):
    from xanoctl.emulator.testing import SOURCES

    shop.emu.add("realtime_server", "Chat", SOURCES["realtime_server"]("Chat"))
    shop.emu.add("channel", "lobby", SOURCES["channel"]("lobby"))
    shop.emu.add("message", "say", SOURCES["message"]("say", channel="lobby"))
    shop.emu.add("toolset", "Ops", SOURCES["toolset"]("Ops"))
    status = check("status", shop.cli("status", "--format", "json").stdout)
    remote = {item["name"]: item for item in status["objects"] if item["state"] == "new remotely"}
    assert (remote["say"]["kind"], remote["say"]["parents"]) == ("message", ["Chat", "lobby"])
    assert (remote["Ops"]["kind"], remote["Ops"]["parents"]) == ("toolset", [])  # a type xanoctl does not know
    pulled = check("pull", shop.cli("pull", "--format", "json").stdout)
    added = {change["name"]: change for change in pulled["added"]}
    assert added["lobby"]["parents"] == ["Chat"] and added["say"]["parents"] == ["Chat", "lobby"]
    assert added["Chat"]["parents"] == []
    shop.commit_all("pull")
    # a push that fails after creating a message: the message is KEPT (no route deletes it)
    new = "realtime/server/Chat/channel/lobby/message/wave.xs"
    shop.write(new, SOURCES["message"]("wave", channel="lobby"))
    shop.write("toolset/Ops.xs", shop.read("toolset/Ops.xs").replace("tools = [", "tools = = ["))
    result = shop.cli("push", "--no-lint", "--format", "json", code=1)
    pushed = check("push", result.stdout)
    steps = {step["path"]: step for step in pushed["steps"]}
    assert (steps[new]["result"], steps[new]["parents"]) == ("KEPT", ["Chat", "lobby"])
    assert steps["toolset/Ops.xs"]["parents"] == []
    assert pushed["error"].startswith("the push was rolled back, but for 1 document no route deletes")
    # deleting a document no route deletes is refused, before anything is written
    shop.write("toolset/Ops.xs", SOURCES["toolset"]("Ops"))
    (shop.ws / new).unlink()
    refused = check("push", shop.cli("push", "--delete", "--no-lint", "--format", "json", code=1).stdout)
    assert refused["outcome"] == "refused" and refused["problems"] == [
        f"{new}: deleted locally; a message cannot be deleted through the Metadata API: it has no route of its "
        "own, and the multidoc import deletes only in a full sync; delete it in Xano, then pull (or put its file "
        "back)"]


def test_init_tasks_and_rules_speak_the_documented_json(shop, tmp_path, monkeypatch):
    folder = tmp_path / "fresh"
    folder.mkdir()
    monkeypatch.chdir(folder)
    env = {**shop.env, "XANO_INSTANCE": "", "XANO_WORKSPACE": ""}
    result = CliRunner().invoke(main, ["init", "--instance", shop.emu.base_url, "--format", "json"], env=env)
    assert result.exit_code == 0, result.output
    data = check("init", result.stdout)
    assert data["checked"] is True and data["workspace"] == shop.emu.workspace_id
    assert shop.env["XANO_TOKEN"] not in result.output + (folder / "xanoctl.yaml").read_text()
    tasks = check("tasks", shop.cli("tasks", "--format", "json", "--now", "2025-12-01T00:00:00Z").stdout)
    assert [t["name"] for t in tasks["tasks"]] == ["Nightly"] and tasks["tasks"][0]["when"] == "daily at 05:56:27"
    catalogue = check("rules", CliRunner().invoke(main, ["rules", "--format", "json"]).stdout)
    assert [rule["code"] for rule in catalogue] == sorted(rule["code"] for rule in catalogue)
    one = check("rules", CliRunner().invoke(main, ["rules", "FP003", "--json"]).stdout)
    assert one["code"] == "FP003"


def test_test_and_smoke_speak_the_documented_json_the_official_roll_up(tmp_path):
    demo = build_demo_shop(tmp_path)
    try:
        tests = check("test", demo.cli("test", "--format", "json", code=1).stdout)
        assert (tests["passed"], tests["failed"]) == (3, 2)
        assert list(tests) == ["passed", "failed", "results"]  # the official CLI's keys first, in its order
        failed = [r for r in tests["results"] if r["status"] == "fail"]
        assert [(r["kind"], r["path"], r["line"]) for r in failed] == [
            ("unit", "workspace/function/Utils/Text - Normalize Phone.xs", 52),
            ("workflow", "workspace/workflow_test/FUB people sync.xs", 2)]
        smoke = check("smoke", demo.cli("smoke", "--json", code=1).stdout)
        assert (smoke["passed"], smoke["failed"], smoke["skipped"]) == (8, 2, 0)
        assert {r["http_status"] for r in smoke["results"]} == {200}
        unreachable = demo.cli("test", "--format", "json", "--instance", "http://127.0.0.1:9/api:meta", code=2)
        assert unreachable.stdout == "" and unreachable.stderr.startswith("xanoctl: error: ")  # no JSON: not run
    finally:
        demo.emu.stop()


def test_json_and_another_format_at_once_is_a_usage_error():
    result = CliRunner().invoke(main, ["rules", "--json", "--format", "markdown"])
    assert result.exit_code == 2
    assert result.output == ("xanoctl: error: --format markdown and --json ask for different formats: choose one "
                             "(see `xanoctl rules --help`)\n")
