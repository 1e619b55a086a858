"""`xanoctl pull` end to end: the CLI, the client and the emulator over HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import socket

import pytest
from click.testing import CliRunner

from xanoctl.cli import main
from xanoctl.emulator.server import run_in_thread
from xanoctl.emulator.testing import SOURCES, cli_env, function_source, query_source, snapshot

TOKEN = "pull-test-token-5f2c9a"


@pytest.fixture
def emu():
    with run_in_thread(token=TOKEN) as server:
        yield server


@pytest.fixture
def cli(emu, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(*args: str, code: int = 0, token: str | None = None, env: dict | None = None, **http):
        settings = {"per_page": 3, **http}
        full_env = {**cli_env(emu, token=token, tmp=tmp_path, **settings), **(env or {})}
        result = runner.invoke(main, list(args), env=full_env)
        assert TOKEN not in result.output, "the token reached the output"
        assert "Traceback" not in result.output
        assert result.exit_code == code, result.output
        return result

    return run


def seed(emu) -> dict:
    """A workspace of every kind, spread over several pages at per_page=3."""
    made = {}
    for name in ("Tasks/FUB - Sync People", "Workers/FUB - Sync People", "Utils/Format Date", "Utils/Slugify",
                 "Archive/Old Sync", "Tasks/Zoom - Import", "Workers/Zoom - Fetch", "Utils/Noop"):
        made[name] = emu.add("function", name, function_source(name))
    for kind, name in (("task", "Nightly sync"), ("task", "Hourly ping"), ("table", "user"), ("table", "deal"),
                       ("middleware", "auth check")):
        made[name] = emu.add(kind, name, SOURCES[kind](name))
    for group_name, paths in (("Tests", ["tasks/fub-sync-people", "tasks/zoom-import", "workers/fub", "x"]),
                              ("App", ["users/{id}", "users"])):
        group = emu.add("api_group", group_name, SOURCES["api_group"](group_name))
        made[group_name] = group
        for path in paths:
            made[f"{group_name}:{path}"] = emu.add("query", path, query_source(path, "POST"), verb="POST",
                                                   group=group.id)
    return made


def lock(folder) -> dict:
    return {(e["kind"], e["id"]): e for e in json.loads((folder / "xanoctl.lock").read_text())["objects"]}


def assert_no_token_on_disk(root):
    for path in root.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            assert TOKEN.encode() not in path.read_bytes(), path


def test_a_full_pull_writes_every_kind_across_many_pages(emu, cli, tmp_path):
    made = seed(emu)
    result = cli("pull", "--dir", "ws", "--json")
    summary = json.loads(result.stdout)
    assert len(summary["added"]) == len(made) and summary["pages"] >= 8
    ws = tmp_path / "ws"
    files = snapshot(ws)
    assert files["function/Workers/FUB - Sync People.xs"] == function_source("Workers/FUB - Sync People").encode()
    assert files["api/Tests/tasks/fub-sync-people_POST.xs"] == query_source("tasks/fub-sync-people", "POST").encode()
    assert files["api/App/users/{id}_POST.xs"] == query_source("users/{id}", "POST").encode()
    for name in ("task/Nightly sync.xs", "table/deal.xs", "middleware/auth check.xs", "api/App/api_group.xs"):
        assert name in files
    entries = lock(ws)
    assert len(entries) == len(made) == len(files) - 1
    endpoint = made["App:users/{id}"]
    entry = entries[("query", endpoint.id)]
    assert entry == {"kind": "query", "id": endpoint.id, "guid": endpoint.guid, "name": "users/{id}",
                     "group": {"id": made["App"].id, "name": "App"}, "verb": "POST",
                     "updated_at": entry["updated_at"], "sha256": entry["sha256"],
                     "path": "api/App/users/{id}_POST.xs"}
    assert entry["updated_at"] and len(entry["sha256"]) == 64
    assert_no_token_on_disk(tmp_path)


def test_a_second_pull_with_no_remote_change_writes_nothing_and_says_so(emu, cli, tmp_path):
    seed(emu)
    cli("pull", "--dir", "ws")
    ws = tmp_path / "ws"
    before = {p: p.stat().st_mtime_ns for p in ws.rglob("*")}
    result = cli("pull", "--dir", "ws")
    assert result.stdout.startswith("nothing changed: 21 objects up to date")
    assert {p: p.stat().st_mtime_ns for p in ws.rglob("*")} == before
    summary = json.loads(cli("pull", "--dir", "ws", "--json").stdout)
    assert summary["wrote_nothing"] and summary["unchanged"] == 21


def test_an_incremental_pull_adds_changes_and_removes(emu, cli, tmp_path):
    made = seed(emu)
    cli("pull", "--dir", "ws")
    ws = tmp_path / "ws"
    before = snapshot(ws)

    def change(state):
        branch = state.store.workspaces[1].live
        state.store.replace(made["Utils/Slugify"], name="Utils/Slugify", xanoscript=function_source("Utils/Slugify", "1"),
                            verb=None, description="", tags=[], fields={}, publish=True)
        state.store.remove(branch, "function", made["Archive/Old Sync"].id)
        state.store.remove(branch, "api_group", made["Tests"].id)  # its endpoints go with it

    emu.mutate(change)
    emu.add("function", "Utils/New One", function_source("Utils/New One"))
    result = cli("pull", "--dir", "ws")
    lines = result.stdout.splitlines()
    assert "  added    function/Utils/New One.xs" in lines
    assert "  changed  function/Utils/Slugify.xs" in lines
    assert "  deleted  function/Archive/Old Sync.xs" in lines
    assert "  deleted  api/Tests/tasks/zoom-import_POST.xs" in lines
    assert lines[-1].startswith("pulled into ws/: 1 added, 1 changed, 6 deleted, 14 unchanged")
    after = snapshot(ws)
    assert after["function/Utils/Slugify.xs"] == function_source("Utils/Slugify", "1").encode()
    assert not (ws / "api" / "Tests").exists() and not (ws / "function" / "Archive").exists()
    unchanged = {k: v for k, v in before.items() if k in after and k != "xanoctl.lock" and "Slugify" not in k}
    assert all(after[k] == v for k, v in unchanged.items())
    assert len(lock(ws)) == len(after) - 1


def test_a_deleted_api_group_takes_its_endpoints_without_a_lookup_for_each(emu, cli, tmp_path):
    made = seed(emu)
    cli("pull", "--dir", "ws")
    before = json.loads(cli("pull", "--dir", "ws", "--json").stdout)["requests"]
    emu.mutate(lambda s: s.store.remove(s.store.workspaces[1].live, "api_group", made["Tests"].id))
    summary = json.loads(cli("pull", "--dir", "ws", "--json").stdout)
    assert len(summary["removed"]) == 5
    # the group's two pages of endpoints are no longer listed; one GET confirms the group is gone
    assert summary["requests"] == before - 2 + 1


def test_a_remote_rename_moves_the_file(emu, cli, tmp_path):
    made = seed(emu)
    cli("pull", "--dir", "ws")
    emu.mutate(lambda s: s.store.replace(made["Utils/Noop"], name="Utils/Nothing", xanoscript=function_source("Utils/Nothing"),
                                         verb=None, description="", tags=[], fields={}, publish=True))
    result = cli("pull", "--dir", "ws")
    assert "  changed  function/Utils/Nothing.xs (from function/Utils/Noop.xs)" in result.stdout
    assert not (tmp_path / "ws/function/Utils/Noop.xs").exists()
    assert lock(tmp_path / "ws")[("function", made["Utils/Noop"].id)]["name"] == "Utils/Nothing"


def test_local_edits_are_never_overwritten_without_force(emu, cli, tmp_path):
    made = seed(emu)
    cli("pull", "--dir", "ws")
    ws = tmp_path / "ws"
    mine = ws / "function/Utils/Slugify.xs"
    mine.write_text("my local work")
    gone = ws / "function/Archive/Old Sync.xs"
    gone.write_text("also mine")
    cli("pull", "--dir", "ws")  # remote unchanged: local edits stay, nothing to say
    assert mine.read_text() == "my local work"

    def change(state):
        state.store.replace(made["Utils/Slugify"], name="Utils/Slugify", xanoscript=function_source("Utils/Slugify", "2"),
                            verb=None, description="", tags=[], fields={}, publish=True)
        state.store.remove(state.store.workspaces[1].live, "function", made["Archive/Old Sync"].id)

    emu.mutate(change)
    result = cli("pull", "--dir", "ws", code=1)
    assert "conflict function/Utils/Slugify.xs: modified locally and changed remotely" in result.stdout
    assert "conflict function/Archive/Old Sync.xs: modified locally and deleted remotely" in result.stdout
    assert result.stderr.strip().splitlines()[-1].startswith("xanoctl: error: 2 conflicts")
    assert mine.read_text() == "my local work" and gone.read_text() == "also mine"
    cli("pull", "--dir", "ws", "--force")
    assert mine.read_bytes() == function_source("Utils/Slugify", "2").encode() and not gone.exists()


def test_a_file_deleted_locally_is_restored(emu, cli, tmp_path):
    seed(emu)
    cli("pull", "--dir", "ws")
    (tmp_path / "ws/table/user.xs").unlink()
    result = cli("pull", "--dir", "ws")
    assert "  changed  table/user.xs" in result.stdout
    assert (tmp_path / "ws/table/user.xs").read_bytes() == SOURCES["table"]("user").encode()


def test_a_pull_survives_429_storms_5xx_and_dropped_connections(emu, cli, tmp_path):
    seed(emu)
    cli("pull", "--dir", "clean")
    emu.set_faults("429-every=2,5xx-every=5,drop-every=7,429-burst=6@3")
    cli("pull", "--dir", "stormy", attempts=25)
    assert emu.state.faults.snapshot()["injected"]["429"] > 5
    assert snapshot(tmp_path / "stormy") == snapshot(tmp_path / "clean")


def test_exhausted_retries_fail_cleanly_with_nothing_half_written(emu, cli, tmp_path):
    made = seed(emu)
    cli("pull", "--dir", "ws")
    before = snapshot(tmp_path / "ws")
    emu.mutate(lambda s: s.store.remove(s.store.workspaces[1].live, "function", made["Utils/Noop"].id))
    emu.add("function", "Utils/Brand New", function_source("Utils/Brand New"))
    emu.set_faults("429-burst=1000@4")  # the first requests succeed, then a storm that never ends
    result = cli("pull", "--dir", "ws", code=1, attempts=3, rate_limit_wait=0.3)
    message = [line for line in result.stderr.strip().splitlines() if "error" in line]
    assert len(message) == 1 and message[0].startswith("xanoctl: error: Xano kept rate-limiting (429)")
    assert snapshot(tmp_path / "ws") == before
    cli("pull", "--dir", "fresh", code=1, attempts=3, rate_limit_wait=0.3)
    assert not (tmp_path / "fresh").exists()


def test_a_write_failure_is_one_line_and_changes_nothing(emu, cli, tmp_path):
    made = seed(emu)
    cli("pull", "--dir", "ws")
    ws = tmp_path / "ws"
    (ws / "function/Zzz").write_text("a file where a folder must go")
    emu.add("function", "Utils/New One", function_source("Utils/New One"))
    emu.add("function", "Zzz/Blocked", function_source("Zzz/Blocked"))
    emu.mutate(lambda s: s.store.remove(s.store.workspaces[1].live, "function", made["Archive/Old Sync"].id))
    before = snapshot(ws)
    result = cli("pull", "--dir", "ws", code=1)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("xanoctl: error: cannot write function/Zzz/Blocked.xs")
    assert "nothing was changed" in lines[0]
    assert snapshot(ws) == before  # not the new file sorted before it, not the removal, no temporary file
    (ws / "function/Zzz").unlink()
    assert "2 added, 1 deleted" in cli("pull", "--dir", "ws").stdout


def test_the_same_instant_in_another_timestamp_form_changes_nothing(emu, cli, tmp_path):
    seed(emu)
    cli("pull", "--dir", "ws")
    emu.mutate(lambda s: setattr(s.options, "timestamps", "ms"))  # epoch milliseconds from now on
    assert cli("pull", "--dir", "ws").stdout.startswith("nothing changed: 21 objects up to date")


def test_a_bad_token_is_one_line_and_writes_nothing(emu, cli, tmp_path):
    seed(emu)
    result = cli("pull", "--dir", "ws", code=1, token="not-the-token")
    assert result.stderr.startswith("xanoctl: error: Xano refused the token (401 ERROR_CODE_UNAUTHORIZED)")
    assert "not-the-token" not in result.output and not (tmp_path / "ws").exists()
    result = cli("pull", "--dir", "ws", code=2, token="")
    assert "no Xano token" in result.stderr
    for bad in ("tök-secret-7", "line\nbreak-secret-7"):  # no HTTP header can carry these
        result = cli("pull", "--dir", "ws", code=2, token=bad)
        assert result.stderr.startswith("xanoctl: error: XANO_TOKEN") and len(result.stderr.splitlines()) == 1
        assert "secret-7" not in result.output and not (tmp_path / "ws").exists()


def test_an_unreachable_server_is_one_line(emu, cli, tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = cli("pull", "--dir", "ws", code=1, attempts=2, env={"XANO_INSTANCE": f"http://127.0.0.1:{port}"})
    assert result.stderr.startswith(f"xanoctl: error: cannot reach http://127.0.0.1:{port}/api:meta")
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "ws").exists()


def test_a_folder_under_a_file_is_refused_in_one_line(emu, cli, tmp_path):
    seed(emu)
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    result = cli("pull", "--dir", "afile/ws", code=1)
    folder = tmp_path.resolve() / "afile"
    assert result.stderr.strip() == f"xanoctl: error: {folder / 'ws'}: cannot be a workspace folder: {folder} is a file"
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "not a folder"


def test_hostile_names_stay_inside_the_workspace_folder(emu, cli, tmp_path):
    names = ["../../etc/passwd", "/etc/shadow", "a\x00b", "CON", "x" * 300, "a:b", "a?b", "Foo", "foo",
             ".git/config", "..", "a/../../../b"]
    made = {name: emu.add("function", name, function_source("x")) for name in names}
    group = emu.add("api_group", "../evil", SOURCES["api_group"]("g"))
    emu.add("query", "../../../../tmp/pwn", query_source("x"), verb="GET", group=group.id)
    cli("pull", "--dir", "ws")
    ws = (tmp_path / "ws").resolve()
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(p.resolve().is_relative_to(ws) for p in written)
    assert not (tmp_path / "etc").exists() and not (ws / ".git").exists()
    entries = lock(ws)
    assert {entries[("function", obj.id)]["name"] for obj in made.values()} == set(names)
    paths = [entries[("function", obj.id)]["path"] for obj in made.values()]
    assert len(set(p.casefold() for p in paths)) == len(names)
    assert entries[("function", made["Foo"].id)]["path"] == "function/Foo.xs"
    assert entries[("function", made["CON"].id)]["path"] == f"function/_CON~{made['CON'].id}.xs"
    assert all(len(part.encode()) <= 90 for p in paths for part in p.split("/"))
    assert cli("pull", "--dir", "ws").stdout.startswith("nothing changed")


def test_kinds_can_be_pulled_alone_without_touching_the_others(emu, cli, tmp_path):
    seed(emu)
    cli("pull", "--dir", "ws", "--kind", "function")
    files = snapshot(tmp_path / "ws")
    assert all(k.startswith("function/") for k in files if k != "xanoctl.lock") and len(files) == 9
    cli("pull", "task", "--dir", "ws")
    files = snapshot(tmp_path / "ws")
    assert "task/Nightly sync.xs" in files and "function/Utils/Noop.xs" in files
    cli("pull", "--dir", "ws", "--kind", "endpoints")
    assert "api/App/users_POST.xs" in snapshot(tmp_path / "ws")
    assert "unknown kind" in cli("pull", "--kind", "widgets", code=2).stderr


def test_an_object_xano_cannot_render_is_reported_and_left_alone(emu, cli, tmp_path):
    made = seed(emu)
    cli("pull", "--dir", "ws")
    emu.mutate(lambda s: setattr(made["Utils/Noop"], "xanoscript_error", "cannot render this function"))
    broken = emu.add("function", "Utils/Broken", "")
    emu.mutate(lambda s: setattr(broken, "xanoscript_error", "no"))
    result = cli("pull", "--dir", "ws")
    assert "warning: function 'Utils/Noop'" in result.stderr and "cannot render this function" in result.stderr
    assert "warning: function 'Utils/Broken'" in result.stderr
    assert "2 unreadable" in result.stdout
    assert (tmp_path / "ws/function/Utils/Noop.xs").read_bytes() == function_source("Utils/Noop").encode()
    assert not (tmp_path / "ws/function/Utils/Broken.xs").exists()
    assert ("function", made["Utils/Noop"].id) in lock(tmp_path / "ws")


def test_a_folder_of_another_workspace_is_refused(emu, cli, tmp_path):
    seed(emu)
    cli("pull", "--dir", "ws")
    result = cli("pull", "--dir", "ws", code=1, env={"XANO_BRANCH": "dev"})
    assert "was pulled from http://127.0.0.1:" in result.stderr and "workspace 1 branch (live), not workspace 1 " \
        "branch dev: pull into another folder (--dir DIR)" in result.stderr


def test_the_lock_records_the_instance_and_another_instance_is_refused(emu, cli, tmp_path):
    """Two instances may both have a workspace 1: the lock says which one a folder holds."""
    seed(emu)
    cli("pull", "--dir", "ws")
    assert json.loads((tmp_path / "ws/xanoctl.lock").read_text())["instance"] == emu.origin
    before = snapshot(tmp_path / "ws")
    with run_in_thread(token=TOKEN) as other:
        other.add("function", "Utils/Elsewhere", function_source("Utils/Elsewhere"))
        result = cli("pull", "--dir", "ws", code=1, env={"XANO_INSTANCE": other.base_url})
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"was pulled from {emu.origin} workspace 1 branch (live), not {other.origin} " \
        "workspace 1 branch (live): pull into another folder (--dir DIR), or set the instance" in lines[0]
    assert snapshot(tmp_path / "ws") == before and TOKEN not in lines[0]
    # status and push refuse it the same way
    assert "was pulled from" in cli("status", "--dir", "ws", code=1, env={"XANO_INSTANCE": other.base_url}).stderr


def test_an_older_lock_without_the_instance_keeps_working_and_is_adopted(emu, cli, tmp_path):
    seed(emu)
    cli("pull", "--dir", "ws")
    path = tmp_path / "ws/xanoctl.lock"
    old = path.read_text().replace(f'  "instance": "{emu.origin}",\n', "")
    path.write_text(old)
    assert cli("status", "--dir", "ws", "--exit-code").exit_code == 0
    cli("pull", "--dir", "ws")
    assert json.loads(path.read_text())["instance"] == emu.origin
    assert path.read_text().replace(f'  "instance": "{emu.origin}",\n', "") == old


def test_init_writes_settings_without_a_token_and_pull_uses_them(emu, cli, tmp_path):
    result = cli("init", "--instance", emu.origin, "--workspace", "1", "--dir", "xano")
    assert "wrote xanoctl.yaml" in result.stdout
    text = (tmp_path / "xanoctl.yaml").read_text()
    assert TOKEN not in text and "token" not in text.split("\n", 2)[2]
    assert f"instance: {emu.base_url}" in text and "dir: xano" in text
    assert "already exists" in cli("init", "--instance", "x.io", "--workspace", "2", code=2).stderr
    cli("init", "--instance", emu.origin, "--workspace", "1", "--dir", "xano", "--force")
    seed(emu)
    (tmp_path / "sub").mkdir()
    os.chdir(tmp_path / "sub")
    env = {"XANO_INSTANCE": "", "XANO_WORKSPACE": ""}
    cli("pull", env=env)  # instance and workspace from ../xanoctl.yaml, folder relative to it
    assert (tmp_path / "xano/table/user.xs").is_file()
    assert_no_token_on_disk(tmp_path)


def test_the_demo_pulls_and_lints_the_demo_workspace(cli, tmp_path):
    result = cli("demo", "--dir", "demo-ws")
    assert (tmp_path / "demo-ws" / "xanoctl.lock").is_file()
    lines = result.stdout.splitlines()
    # the first screen: a count of what was pulled, then the findings; no list of paths
    count = re.fullmatch(r"pulled (\d+) objects into demo-ws/ \((.*)\)", lines[0])
    parts = dict(re.fullmatch(r"(\d+) (.+)", part).groups()[::-1] for part in count[2].split(", "))
    assert set(parts) == {"functions", "API endpoints", "tasks", "tables", "API groups", "middleware",
                          "workflow test", "triggers", "tools", "add-on", "agent", "MCP server", "realtime channel",
                          "workspace settings", "branch settings", "realtime server", "channel", "message"}
    assert int(count[1]) == sum(int(n) for n in parts.values())
    assert not any(line.lstrip().startswith("added") for line in lines)
    assert lines[2].startswith("demo-ws/ai/agent/trigger/assistant connected.xs:3:11: XR003 error")  # by path
    assert any(line.startswith("demo-ws/api/App/users/{id}_GET.xs:2:1: RT001 error") for line in lines)
    # then the workspace's own tests and its test endpoints, failing on purpose at their lines
    assert "Results: 3 passed, 2 failed" in lines and "Results: 8 passed, 2 failed" in lines
    assert "FAIL  POST tasks/fub-sync-people [Tests] " in result.stdout
    assert "demo-ws/workflow_test/FUB people sync.xs:2" in result.stdout
    # ... and it ends with the next things to try
    tail = "\n".join(lines[lines.index("Next:"):])
    assert "xanoctl rules XR003" in tail and "xanoctl emulator --seed demo" in tail  # the first finding's rule
    assert "xanoctl push --dir demo-live --dry-run" in tail and "xanoctl rollback --last-push --dir demo-live" in tail
    again = cli("demo", "--dir", "demo-ws", "--no-lint")
    assert again.stdout.startswith(f"demo-ws/ is up to date ({count[1]} objects)")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    assert "not empty" in cli("demo", "--dir", "other", code=2).stderr
    (tmp_path / "empty").mkdir()
    cli("demo", "--dir", "empty", "--no-lint")
    assert not (tmp_path / "empty" / ".gitignore").exists()  # not a folder it made


def test_the_demo_says_deleted_and_colours_as_every_command(cli, tmp_path):
    cli("demo", "--dir", "demo-ws", "--no-lint")
    # an object of an older demo, gone from this one: the pull deletes its file, and says so
    folder = tmp_path / "demo-ws"
    lock = json.loads((folder / "xanoctl.lock").read_text(encoding="utf-8"))
    kept = next(e for e in lock["objects"] if e["kind"] == "function")
    gone = dict(kept, id=99999, name="Utils/Gone", path="function/Utils/Gone.xs", guid="gone-guid")
    (folder / gone["path"]).write_bytes((folder / kept["path"]).read_bytes())  # as pulled: not modified locally
    lock["objects"].append(gone)
    (folder / "xanoctl.lock").write_text(json.dumps(lock, indent=2), encoding="utf-8")
    again = cli("demo", "--dir", "demo-ws", "--no-lint").stdout
    assert again == "pulled into demo-ws/: 1 deleted\n" and not (folder / gone["path"]).exists()  # not "removed"
    coloured = cli("demo", "--dir", "demo-ws", env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[31mRT001\x1b[0m" in coloured  # the findings, as lint colours them
    assert "\x1b[32mPASS\x1b[0m" in coloured and "\x1b[31m\x1b[1mFAIL\x1b[0m" in coloured  # test and smoke too
    assert "\x1b[1mNext:\x1b[0m" in coloured
    plain = cli("demo", "--dir", "demo-ws").stdout  # a pipe: no colour, the same text
    assert "\x1b[" not in plain
    assert _without_timings(plain) == _without_timings(re.sub(r"\x1b\[[0-9;]*m", "", coloured))


def _without_timings(text: str) -> str:
    return re.sub(r"\(\d+\.\d{3}s\)", "(…s)", text)


def test_the_demo_refuses_a_pulled_folder_and_writes_nothing(emu, cli, tmp_path):
    """`xanoctl demo --dir` over a real pulled folder once replaced it: now it refuses before
    it starts, whether the lock names its instance or is older and does not."""
    seed(emu)
    cli("pull", "--dir", "ws")
    before = snapshot(tmp_path / "ws")
    result = cli("demo", "--dir", "ws", code=2)
    assert f"ws holds a workspace pulled from {emu.origin} workspace 1 branch (live): the demo writes only into " \
           "a folder it makes (or an empty one); choose another --dir" in result.stderr
    lock_path = tmp_path / "ws/xanoctl.lock"
    lock_path.write_text(lock_path.read_text().replace(f'  "instance": "{emu.origin}",\n', ""))
    before = snapshot(tmp_path / "ws")
    assert "holds a workspace pulled from workspace 1" in cli("demo", "--dir", "ws", code=2).stderr
    assert snapshot(tmp_path / "ws") == before
    # and a pull from a real instance into the demo's folder is refused
    cli("demo", "--dir", "demo-ws", "--no-lint")
    assert "was pulled from the demo (`xanoctl demo`)" in cli("pull", "--dir", "demo-ws", code=1).stderr


def test_the_demo_leaves_nothing_untracked_in_the_repository_it_runs_in(cli, tmp_path):
    import git

    repo = git.Repo.init(tmp_path)
    cli("demo")
    assert (tmp_path / "xanoctl-demo" / "xanoctl.lock").is_file()
    assert repo.untracked_files == [] and not repo.is_dirty(untracked_files=True)


def test_a_file_edited_after_the_pull_first_read_it_is_read_again_before_any_write(tmp_path):
    """The files the manifest lists are read while the lists are fetched; a file edited after
    that read and changed remotely is a conflict, not overwritten with the stale verdict."""
    from xanoctl.sync.manifest import Entry, Manifest, sha256_bytes
    from xanoctl.sync.pull import plan
    from xanoctl.xano.remote import to_remote
    from xanoctl.sync.workspace import WorkspaceFolder

    pulled = function_source("Utils/Noop").encode()
    file = tmp_path / "ws/function/Utils/Noop.xs"
    file.parent.mkdir(parents=True)
    entry = Entry(kind="function", id=7, guid="g7", name="Utils/Noop", path="function/Utils/Noop.xs",
                  sha256=sha256_bytes(pulled), updated_at=1)
    manifest = Manifest(workspace=1, branch="", entries={entry.key: entry})
    file.write_bytes(b"edited by hand while the pull was fetching")
    remote = [to_remote("function", {"id": 7, "guid": "g7", "name": "Utils/Noop", "updated_at": 2,
                                     "xanoscript": function_source("Utils/Noop", "1")})]
    out, result = plan(remote, manifest, WorkspaceFolder(tmp_path / "ws"), ["function"], 1, "",
                       seen={entry.path: entry.sha256})  # as read before the edit
    assert out.writes == {} and out.deletes == []
    assert [(c.path, c.reason) for c in result.conflicts] == [(entry.path, "modified locally and changed remotely")]
